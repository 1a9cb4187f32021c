// The stalled owner (issue 15): two instances on PostgreSQL and Redis, an
// export at 400 ms of emulator latency, its owner paused (SIGSTOP) for longer
// than its lease, so the other instance takes the run over, then woken
// (SIGCONT). Fenced writes: the woken owner sends nothing more, the new one
// waits out the old lease before acting on its intents. Every time: zero
// duplicates in the emulator, every local row linked to its own entity, and
// counts that add up. STALL_REPEATS (default 3) sets how many times.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ScaleoutEnv, scaleoutSkipReason, startScaleoutEnv } from '../helpers/scaleout.ts';
import { db } from '../helpers/db.ts';
import type { RunningEmulator } from '../../src/emulator/index.ts';
import { findDuplicates } from '../../src/emulator/stats.ts';
import { parseRunId } from '../../src/sync/sync.schema.ts';
import { localAdvertiser, localCampaign, localZone, networkRow } from '../helpers/local-entities.ts';
import { freePort, spawnEntry, type Spawned } from '../helpers/process.ts';
import type { PrivateRedis } from '../helpers/redis-server.ts';

const unavailable = await scaleoutSkipReason();

const REPEATS = Number(process.env.STALL_REPEATS ?? 3);
const NETWORK = 85;
/** Lease 10 s, request timeout 3 s: the pause (18 s) outlasts both, and the queue's 10 s lock. */
const LEASE_MS = 10_000;
const TIMEOUT_MS = 3_000;
const PAUSE_MS = 18_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Instance {
  port: number;
  process: Spawned;
  url: string;
}

