// Schedules, automatic retry, the sync summary and the run-finished webhook,
// against a real server and the emulator on real sockets.
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { databaseSkipReason, TEST_PROVIDER } from '../helpers/database.ts';
import { localAdvertiser, networkRow } from '../helpers/local-entities.ts';
import { startSyncEnv, type SyncEnv } from '../helpers/sync.ts';

const skip = databaseSkipReason();

const SCHEDULE_FIELDS = `id networkId direction entityTypes every cron timeZone enabled nextRunAt retryAttempts retryDelay
  lastRun { id status trigger } ticks { dueAt outcome reason run { id status } }`;

const CREATE = `mutation ($input: CreateSyncScheduleInput!) { createSyncSchedule(input: $input) {
  __typename
  ... on CreateSyncSchedulePayload { schedule { ${SCHEDULE_FIELDS} } }
  ... on Error { message }
  ... on ValidationError { fieldErrors { path message } }
} }`;

const UPDATE = `mutation ($input: UpdateSyncScheduleInput!) { updateSyncSchedule(input: $input) {
  __typename
  ... on UpdateSyncSchedulePayload { schedule { ${SCHEDULE_FIELDS} } }
  ... on Error { message }
  ... on ValidationError { fieldErrors { path message } }
} }`;

const DELETE = `mutation ($input: DeleteSyncScheduleInput!) { deleteSyncSchedule(input: $input) {
  __typename
  ... on DeleteSyncSchedulePayload { schedule { id } }
  ... on Error { message }
} }`;

