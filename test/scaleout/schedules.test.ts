// Schedules in scale-out: two server processes on PostgreSQL and a private
// Redis, each tick a BullMQ job-scheduler job. Over ten PT2S ticks each tick
// yields exactly one run (or one recorded skip), never two.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ScaleoutEnv, scaleoutSkipReason, startScaleoutEnv } from '../helpers/scaleout.ts';
import { db } from '../helpers/db.ts';
import type { RunningEmulator } from '../../src/emulator/index.ts';
import { freePort, spawnEntry, type Spawned } from '../helpers/process.ts';
import type { PrivateRedis } from '../helpers/redis-server.ts';

const unavailable = await scaleoutSkipReason();

describe.skipIf(!!unavailable)('scale-out schedules: two instances on PostgreSQL and Redis', () => {
  let env: ScaleoutEnv;
  let databaseUrl: string;
  let redis: PrivateRedis;
  let emulator: RunningEmulator;
  const children: Spawned[] = [];
  const ports: number[] = [];

  beforeAll(async () => {
    env = await startScaleoutEnv('schedules', { size: 'tiny' });
    ({ databaseUrl, redis, emulator } = env);
    for (let i = 0; i < 2; i++) {
      const port = await freePort();
      const child = spawnEntry('src/main.ts', {
        DATABASE_URL: databaseUrl,
        REDIS_URL: redis.url,
        PORT: String(port),
        BROADSTREET_API_BASE_URL: emulator.url,
        BROADSTREET_API_TOKEN: emulator.config.token,
        BROADSTREET_RATE_LIMIT_RPS: '200',
      });
      await child.waitFor(/serving GraphQL/);
      children.push(child);
      ports.push(port);
    }
  }, 90_000);

  afterAll(async () => {
    await Promise.all(children.map((c) => c.kill('SIGKILL')));
    await env?.close();
  });

  const graphql = async (port: number, query: string, variables?: Record<string, unknown>) => {
    const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as { data: Record<string, any> };
  };

  it('over 10 ticks of a PT2S schedule, each tick yields exactly one run', async () => {
    const made = await graphql(
      ports[0]!,
      `mutation { createSyncSchedule(input: { networkId: 85, direction: IMPORT, entityTypes: [NETWORK], every: "PT2S" }) {
        __typename ... on CreateSyncSchedulePayload { schedule { id nextRunAt } } ... on Error { message } } }`,
    );
    expect(made.data.createSyncSchedule.__typename).toBe('CreateSyncSchedulePayload');
    const schedule = await db().syncSchedule.findFirstOrThrow();
    const deadline = Date.now() + 40_000;
    while ((await db().syncScheduleTick.count({ where: { scheduleId: schedule.id, outcome: { not: 'PENDING' } } })) < 10) {
      if (Date.now() > deadline) throw new Error('fewer than 10 ticks in 40 s');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    await graphql(ports[1]!, `mutation ($id: ID!) { updateSyncSchedule(input: { id: $id, enabled: false }) { __typename } }`, {
      id: made.data.createSyncSchedule.schedule.id,
    });
    // Let the last runs end.
    for (let i = 0; i < 100 && (await db().syncRun.count({ where: { finishedAt: null } })) > 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const ticks = await db().syncScheduleTick.findMany({ where: { scheduleId: schedule.id }, orderBy: { dueAt: 'asc' } });
    const first10 = ticks.slice(0, 10);
    // Ten consecutive slots, two seconds apart: none missed, none doubled.
    expect(first10.map((t) => t.dueAt.getTime() - first10[0]!.dueAt.getTime())).toEqual(Array.from({ length: 10 }, (_, i) => i * 2000));
    const runs = await db().syncRun.findMany({ where: { scheduleId: schedule.id } });
    const started = ticks.filter((t) => t.outcome === 'STARTED');
    expect(runs.length).toBe(started.length);
    expect(new Set(started.map((t) => t.runId)).size).toBe(started.length);
    for (const t of ticks) expect(['STARTED', 'SKIPPED']).toContain(t.outcome);
    // A skip only ever names a run that was in progress (this schedule's previous one).
    for (const t of ticks.filter((x) => x.outcome === 'SKIPPED')) expect(t.reason).toMatch(/in progress/);
    expect(started.length).toBeGreaterThanOrEqual(8);
    expect(runs.every((r) => r.trigger === 'SCHEDULE' && r.status === 'SUCCEEDED')).toBe(true);
  }, 90_000);
});