describe.skipIf(!!unavailable)('a stalled owner in scale-out (SIGSTOP past the lease, then SIGCONT)', () => {
  let env: ScaleoutEnv;
  let databaseUrl: string;
  let redis: PrivateRedis;
  let emulator: RunningEmulator;
  const instances: Instance[] = [];

  beforeAll(async () => {
    env = await startScaleoutEnv('stalled', { size: 'tiny' });
    ({ databaseUrl, redis, emulator } = env);
    for (let i = 0; i < 2; i++) instances.push(await startInstance());
    const importId = await startSync(instances[0]!, { networkId: NETWORK, direction: 'IMPORT' });
    await finished(importId, 60_000);
  }, 120_000);

  afterAll(async () => {
    for (const i of instances) {
      i.process.child.kill('SIGCONT');
      await i.process.kill('SIGKILL');
    }
    await env?.close();
  });

  async function startInstance(): Promise<Instance> {
    const port = await freePort();
    const child = spawnEntry('src/main.ts', {
      DATABASE_URL: databaseUrl,
      REDIS_URL: redis.url,
      PORT: String(port),
      BROADSTREET_API_BASE_URL: emulator.url,
      BROADSTREET_API_TOKEN: emulator.config.token,
      BROADSTREET_RATE_LIMIT_RPS: '50',
      BROADSTREET_RATE_LIMIT_MARGIN: '0.2',
      BROADSTREET_RETRY_BASE_MS: '50',
      BROADSTREET_TIMEOUT_MS: String(TIMEOUT_MS),
      SYNC_LEASE_MS: String(LEASE_MS),
      SYNC_RUNS_PER_WORKER: '1',
    });
    await child.waitFor(/serving GraphQL/);
    return { port, process: child, url: `http://127.0.0.1:${port}` };
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
    const { data } = (await response.json()) as { data: { startSync: { run?: { id: string } } } };
    if (!data.startSync.run) throw new Error(`startSync refused: ${JSON.stringify(data)}`);
    return parseRunId(data.startSync.run.id)!;
  }

  async function finished(runId: number, timeoutMs: number) {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const run = await db().syncRun.findUniqueOrThrow({ where: { id: runId } });
      if (run.finishedAt) return run;
      if (Date.now() > until) throw new Error(`run ${runId} did not finish (${run.status}, owner ${run.owner})`);
      await sleep(200);
    }
  }

  async function ownerOf(runId: number): Promise<Instance> {
    for (let tries = 0; ; tries++) {
      const run = await db().syncRun.findUniqueOrThrow({ where: { id: runId } });
      const owner = instances.find((i) => run.owner?.split(':')[1] === String(i.process.child.pid));
      if (owner && run.status === 'RUNNING') return owner;
      if (tries > 400) throw new Error(`run ${runId} has no owner`);
      await sleep(25);
    }
  }

  const createdByApi = () => Object.values(emulator.stats.created).reduce((a, b) => a + b, 0);

  it(
    `leaves zero duplicates and every row linked to its own entity, ${REPEATS} times`,
    async () => {
      emulator.config.latencyMs = 400;
      const seen: string[] = [];
      for (let round = 0; round < REPEATS; round++) {
        const prefix = `Stall${round}`;
        const network = await networkRow(NETWORK);
        for (let i = 0; i < 12; i++) {
          const advertiser = await localAdvertiser(network.id, `${prefix} Advertiser ${i}`);
          await localCampaign(network.id, advertiser.id, `${prefix} Campaign ${i}`);
          await localZone(network.id, `${prefix} Zone ${i}`);
        }
        const total = 36;
        const before = createdByApi();
        const runId = await startSync(instances[round % 2]!, { networkId: NETWORK, direction: 'EXPORT' });
        const owner = await ownerOf(runId);
        // Pause it with creates in flight.
        while (createdByApi() - before < 3) await sleep(5);
        const logged = owner.process.output().length;
        owner.process.child.kill('SIGSTOP');
        await sleep(PAUSE_MS);
        owner.process.child.kill('SIGCONT');
        const run = await finished(runId, 120_000);
        // The woken owner learnt it had lost the run, and stopped.
        const stoppedLine = /another worker owns this run now; stopping here/;
        for (let waited = 0; !stoppedLine.test(owner.process.output().slice(logged)) && waited < 20_000; waited += 100) await sleep(100);
        expect(owner.process.output().slice(logged)).toMatch(stoppedLine);
        const other = instances.find((i) => i !== owner)!;
        expect(run.owner?.split(':')[1]).toBe(String(other.process.child.pid));
        // The errors and what made the run PARTIAL are part of the comparison, so a failed round says what went wrong.
        const counts = Object.values(run.counts as Record<string, Record<string, number>>);
        const sum = (kind: string) => counts.reduce((n, c) => n + (c[kind] ?? 0), 0);
        const errors = (await db().syncError.findMany({ where: { runId }, orderBy: { id: 'asc' } })).map((e) => `${e.code}: ${e.message}`);
        const unfinished = { failed: sum('failed'), skipped: sum('skipped'), conflicts: sum('conflicts') };
        expect({ round, status: run.status, reason: run.failureReason, errors, unfinished }).toEqual({
          round,
          status: 'SUCCEEDED',
          reason: null,
          errors: [],
          unfinished: { failed: 0, skipped: 0, conflicts: 0 },
        });

        // Zero duplicates, and exactly the entities asked for.
        expect(findDuplicates(emulator.store).filter((d) => d.createdByApi > 0)).toEqual([]);
        expect(createdByApi() - before).toBe(total);
        // Every local row linked to the remote entity of its own name.
        const advertisers = await db().advertiser.findMany({ where: { networkId: network.id, name: { startsWith: prefix } } });
        const zones = await db().zone.findMany({ where: { networkId: network.id, name: { startsWith: prefix } } });
        const campaigns = await db().campaign.findMany({ where: { networkId: network.id, name: { startsWith: prefix } } });
        for (const a of advertisers) expect(emulator.store.advertisers.get(a.broadstreetId!)?.name).toBe(a.name);
        for (const z of zones) expect(emulator.store.zones.get(z.broadstreetId!)?.name).toBe(z.name);
        for (const c of campaigns) expect(emulator.store.campaigns.get(c.broadstreetId!)?.name).toBe(c.name);
        // Honest counts: 36 created, nothing else.
        expect({ round, created: sum('created'), unchanged: sum('unchanged'), failed: sum('failed') }).toEqual({
          round,
          created: total,
          unchanged: 0,
          failed: 0,
        });
        const events = await db().syncEvent.findMany({ where: { runId }, orderBy: { seq: 'asc' } });
        const warnings = events.flatMap((e) => e.warnings as string[]);
        if (warnings.some((w) => /waiting .+ until its lease has expired/.test(w))) seen.push('waited');
        seen.push(`round ${round}: ok`);
      }
      console.log(`stalled owner: ${REPEATS} rounds, ${seen.filter((s) => s === 'waited').length} waited for the old lease`);
    },
    60_000 + REPEATS * 90_000,
  );
});