export async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe.skipIf(!!skip)(`schedules (${TEST_PROVIDER})`, () => {
  let env: SyncEnv;
  beforeAll(async () => {
    env = await startSyncEnv();
    const { run } = await env.sync({ networkId: 85, direction: 'IMPORT' });
    expect(run.status).toBe('SUCCEEDED');
  }, 60_000);
  afterAll(async () => env?.stop());
  afterEach(async () => {
    await env.server.services.db.syncSchedule.deleteMany();
  });

  const create = async (input: Record<string, unknown>) => (await env.server.graphql(CREATE, { input })).data!.createSyncSchedule;

  it.each([
    [{ every: 'PT15X' }, 'every', /ISO 8601 duration/],
    [{ every: '-PT1S' }, 'every', /ISO 8601 duration/],
    [{ every: 'PT0.5S' }, 'every', /at least 1 second/],
    [{ cron: '61 * * * *' }, 'cron', /not a cron expression/],
    [{ cron: '*/5 * * * *', timeZone: 'Mars/Olympus' }, 'timeZone', /IANA time zone/],
    [{ every: 'PT1M', cron: '* * * * *' }, 'cron', /exactly one/],
    [{}, 'every', /exactly one/],
    [{ every: 'PT1M', timeZone: 'UTC' }, 'timeZone', /goes with cron/],
    [{ every: 'PT1M', retryAttempts: 11 }, 'retryAttempts', /0 \(no automatic retry\) to 10/],
    [{ every: 'PT1M', entityTypes: ['NETWORK'], direction: 'EXPORT' }, 'entityTypes', /cannot include NETWORK/],
  ])('refuses %j with a field error on %s, storing nothing', async (fields, field, message) => {
    const result = await create({ networkId: 85, direction: 'IMPORT', ...fields });
    expect(result.__typename).toBe('ValidationError');
    expect(result.fieldErrors).toContainEqual({ path: ['input', field], message: expect.stringMatching(message) });
    expect(await env.server.services.db.syncSchedule.count()).toBe(0);
  });

  it('refuses a schedule of a network that is not imported, and answers NotFoundError for an unknown schedule', async () => {
    expect((await create({ networkId: 999, direction: 'EXPORT', every: 'PT1M' })).__typename).toBe('NotFoundError');
    const update = await env.server.graphql(UPDATE, { input: { id: '12345', enabled: false } });
    expect(update.data!.updateSyncSchedule.__typename).toBe('NotFoundError');
    const del = await env.server.graphql(DELETE, { input: { id: 'bm90IGFuIGlk' } });
    expect(del.data!.deleteSyncSchedule.__typename).toBe('NotFoundError');
    expect(await env.server.services.db.syncSchedule.count()).toBe(0);
  });

  it('stores a cron schedule in its time zone with its next tick, pauses, resumes and deletes it', async () => {
    const made = await create({ networkId: 85, direction: 'IMPORT', cron: '0 3 * * *', timeZone: 'Europe/Berlin' });
    expect(made.__typename).toBe('CreateSyncSchedulePayload');
    const next = new Date(made.schedule.nextRunAt);
    // 03:00 in Berlin is 01:00 or 02:00 UTC.
    expect([1, 2]).toContain(next.getUTCHours());
    expect(next.getTime()).toBeGreaterThan(Date.now());
    const paused = (await env.server.graphql(UPDATE, { input: { id: made.schedule.id, enabled: false } })).data!.updateSyncSchedule;
    expect(paused.schedule).toMatchObject({ enabled: false, nextRunAt: null });
    const resumed = (await env.server.graphql(UPDATE, { input: { id: made.schedule.id, enabled: true, every: 'PT4H' } })).data!
      .updateSyncSchedule;
    expect(resumed.schedule).toMatchObject({ enabled: true, every: 'PT4H', cron: null, timeZone: null });
    const listed = await env.server.graphql('{ network(ref: { broadstreetId: 85 }) { syncSchedules { id every } } }');
    expect(listed.data!.network.syncSchedules).toEqual([{ id: made.schedule.id, every: 'PT4H' }]);
    const deleted = (await env.server.graphql(DELETE, { input: { id: made.schedule.id } })).data!.deleteSyncSchedule;
    expect(deleted.schedule.id).toBe(made.schedule.id);
    expect(await env.server.services.db.syncSchedule.count()).toBe(0);
  });

  it('a PT2S schedule: three ticks give three runs; a tick during an active run is recorded as skipped', async () => {
    const made = await create({ networkId: 85, direction: 'IMPORT', entityTypes: ['NETWORK', 'ADVERTISER'], every: 'PT2S' });
    expect(made.__typename).toBe('CreateSyncSchedulePayload');
    const { db } = env.server.services;
    const scheduleId = Number(Buffer.from(made.schedule.id, 'base64').toString().split(':')[1]);
    const started = () => db.syncScheduleTick.findMany({ where: { scheduleId, outcome: 'STARTED' }, orderBy: { dueAt: 'asc' } });
    const ticks = await until('three ticks', async () => ((await started()).length >= 3 ? started() : null), 12_000);
    const firstThree = ticks.slice(0, 3);
    const runs = await db.syncRun.findMany({ where: { id: { in: firstThree.map((t) => t.runId!) } } });
    expect(new Set(firstThree.map((t) => t.runId)).size).toBe(3);
    expect(runs.map((r) => [r.trigger, r.scheduleId, r.direction])).toEqual(Array(3).fill(['SCHEDULE', scheduleId, 'IMPORT']));
    // Two seconds apart, on one grid.
    expect(firstThree[1]!.dueAt.getTime() - firstThree[0]!.dueAt.getTime()).toBe(2000);
    expect(firstThree[2]!.dueAt.getTime() - firstThree[1]!.dueAt.getTime()).toBe(2000);
    await until('the runs to end', async () => (await db.syncRun.count({ where: { scheduleId, finishedAt: null } })) === 0);

    // A slow Broadstreet: the next scheduled run takes longer than a tick.
    env.emulator.faults.script({ kind: 'latency', latencyMs: 3_000, endpoint: 'GET *', count: 2 });
    const skipped = await until(
      'a skipped tick',
      () => db.syncScheduleTick.findFirst({ where: { scheduleId, outcome: 'SKIPPED' } }),
      12_000,
    );
    expect(skipped.reason).toMatch(/network 85 had run \d+ in progress/);
    const busy = await db.syncRun.findUniqueOrThrow({ where: { id: skipped.runId! } });
    expect(busy.startedAt!.getTime()).toBeLessThanOrEqual(skipped.at.getTime());
    // The skip is visible to a user: on the schedule's ticks.
    const shown = await env.server.graphql(
      `query ($id: ID!) { node(id: $id) { ... on SyncSchedule { ticks(first: 50) { outcome reason } } } }`,
      {
        id: made.schedule.id,
      },
    );
    expect(shown.data!.node.ticks).toContainEqual({ outcome: 'SKIPPED', reason: skipped.reason });
    // One run per started tick, never more.
    await env.server.graphql(UPDATE, { input: { id: made.schedule.id, enabled: false } });
    await until('the runs to end', async () => (await db.syncRun.count({ where: { scheduleId, finishedAt: null } })) === 0, 15_000);
    const allStarted = await db.syncScheduleTick.count({ where: { scheduleId, outcome: 'STARTED' } });
    expect(await db.syncRun.count({ where: { scheduleId } })).toBe(allStarted);
  }, 60_000);

  it('syncSummaryChanged pushes a new summary when a run starts and when it ends', async () => {
    const client = env.server.wsClient();
    const received: any[] = [];
    const query = `subscription { syncSummaryChanged(networkId: 85) {
      activeRun { id status } lastImport { id status } schedules { id } localCount erroredCount removedCount changedCount conflictCount } }`;
    const done = new Promise<void>((resolve, reject) => {
      const dispose = client.subscribe(
        { query },
        {
          next: (value) => {
            received.push(value.data!.syncSummaryChanged);
            const last = received.at(-1);
            if (received.length > 1 && !last.activeRun && last.lastImport?.id === runId) {
              dispose();
              resolve();
            }
          },
          error: reject,
          complete: () => resolve(),
        },
      );
    });
    let runId: string | undefined;
    // The first push is the summary as it is now.
    await until('the first summary', async () => received.length > 0);
    expect(received[0].activeRun).toBeNull();
    const started = await env.startSync({ networkId: 85, direction: 'IMPORT', entityTypes: ['NETWORK', 'ADVERTISER'] });
    runId = started.run.id;
    await done;
    expect(received.some((s) => s.activeRun?.id === runId)).toBe(true);
    expect(received.at(-1)).toMatchObject({ activeRun: null, lastImport: { id: runId, status: 'SUCCEEDED' } });
  }, 30_000);

  it('an unknown network is NOT_FOUND for syncSummaryChanged', async () => {
    const client = env.server.wsClient();
    const error = await new Promise<any>((resolve) => {
      client.subscribe(
        { query: 'subscription { syncSummaryChanged(networkId: 4242) { localCount } }' },
        {
          next: (value) => resolve(value.errors?.[0]),
          error: resolve,
          complete: () => {},
        },
      );
    });
    expect(JSON.stringify(error)).toMatch(/NOT_FOUND/);
  });

  it('Network.syncSummary and syncRuns filter by status and direction', async () => {
    const network = await networkRow(85);
    await localAdvertiser(network.id, 'Only Here');
    const result = await env.server.graphql(`{ network(ref: { broadstreetId: 85 }) {
      syncSummary { lastImport { status } lastExport { id } activeRun { id } localCount erroredCount removedCount }
      imports: syncRuns(direction: IMPORT, status: [SUCCEEDED], first: 2) { totalCount edges { node { direction status } } }
      exports: syncRuns(direction: EXPORT) { totalCount }
    } }`);
    expect(result.errors).toBeUndefined();
    const { syncSummary, imports, exports } = result.data!.network;
    expect(syncSummary).toMatchObject({ lastImport: { status: 'SUCCEEDED' }, lastExport: null, activeRun: null, localCount: 1 });
    expect(imports.totalCount).toBe(
      await env.server.services.db.syncRun.count({ where: { networkId: 85, direction: 'IMPORT', status: 'SUCCEEDED' } }),
    );
    expect(imports.edges.length).toBe(2);
    expect(imports.edges.every((e: any) => e.node.direction === 'IMPORT' && e.node.status === 'SUCCEEDED')).toBe(true);
    expect(exports.totalCount).toBe(0);
  });
});

