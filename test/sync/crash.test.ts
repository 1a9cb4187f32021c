// Crash-safety: the server process is killed with SIGKILL at many points of
// an export — including right after "created, then the connection dropped" —
// and restarted each time. The run completes with zero duplicates in
// Broadstreet and nothing lost locally.
import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeTestDatabases, db, openTestDatabase } from '../helpers/db.ts';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.ts';
import { findDuplicates } from '../../src/emulator/stats.ts';
import { parseRunId } from '../../src/sync/sync.schema.ts';
import { createTestDatabase, databaseSkipReason, type TestDatabase } from '../helpers/database.ts';
import { anyAdvertisement, localAdvertiser, localCampaign, localPlacement, localZone, networkRow } from '../helpers/local-entities.ts';
import { freePort, ROOT, spawnEntry, type Spawned } from '../helpers/process.ts';

const NETWORK = 85;
const KILL_AFTER_CREATES = [2, 7, 13, 21];

describe.skipIf(!!databaseSkipReason())('crash-safety (SIGKILL mid-export)', () => {
  let emulator: RunningEmulator;
  let database: TestDatabase;
  let server: Spawned | undefined;
  let port: number;

  const gql = async (query: string, variables?: Record<string, unknown>) => {
    const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as { data: any; errors?: unknown };
  };

  async function startServer(): Promise<void> {
    port = await freePort();
    server = spawnEntry('src/main.ts', {
      DATABASE_URL: database.url,
      PORT: String(port),
      BROADSTREET_API_BASE_URL: emulator.url,
      BROADSTREET_API_TOKEN: emulator.config.token,
      BROADSTREET_RATE_LIMIT_RPS: '1000',
      BROADSTREET_RETRY_BASE_MS: '5',
      LOG_LEVEL: 'info',
    });
    await server.waitFor(/serving GraphQL/);
  }

  async function waitForRun(runId: number, done: (status: string) => boolean, timeoutMs = 60_000): Promise<string> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const run = await db().syncRun.findUniqueOrThrow({ where: { id: runId } });
      if (done(run.status)) return run.status;
      if (Date.now() > until) throw new Error(`run ${runId} still ${run.status}; server output:\n${server?.output()}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  const createdByApi = () => {
    const c = emulator.stats.created;
    return c.advertiser + c.zone + c.campaign + c.placement;
  };

  beforeAll(async () => {
    emulator = await startEmulator({ size: 'tiny' });
    database = await createTestDatabase();
    await openTestDatabase(database.url);
    await startServer();
    const imported = await gql(
      `mutation { startSync(input: { networkId: ${NETWORK}, direction: IMPORT }) { ... on StartSyncPayload { run { id } } } }`,
    );
    expect(await waitForRun(parseRunId(imported.data.startSync.run.id)!, (s) => s !== 'QUEUED' && s !== 'RUNNING')).toBe('SUCCEEDED');
  }, 60_000);
  afterAll(async () => {
    await server?.kill('SIGKILL');
    await closeTestDatabases();
    await database?.drop();
    await emulator?.stop();
    rmSync(path.join(ROOT, '.tmp/test/crash'), { recursive: true, force: true });
  });

  it('resumes after every kill and completes with zero duplicates', async () => {
    const network = await networkRow(NETWORK);
    const ad = await anyAdvertisement(network.id);
    const local: string[] = [];
    const zones = [];
    for (let i = 0; i < 5; i++) zones.push(await localZone(network.id, `Crash Zone ${i}`));
    local.push(...zones.map((z) => z.mongoId));
    for (let i = 0; i < 8; i++) {
      const advertiser = await localAdvertiser(network.id, `Crash Advertiser ${i}`);
      const campaign = await localCampaign(network.id, advertiser.id, `Crash Campaign ${i}`);
      const placement = await localPlacement(network.id, { campaignId: campaign.id, advertisementId: ad.id, zoneId: zones[i % 5]!.id });
      local.push(advertiser.mongoId, campaign.mongoId, placement.mongoId);
    }
    const total = local.length;

    emulator.config.latencyMs = 15;
    // Every create endpoint drops one response after creating: the server must look before creating again.
    emulator.faults.script(
      { kind: 'created-then-dropped', endpoint: 'POST /advertisers' },
      { kind: 'created-then-dropped', endpoint: 'POST /zones' },
      { kind: 'created-then-dropped', endpoint: 'POST /campaigns' },
      { kind: 'created-then-dropped', endpoint: 'POST /placements' },
    );
    const started = await gql(
      `mutation { startSync(input: { networkId: ${NETWORK}, direction: EXPORT }) { ... on StartSyncPayload { run { id } } } }`,
    );
    const runId = parseRunId(started.data.startSync.run.id)!;

    for (const after of KILL_AFTER_CREATES) {
      while (createdByApi() < after) await new Promise((r) => setImmediate(r));
      await server!.kill('SIGKILL');
      await startServer();
    }
    // One more kill right after a response was dropped mid-create.
    emulator.faults.script({ kind: 'created-then-dropped', endpoint: 'POST *' });
    const dropped = emulator.faults.injected['created-then-dropped'] ?? 0;
    while ((emulator.faults.injected['created-then-dropped'] ?? 0) <= dropped && createdByApi() < total) {
      await new Promise((r) => setImmediate(r));
    }
    await server!.kill('SIGKILL');
    await startServer();

    const status = await waitForRun(runId, (s) => s !== 'QUEUED' && s !== 'RUNNING');
    emulator.config.latencyMs = 0;
    const ended = await db().syncRun.findUniqueOrThrow({ where: { id: runId } });
    expect({ status, reason: ended.failureReason }).toEqual({ status: 'SUCCEEDED', reason: null });

    const run = await db().syncRun.findUniqueOrThrow({ where: { id: runId } });
    // Every kill but possibly the last landed mid-run, and each restart resumed it.
    expect(run.attempts).toBeGreaterThanOrEqual(KILL_AFTER_CREATES.length + 1);
    expect(findDuplicates(emulator.store).filter((d) => d.createdByApi > 0)).toEqual([]);
    expect(createdByApi()).toBe(total);
    const rows = [
      ...(await db().advertiser.findMany({ where: { networkId: network.id, createdLocally: true } })),
      ...(await db().zone.findMany({ where: { networkId: network.id, createdLocally: true } })),
      ...(await db().campaign.findMany({ where: { networkId: network.id, createdLocally: true } })),
    ];
    expect(rows.every((r) => r.broadstreetId !== null && r.intentName === null)).toBe(true);
    const placements = await db().placement.findMany({ where: { networkId: network.id, createdLocally: true } });
    expect(placements.every((p) => p.syncedAt !== null && p.intentRunId === null)).toBe(true);
    expect([...rows, ...placements].map((r) => r.mongoId).sort()).toEqual([...local].sort());
    const events = await db().syncEvent.findMany({ where: { runId }, orderBy: { seq: 'asc' } });
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect(events.at(-1)!.status).toBe('SUCCEEDED');
  }, 180_000);

  it('SIGTERM while creates are in flight: the server stops at once, and the restarted run creates nothing twice', async () => {
    const network = await networkRow(NETWORK);
    const local: string[] = [];
    for (let i = 0; i < 12; i++) local.push((await localAdvertiser(network.id, `Term Advertiser ${i}`)).mongoId);
    const createdBefore = createdByApi();
    // Broadstreet acts on each create, then answers 300 ms later: a stop always finds creates in flight.
    emulator.config.latencyMs = 300;
    const started = await gql(
      `mutation { startSync(input: { networkId: ${NETWORK}, direction: EXPORT }) { ... on StartSyncPayload { run { id } } } }`,
    );
    const runId = parseRunId(started.data.startSync.run.id)!;
    while (createdByApi() - createdBefore < 3) await new Promise((r) => setTimeout(r, 10));
    const stoppedAt = Date.now();
    expect(await server!.kill('SIGTERM')).toBe(0);
    expect(Date.now() - stoppedAt).toBeLessThan(5_000);
    expect((await db().syncRun.findUniqueOrThrow({ where: { id: runId } })).status).toBe('RUNNING');
    emulator.config.latencyMs = 0;
    await startServer();
    const status = await waitForRun(runId, (s) => s !== 'QUEUED' && s !== 'RUNNING');
    expect(status).toBe('SUCCEEDED');
    expect(createdByApi() - createdBefore).toBe(local.length);
    const rows = await db().advertiser.findMany({ where: { mongoId: { in: local } } });
    expect(rows.map((r) => r.name).sort()).toEqual(local.map((_, i) => `Term Advertiser ${i}`).sort());
    expect(rows.every((r) => r.broadstreetId !== null && r.intentName === null)).toBe(true);
    expect(findDuplicates(emulator.store).filter((d) => d.createdByApi > 0)).toEqual([]);
  }, 120_000);
});
