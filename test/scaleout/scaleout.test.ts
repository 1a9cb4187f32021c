// Scale-out end to end: server processes sharing PostgreSQL, a private Redis
// (pub/sub, run queue, rate-limit budget) and the emulator on real sockets.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ScaleoutEnv, scaleoutSkipReason, startScaleoutEnv } from '../helpers/scaleout.ts';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { db } from '../helpers/db.ts';
import type { RunningEmulator } from '../../src/emulator/index.ts';
import { findDuplicates } from '../../src/emulator/stats.ts';
import { parseRunId } from '../../src/sync/sync.schema.ts';
import { localAdvertiser, localCampaign, localZone, networkRow } from '../helpers/local-entities.ts';
import { freePort, spawnEntry, type Spawned } from '../helpers/process.ts';
import type { PrivateRedis } from '../helpers/redis-server.ts';
import { EVENT_FIELDS, type ProgressEventResult } from '../helpers/sync.ts';

const unavailable = await scaleoutSkipReason();

const RPS = 10;

interface Instance {
  name: string;
  port: number;
  process: Spawned;
  url: string;
}

describe.skipIf(!!unavailable)('scale-out: several instances on PostgreSQL and Redis', () => {
  let env: ScaleoutEnv;
  let databaseUrl: string;
  let redis: PrivateRedis;
  let emulator: RunningEmulator;
  const instances: Instance[] = [];
  const clients: Client[] = [];

  beforeAll(async () => {
    env = await startScaleoutEnv('scaleout', { size: 'small' });
    ({ databaseUrl, redis, emulator } = env);
  }, 60_000);

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    await Promise.all(instances.map((i) => i.process.kill('SIGKILL')));
    await env?.close();
  });

  async function startInstance(name: string, env: Record<string, string> = {}, entry = 'src/main.ts'): Promise<Instance> {
    const port = await freePort();
    const child = spawnEntry(entry, {
      DATABASE_URL: databaseUrl,
      REDIS_URL: redis.url,
      PORT: String(port),
      BROADSTREET_API_BASE_URL: emulator.url,
      BROADSTREET_API_TOKEN: emulator.config.token,
      BROADSTREET_RATE_LIMIT_RPS: String(RPS),
      // Four agents' worth of load on two cores delays sends by tens of ms; a wider margin absorbs it.
      BROADSTREET_RATE_LIMIT_MARGIN: '0.2',
      BROADSTREET_RETRY_BASE_MS: '50',
      SYNC_RUNS_PER_WORKER: '1',
      ...env,
    });
    await child.waitFor(entry === 'src/main.ts' ? /serving GraphQL/ : /taking sync runs/);
    const instance = { name, port, process: child, url: `http://127.0.0.1:${port}` };
    instances.push(instance);
    return instance;
  }

  async function startSync(on: Instance, input: Record<string, unknown>): Promise<number> {
    const response = await fetch(`${on.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query:
          `mutation ($input: StartSyncInput!) { startSync(input: $input) { __typename ... on StartSyncPayload ` +
          `{ run { id } } ... on Error { message } } }`,
        variables: { input },
      }),
    });
    const { data } = (await response.json()) as { data: { startSync: { __typename: string; run?: { id: string }; message?: string } } };
    if (!data.startSync.run) throw new Error(`startSync refused: ${JSON.stringify(data)}`);
    return parseRunId(data.startSync.run.id)!;
  }

  /** Follows a run on an instance until it ends; `received` fills as events arrive. */
  function follow(on: Instance, runId: number, afterSeq = 0, received: ProgressEventResult[] = []) {
    const client = createClient({ url: `ws://127.0.0.1:${on.port}/graphql`, webSocketImpl: WebSocket, retryAttempts: 0 });
    clients.push(client);
    const done = new Promise<ProgressEventResult[]>((resolve, reject) => {
      client.subscribe<{ syncProgress: ProgressEventResult }>(
        {
          query: `subscription ($id: ID!, $after: Int) { syncProgress(runId: $id, afterSeq: $after) { ${EVENT_FIELDS} } }`,
          variables: { id: String(runId), after: afterSeq },
        },
        { next: (r) => received.push(r.data!.syncProgress), error: reject, complete: () => resolve(received) },
      );
    });
    return { client, received, done };
  }

  async function ownerOf(runId: number, timeoutMs = 20_000): Promise<Instance> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const run = await db().syncRun.findUniqueOrThrow({ where: { id: runId } });
      const pid = run.owner?.split(':')[1];
      const owner = instances.find((i) => String(i.process.child.pid) === pid && alive(i));
      if (owner && run.status === 'RUNNING') return owner;
      if (Date.now() > until) throw new Error(`run ${runId} has no live owner (${run.owner}, ${run.status})`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  const alive = (i: Instance) => i.process.child.exitCode === null && i.process.child.signalCode === null;
  const createdByApi = () => Object.values(emulator.stats.created).reduce((a, b) => a + b, 0);

  function expectContiguous(events: ProgressEventResult[], from = 1): void {
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + from));
    expect(events.at(-1)!.status).toMatch(/SUCCEEDED|PARTIAL|FAILED|CANCELLED/);
  }

  async function localWork(networkId: number, prefix: string, advertisers: number): Promise<number> {
    const network = await networkRow(networkId);
    for (let i = 0; i < advertisers; i++) {
      const advertiser = await localAdvertiser(network.id, `${prefix} Advertiser ${i}`);
      await localCampaign(network.id, advertiser.id, `${prefix} Campaign ${i}`);
      await localZone(network.id, `${prefix} Zone ${i}`);
    }
    return advertisers * 3;
  }

  it('startSync on A, syncProgress on B: every event in order; two instances share one rate limit', async () => {
    const a = await startInstance('A');
    const b = await startInstance('B');
    emulator.stats.reset();
    const first = await startSync(a, { networkId: 85, direction: 'IMPORT' });
    const second = await startSync(b, { networkId: 131, direction: 'IMPORT' });
    const [events1, events2] = await Promise.all([follow(b, first).done, follow(a, second).done]);
    expectContiguous(events1);
    expectContiguous(events2);
    expect(events1.at(-1)!.status).toBe('SUCCEEDED');
    expect(events2.at(-1)!.status).toBe('SUCCEEDED');
    const owners = await db().syncRun.findMany({ where: { id: { in: [first, second] } }, select: { owner: true } });
    expect(new Set(owners.map((o) => o.owner?.split(':')[1])).size).toBe(2);
    expect(emulator.stats.total).toBeGreaterThan(4 * RPS);
    expect(emulator.stats.busiestSecond).toBeLessThanOrEqual(RPS);
  }, 120_000);

  it('SIGKILL of the executing instance mid-export: another takes the run over and finishes it, zero duplicates', async () => {
    const total = await localWork(85, 'Kill', 10);
    const createdBefore = createdByApi();
    const runId = await startSync(instances[0]!, { networkId: 85, direction: 'EXPORT' });
    const owner = await ownerOf(runId);
    const survivor = instances.find((i) => i !== owner && alive(i))!;
    const watch = follow(survivor, runId);
    while (createdByApi() - createdBefore < 5) await new Promise((r) => setTimeout(r, 20));
    const killedAt = Date.now();
    await owner.process.kill('SIGKILL');
    const newOwner = await ownerOf(runId, 30_000);
    expect(newOwner).toBe(survivor);
    expect(Date.now() - killedAt).toBeLessThan(30_000);
    const events = await watch.done;
    expectContiguous(events);
    expect(events.at(-1)!.status).toBe('SUCCEEDED');
    expect(createdByApi() - createdBefore).toBe(total);
    expect(findDuplicates(emulator.store).filter((d) => d.createdByApi > 0)).toEqual([]);
    const run = await db().syncRun.findUniqueOrThrow({ where: { id: runId } });
    expect(run.attempts).toBe(2);
  }, 120_000);

  it('Redis restarted mid-run: the run finishes, and a subscriber that reconnects misses no event', async () => {
    while (instances.filter((i) => alive(i)).length < 2) await startInstance(`C${instances.length}`);
    const live = instances.filter((i) => alive(i));
    await localWork(85, 'Restart', 8);
    const runId = await startSync(live[0]!, { networkId: 85, direction: 'EXPORT' });
    const steady = follow(live[1]!, runId);
    const first = follow(live[0]!, runId);
    while (first.received.length < 3) await new Promise((r) => setTimeout(r, 20));
    await first.client.dispose();
    await redis.kill();
    await new Promise((r) => setTimeout(r, 1_500));
    await redis.start();
    const seen = first.received.at(-1)!.seq;
    const rest = await follow(live[0]!, runId, seen).done;
    expectContiguous([...first.received, ...rest]);
    expect(rest.at(-1)!.status).toBe('SUCCEEDED');
    const events = await steady.done;
    expectContiguous(events);
    expect(findDuplicates(emulator.store).filter((d) => d.createdByApi > 0)).toEqual([]);
  }, 120_000);

  it('SIGTERM: the instance hands its run back and exits; a dedicated worker finishes it', async () => {
    for (const i of instances) await i.process.kill('SIGKILL');
    const server = await startInstance('server', { SYNC_WORKER: 'false' });
    const workers = [await startInstance('worker-1', {}, 'src/worker.ts'), await startInstance('worker-2', {}, 'src/worker.ts')];
    const total = await localWork(85, 'Term', 20);
    const createdBefore = createdByApi();
    const runId = await startSync(server, { networkId: 85, direction: 'EXPORT' });
    const watch = follow(server, runId);
    const executing = await ownerOf(runId);
    expect(workers).toContain(executing);
    const standby = workers.find((w) => w !== executing)!;
    while (createdByApi() - createdBefore < 4) await new Promise((r) => setTimeout(r, 20));
    const stoppedAt = Date.now();
    expect(await executing.process.kill('SIGTERM')).toBe(0);
    expect(Date.now() - stoppedAt).toBeLessThan(10_000);
    const events = await watch.done;
    expectContiguous(events);
    const run = await db().syncRun.findUniqueOrThrow({ where: { id: runId } });
    expect({ status: events.at(-1)!.status, reason: run.failureReason }).toEqual({ status: 'SUCCEEDED', reason: null });
    expect(run.owner?.split(':')[1]).toBe(String(standby.process.child.pid));
    expect(createdByApi() - createdBefore).toBe(total);
    expect(findDuplicates(emulator.store).filter((d) => d.createdByApi > 0)).toEqual([]);
  }, 120_000);
});