describe.skipIf(!!skip)(`automatic retry and the run-finished webhook (${TEST_PROVIDER})`, () => {
  const secret = 'a-webhook-secret-of-some-length';
  let env: SyncEnv;
  let receiver: Server;
  const deliveries: { body: string; signature: string | undefined; answered: number }[] = [];
  beforeAll(async () => {
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        const signature = req.headers['x-broadsync-signature'] as string | undefined;
        const expected = `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
        const valid = signature === expected;
        // Fails twice (and refuses a bad signature), then accepts.
        const answered = !valid ? 401 : deliveries.filter((d) => d.answered >= 500).length < 2 ? 500 : 204;
        deliveries.push({ body, signature, answered });
        res.writeHead(answered).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const { port } = receiver.address() as AddressInfo;
    env = await startSyncEnv(
      {},
      {
        SYNC_WEBHOOK_URL: `http://127.0.0.1:${port}/hooks/broadsync`,
        SYNC_WEBHOOK_SECRET: secret,
        SYNC_AUTO_RETRY: '2:PT1S',
        BROADSTREET_MAX_ATTEMPTS: '1',
      },
    );
  }, 60_000);
  afterAll(async () => {
    await env?.stop();
    await new Promise((resolve) => receiver?.close(resolve));
  });

  it('a receiver that fails twice gets the signed notification on the third try, each attempt recorded with the run', async () => {
    const { run } = await env.sync({ networkId: 85, direction: 'IMPORT', entityTypes: ['NETWORK'] });
    expect(run.status).toBe('SUCCEEDED');
    await env.server.services.lifecycle.idle();
    const mine = deliveries.filter((d) => JSON.parse(d.body).run.id === run.id);
    expect(mine.map((d) => d.answered)).toEqual([500, 500, 204]);
    const payload = JSON.parse(mine[2]!.body);
    expect(payload).toMatchObject({
      event: 'sync.run.finished',
      run: { id: run.id, networkId: 85, direction: 'IMPORT', status: 'SUCCEEDED', errorCodes: {} },
    });
    expect(payload.run.counts.NETWORK).toMatchObject({ created: expect.any(Number) });
    for (const d of mine) expect(d.body).not.toContain(env.emulator.config.token);
    const shown = await env.server.graphql(
      `query ($id: ID!) { syncRun(id: $id) { webhookDeliveries { attempt delivered httpStatus error } } }`,
      {
        id: run.id,
      },
    );
    expect(shown.data!.syncRun.webhookDeliveries).toEqual([
      { attempt: 1, delivered: false, httpStatus: 500, error: 'HTTP 500' },
      { attempt: 2, delivered: false, httpStatus: 500, error: 'HTTP 500' },
      { attempt: 3, delivered: true, httpStatus: 204, error: null },
    ]);
  }, 30_000);

  it('a PARTIAL export with retryable failures is retried automatically as a retryOf run, which succeeds', async () => {
    const network = await networkRow(85);
    const advertiser = await localAdvertiser(network.id, 'Retried Automatically');
    env.emulator.faults.script({ kind: '5xx', status: 503, endpoint: 'POST /advertisers', count: 100 });
    const { run } = await env.sync({ networkId: 85, direction: 'EXPORT', entityTypes: ['ADVERTISER'] });
    // Broadstreet is back before the retry is due (a second later).
    env.emulator.faults.clear();
    expect(run.status).toBe('PARTIAL');
    expect(run.errors).toContainEqual(expect.objectContaining({ code: 'NETWORK', retryable: true, mongoId: advertiser.mongoId }));
    const { db } = env.server.services;
    const retry = await until('the automatic retry to end', () =>
      db.syncRun.findFirst({
        where: { retryOfId: Number(Buffer.from(run.id, 'base64').toString().split(':')[1]), finishedAt: { not: null } },
      }),
    );
    expect(retry).toMatchObject({ trigger: 'AUTO_RETRY', direction: 'EXPORT', status: 'SUCCEEDED' });
    expect((await db.advertiser.findUniqueOrThrow({ where: { id: advertiser.id } })).broadstreetId).not.toBeNull();
    const original = await db.syncRun.findFirstOrThrow({ where: { id: retry.retryOfId! } });
    expect(original.autoRetryAt).toBeNull();
    expect(await db.syncRun.count({ where: { retryOfId: original.id } })).toBe(1);
  }, 30_000);

  it('retries are bounded: a run that keeps failing gets exactly the configured retries, with growing delays', async () => {
    const network = await networkRow(85);
    await localAdvertiser(network.id, 'Never Accepted');
    env.emulator.faults.script({ kind: '5xx', status: 503, endpoint: 'POST /advertisers', count: 1000 });
    const { run } = await env.sync({ networkId: 85, direction: 'EXPORT', entityTypes: ['ADVERTISER'] });
    expect(run.status).toBe('PARTIAL');
    const { db } = env.server.services;
    const firstId = Number(Buffer.from(run.id, 'base64').toString().split(':')[1]);
    const chain = await until('two retries to end', async () => {
      const rows = await db.syncRun.findMany({
        where: { id: { gt: firstId }, trigger: 'AUTO_RETRY', finishedAt: { not: null } },
        orderBy: { id: 'asc' },
      });
      return rows.length >= 2 ? rows : null;
    });
    expect(chain.map((r) => r.status)).toEqual(['PARTIAL', 'PARTIAL']);
    expect(chain[0]!.retryOfId).toBe(firstId);
    expect(chain[1]!.retryOfId).toBe(chain[0]!.id);
    const original = await db.syncRun.findUniqueOrThrow({ where: { id: firstId } });
    const firstWait = chain[0]!.createdAt.getTime() - original.finishedAt!.getTime();
    const secondWait = chain[1]!.createdAt.getTime() - chain[0]!.finishedAt!.getTime();
    expect(firstWait).toBeGreaterThanOrEqual(900);
    expect(secondWait).toBeGreaterThanOrEqual(1900);
    // Exhausted: no third retry is planned.
    await new Promise((resolve) => setTimeout(resolve, 4500));
    expect(await db.syncRun.count({ where: { id: { gt: firstId }, trigger: 'AUTO_RETRY' } })).toBe(2);
    expect((await db.syncRun.findUniqueOrThrow({ where: { id: chain[1]!.id } })).autoRetryAt).toBeNull();
    env.emulator.faults.clear();
  }, 40_000);
});
