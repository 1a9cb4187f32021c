// Crash-safety of a two-way export: the server is killed with SIGKILL at many
// points of an export that mixes creates, updates, placement re-creates
// (delete + create of the triple) and deletes, and restarted each time.
// Afterwards Broadstreet (the emulator) holds exactly the intended state: no
// duplicate, no lost update, no missing placement, nothing deleted that should
// not have been.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.ts';
import { findDuplicates } from '../../src/emulator/stats.ts';
import { parseRunId } from '../../src/sync/sync.schema.ts';
import { createTestDatabase, databaseSkipReason, type TestDatabase } from '../helpers/database.ts';
import { closeTestDatabases, db, openTestDatabase } from '../helpers/db.ts';
import { anyAdvertisement, localAdvertiser, localCampaign, localPlacement, networkRow } from '../helpers/local-entities.ts';
import { freePort, spawnEntry, type Spawned } from '../helpers/process.ts';

const NETWORK = 85;
/** Kill after this many writes (POST, PUT, DELETE) reached Broadstreet. */
const KILL_AFTER_WRITES = [1, 3, 6, 10, 15, 21, 28];

describe.skipIf(!!databaseSkipReason())('crash-safety of a two-way export (SIGKILL mid-export)', () => {
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
  const mutate = async (name: string, inputType: string, input: Record<string, unknown>) => {
    const result = await gql(`mutation ($input: ${inputType}!) { ${name}(input: $input) { __typename ... on Error { message } } }`, {
      input,
    });
    expect(result.data?.[name]?.__typename, JSON.stringify(result)).toMatch(/Payload$/);
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

  async function waitForRun(runId: number, timeoutMs = 90_000): Promise<string> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const run = await db().syncRun.findUniqueOrThrow({ where: { id: runId } });
      if (run.status !== 'QUEUED' && run.status !== 'RUNNING') return run.status;
      if (Date.now() > until) throw new Error(`run ${runId} still ${run.status}; server output:\n${server?.output()}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  const writes = () =>
    Object.entries(emulator.stats.byEndpoint)
      .filter(([endpoint]) => /^(POST|PUT|DELETE) /.test(endpoint))
      .reduce((sum, [, n]) => sum + n, 0);

  beforeAll(async () => {
    emulator = await startEmulator({ size: 'tiny' });
    database = await createTestDatabase();
    await openTestDatabase(database.url);
    await startServer();
    const imported = await gql(
      `mutation { startSync(input: { networkId: ${NETWORK}, direction: IMPORT }) { ... on StartSyncPayload { run { id } } } }`,
    );
    expect(await waitForRun(parseRunId(imported.data.startSync.run.id)!)).toBe('SUCCEEDED');
  }, 60_000);
  afterAll(async () => {
    await server?.kill('SIGKILL');
    await closeTestDatabases();
    await database?.drop();
    await emulator?.stop();
  });

  it('resumes after every kill and ends with exactly the intended state in Broadstreet', async () => {
    const network = await networkRow(NETWORK);
    const ad = await anyAdvertisement(network.id);
    const zone = await db().zone.findFirstOrThrow({
      where: { networkId: network.id, broadstreetId: { not: null } },
      orderBy: { id: 'asc' },
    });
    const synced = await db().campaign.findMany({
      where: { networkId: network.id, broadstreetId: { not: null }, removedAt: null },
      include: { placements: { include: { advertisement: true, zone: true } } },
      orderBy: { id: 'asc' },
    });
    const withPlacements = synced.filter((c) => c.placements.length > 0);
    expect(withPlacements.length).toBeGreaterThanOrEqual(5);
    const doomed = withPlacements.at(-1)!;

    // Creates: advertisers with a campaign and a placement each.
    const created: { advertiser: string; campaign: string }[] = [];
    for (let i = 0; i < 4; i++) {
      const advertiser = await localAdvertiser(network.id, `Crash2 Advertiser ${i}`);
      const campaign = await localCampaign(network.id, advertiser.id, `Crash2 Campaign ${i}`);
      await localPlacement(network.id, { campaignId: campaign.id, advertisementId: ad.id, zoneId: zone.id });
      created.push({ advertiser: advertiser.name, campaign: campaign.name });
    }
    // Updates: six synced campaigns get a new weight, end date and paused.
    const updated = synced.filter((c) => c.id !== doomed.id).slice(0, 6);
    for (const c of updated) {
      await mutate('updateCampaign', 'UpdateCampaignInput', {
        campaign: { mongoId: c.mongoId },
        weight: 1.5,
        endDate: '2030-06-30',
        paused: true,
      });
    }
    // Placement re-creates: the first placement of two campaigns gets new restrictions.
    const recreated = withPlacements.slice(0, 2).map((c) => c.placements[0]!);
    for (const p of recreated) await mutate('updatePlacement', 'UpdatePlacementInput', { mongoId: p.mongoId, restrictions: ['tablet'] });
    // Deletes: the last placement of two other campaigns, and one campaign with all its placements.
    const deletedPlacements = withPlacements.slice(2, 4).map((c) => c.placements.at(-1)!);
    for (const p of [...deletedPlacements, ...doomed.placements])
      await mutate('deletePlacement', 'DeletePlacementInput', { mongoId: p.mongoId });
    await mutate('deleteCampaign', 'DeleteCampaignInput', { campaign: { mongoId: doomed.mongoId } });

    // What Broadstreet must hold afterwards: every placement of every synced campaign but the deleted ones.
    const triple = (p: { advertisement: { broadstreetId: number | null }; zone: { broadstreetId: number | null } }) =>
      `${p.advertisement.broadstreetId}:${p.zone.broadstreetId}`;
    const deletedKeys = new Set(deletedPlacements.map((p) => `${p.campaignId}:${triple(p)}`));
    const intendedPlacements = new Map(
      synced
        .filter((c) => c.id !== doomed.id)
        .map((c) => [
          c.broadstreetId!,
          c.placements
            .filter((p) => !deletedKeys.has(`${c.id}:${triple(p)}`))
            .map(triple)
            .sort(),
        ]),
    );
    const writesBefore = writes();

    emulator.config.latencyMs = 20;
    const started = await gql(
      `mutation { startSync(input: { networkId: ${NETWORK}, direction: EXPORT }) { ... on StartSyncPayload { run { id } } } }`,
    );
    const runId = parseRunId(started.data.startSync.run.id)!;
    for (const after of KILL_AFTER_WRITES) {
      while (writes() - writesBefore < after && (await db().syncRun.findUniqueOrThrow({ where: { id: runId } })).status === 'RUNNING') {
        await new Promise((r) => setTimeout(r, 2));
      }
      await server!.kill('SIGKILL');
      await startServer();
    }
    const status = await waitForRun(runId);
    emulator.config.latencyMs = 0;
    const run = await db().syncRun.findUniqueOrThrow({ where: { id: runId } });
    expect({ status, reason: run.failureReason }).toEqual({ status: 'SUCCEEDED', reason: null });
    expect(run.attempts).toBeGreaterThan(3);

    // No duplicate, and every create exactly once.
    expect(findDuplicates(emulator.store).filter((d) => d.createdByApi > 0)).toEqual([]);
    const advertisers = emulator.store.advertisersOf(NETWORK);
    for (const { advertiser, campaign } of created) {
      const matches = advertisers.filter((a) => a.name === advertiser);
      expect(matches, advertiser).toHaveLength(1);
      const campaigns = emulator.store.campaignsOf(matches[0]!.id);
      expect(campaigns.map((c) => c.name)).toEqual([campaign]);
      expect(emulator.store.placementsOf(campaigns[0]!.id).map((p) => [p.advertisementId, p.zoneId])).toEqual([
        [ad.broadstreetId, zone.broadstreetId],
      ]);
    }
    // No lost update.
    for (const c of updated) {
      expect(emulator.store.campaigns.get(c.broadstreetId!), c.name).toMatchObject({ weight: 1.5, endDate: '2030-06-30', paused: true });
    }
    // Exactly the intended placements: re-created ones once, with their new restrictions; deleted ones gone; the rest untouched.
    for (const [campaignId, intended] of intendedPlacements) {
      const actual = emulator.store.placementsOf(campaignId).map((p) => `${p.advertisementId}:${p.zoneId}`);
      expect(actual.sort(), `campaign ${campaignId}`).toEqual(intended);
    }
    for (const p of recreated) {
      const there = emulator.store
        .placementsOf(withPlacements.find((c) => c.id === p.campaignId)!.broadstreetId!)
        .filter((x) => `${x.advertisementId}:${x.zoneId}` === triple(p));
      expect(there.map((x) => x.restrictions)).toEqual([['tablet']]);
    }
    // The deleted campaign is gone, and nothing else of the network was deleted.
    expect(emulator.store.campaigns.has(doomed.broadstreetId!)).toBe(false);
    for (const c of synced.filter((x) => x.id !== doomed.id)) expect(emulator.store.campaigns.has(c.broadstreetId!), c.name).toBe(true);

    // Locally: every change is done and nothing waits.
    const rows = await db().campaign.findMany({ where: { id: { in: updated.map((c) => c.id) } } });
    expect(rows.every((r) => r.changedAt === null && r.conflict === null)).toBe(true);
    expect((await db().campaign.findUniqueOrThrow({ where: { id: doomed.id } })).removedAt).not.toBeNull();
    const placements = await db().placement.findMany({ where: { id: { in: recreated.map((p) => p.id) } } });
    expect(placements.every((p) => p.changedAt === null && p.intentRunId === null && p.removedAt === null)).toBe(true);
    const events = await db().syncEvent.findMany({ where: { runId }, orderBy: { seq: 'asc' } });
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
  }, 240_000);
});
