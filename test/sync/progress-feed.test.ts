// syncProgress at scale: the followers of one run share one feed — one pub/sub
// subscription and a fixed number of database reads however many follow — and
// still each get every event in order: a follower far behind pages through the
// stored events, a gap in the live events is read from storage, and a final
// event that never arrives live is found by the quiet-stream poll.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { db } from '../helpers/db.ts';
import { observeQueries } from '../../src/db/query-events.ts';
import { createMemoryPubSub, type AppPubSub } from '../../src/pubsub.ts';
import type { ProgressEvent } from '../../src/sync/types.ts';
import { collect, startTestApp, type TestApp } from '../helpers/app.ts';
import { databaseSkipReason, TEST_PROVIDER } from '../helpers/database.ts';

const skip = databaseSkipReason();
if (skip) console.warn(`skipped: ${skip}`);

const SUBSCRIPTION =
  'subscription ($runId: ID!, $afterSeq: Int) { syncProgress(runId: $runId, afterSeq: $afterSeq) { seq status message } }';

type Received = { data: { syncProgress: { seq: number; status: string; message: string } } };

/** A run as an executing worker leaves it: RUNNING, owned by a live instance elsewhere (no executor here takes it). */
async function createRun(status = 'RUNNING'): Promise<number> {
  const run = await db().syncRun.create({
    data: {
      networkId: 999_999,
      direction: 'IMPORT',
      entityTypes: [],
      status,
      counts: {},
      startedAt: new Date(),
      owner: 'test:0:elsewhere',
      heartbeatAt: new Date(Date.now() + 3_600_000),
    },
  });
  return run.id;
}

function event(runId: number, seq: number, final = false): ProgressEvent {
  return {
    seq,
    runId,
    status: final ? 'SUCCEEDED' : 'RUNNING',
    phase: 'PLACEMENTS',
    current: seq,
    total: seq,
    percentage: final ? 100 : 50,
    message: `event ${seq}`,
    errors: [],
    warnings: [],
    at: new Date(),
  };
}

/** Stores events from..to as progress.ts does (the event, then the run's lastSeq); the last is final when asked. */
async function store(runId: number, from: number, to: number, final = false): Promise<ProgressEvent[]> {
  const events = Array.from({ length: to - from + 1 }, (_, i) => event(runId, from + i, final && from + i === to));
  await db().syncEvent.createMany({
    data: events.map(({ runId: id, seq, status, phase, current, total, percentage, message, at }) => ({
      runId: id,
      seq,
      status,
      phase,
      current,
      total,
      percentage,
      message,
      at,
      errors: [],
      warnings: [],
    })),
  });
  await db().syncRun.update({ where: { id: runId }, data: { lastSeq: to, ...(final ? { status: 'SUCCEEDED' } : {}) } });
  return events;
}

async function until(condition: () => boolean, what: string, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const seqs = (results: Received[]) => results.map((r) => r.data.syncProgress.seq);
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe.skipIf(!!skip)(`syncProgress followers share one feed per run (${TEST_PROVIDER})`, () => {
  let t: TestApp;
  const liveSubscriptions = new Map<number, number>();
  // Counts the live pub/sub subscriptions per run, around an in-memory pub/sub the server is given.
  const inner = createMemoryPubSub();
  const counting: AppPubSub = {
    publish: (...args: Parameters<AppPubSub['publish']>) => inner.publish(...args),
    subscribe: ((topic: 'sync:progress', id: number) => {
      liveSubscriptions.set(id, (liveSubscriptions.get(id) ?? 0) + 1);
      return inner.subscribe(topic, id);
    }) as AppPubSub['subscribe'],
  };
  const pubsub = () => t.services.pubsub;
  const activeFollowers = () => t.services.feeds.activeFollowers();

  beforeAll(async () => {
    t = await startTestApp({}, { pubsub: counting });
  });
  afterAll(async () => {
    await t?.stop();
  });
  afterEach(() => expect(activeFollowers()).toBe(0));

  it('200 followers of one run: one live subscription, a few reads, every event to each in order', async () => {
    const runId = await createRun();
    await store(runId, 1, 1);
    const statements: string[] = [];
    const stopObserving = observeQueries((e) => statements.push(e.query));
    const clients = Array.from({ length: 10 }, () => t.wsClient());
    const streams = clients.flatMap((client) =>
      Array.from({ length: 20 }, () => collect<Received>(client, SUBSCRIPTION, { runId: String(runId), afterSeq: 0 })),
    );
    await until(() => activeFollowers() === 200, '200 followers');
    stopObserving();
    // Opening the feed: the run, then its stored events. Not one read per follower.
    expect(statements.length).toBeLessThanOrEqual(4);
    expect(liveSubscriptions.get(runId)).toBe(1);

    for (let seq = 2; seq <= 30; seq++) {
      const [stored] = await store(runId, seq, seq, seq === 30);
      pubsub().publish('sync:progress', runId, stored!);
    }
    const results = await Promise.all(streams);
    for (const result of results) expect(seqs(result)).toEqual(range(1, 30));
    expect(results[0]!.at(-1)!.data.syncProgress.status).toBe('SUCCEEDED');
    expect(liveSubscriptions.get(runId)).toBe(1);
  });

  it('a follower far behind pages through the stored events, then follows the feed', async () => {
    const runId = await createRun();
    await store(runId, 1, 2_600);
    // A follower already live keeps the feed open while 2,500 more events pass through it.
    const early = collect<Received>(t.wsClient(), SUBSCRIPTION, { runId: String(runId), afterSeq: 2_600 });
    await until(() => activeFollowers() === 1, 'the first follower');
    for (let seq = 2_601; seq < 5_100; seq += 100) {
      for (const stored of await store(runId, seq, Math.min(seq + 99, 5_099))) pubsub().publish('sync:progress', runId, stored);
    }
    // Far behind the feed's window in memory, this one starts from the beginning.
    const late = collect<Received>(t.wsClient(), SUBSCRIPTION, { runId: String(runId), afterSeq: 0 });
    await until(() => activeFollowers() === 2, 'the late follower');
    const [final] = await store(runId, 5_100, 5_100, true);
    pubsub().publish('sync:progress', runId, final!);
    expect(seqs(await late)).toEqual(range(1, 5_100));
    expect(seqs(await early)).toEqual(range(2_601, 5_100));
    expect(liveSubscriptions.get(runId)).toBe(1);
  });

  it('a skipped seq is read from storage; a final event never heard live is found by the poll', async () => {
    const runId = await createRun();
    await store(runId, 1, 1);
    const follower = collect<Received>(t.wsClient(), SUBSCRIPTION, { runId: String(runId), afterSeq: 0 });
    await until(() => activeFollowers() === 1, 'the follower');
    const events = await store(runId, 2, 5);
    pubsub().publish('sync:progress', runId, events[0]!);
    pubsub().publish('sync:progress', runId, events[3]!); // 3 and 4 are lost in transit
    await store(runId, 6, 6, true); // stored, never published
    const started = Date.now();
    expect(seqs(await follower)).toEqual(range(1, 6));
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('a burst of events faster than any consumer: nothing thrown, the dropped ones read from storage', async () => {
    const runId = await createRun();
    await store(runId, 1, 1);
    const follower = collect<Received>(t.wsClient(), SUBSCRIPTION, { runId: String(runId), afterSeq: 0 });
    await until(() => activeFollowers() === 1, 'the follower');
    const burst = await store(runId, 2, 6_001, true);
    // All at once, beyond a subscription's buffer: the oldest are dropped in transit.
    for (const stored of burst) pubsub().publish('sync:progress', runId, stored);
    expect(seqs(await follower)).toEqual(range(1, 6_001));
  });

  it('SyncRun.events and SyncRun.errors page: a run of 1,200 events answers at most 500 at a time', async () => {
    const runId = await createRun();
    await store(runId, 1, 1200, true);
    await db().syncError.createMany({
      data: Array.from({ length: 7 }, (_, i) => ({
        runId,
        code: 'VALIDATION',
        message: `error ${i}`,
        retryable: false,
        entityType: 'ZONE',
        mongoId: `${i}`.padStart(24, '0'),
      })),
    });
    const id = Buffer.from(`SyncRun:${runId}`).toString('base64');
    const page = async (args: string) => {
      const { data, errors } = await t.graphql(`query ($id: ID!) { syncRun(id: $id) { eventCount errorCount events${args} { seq } } }`, {
        id,
      });
      expect(errors).toBeUndefined();
      return data!.syncRun as { eventCount: number; errorCount: number; events: { seq: number }[] };
    };
    const first = await page('');
    expect(first).toMatchObject({ eventCount: 1200, errorCount: 7 });
    expect(first.events.map((e) => e.seq)).toEqual(Array.from({ length: 500 }, (_, i) => i + 1));
    const seen: number[] = [];
    for (let after = 0; after < 1200; after = seen.at(-1)!)
      seen.push(...(await page(`(after: ${after}, first: 250)`)).events.map((e) => e.seq));
    expect(seen).toEqual(Array.from({ length: 1200 }, (_, i) => i + 1));
    const tooMany = await t.graphql(`query ($id: ID!) { syncRun(id: $id) { events(first: 501) { seq } } }`, { id });
    expect(tooMany.errors?.[0]?.message).toMatch(/at most 500/);

    const errors = async (args: string) =>
      (
        (await t.graphql(`query ($id: ID!) { syncRun(id: $id) { errors${args} { message } } }`, { id })).data!.syncRun.errors as {
          message: string;
        }[]
      ).map((e) => e.message);
    expect(await errors('')).toEqual(Array.from({ length: 7 }, (_, i) => `error ${i}`));
    expect(await errors('(first: 3)')).toEqual(['error 0', 'error 1', 'error 2']);
    expect(await errors('(first: 3, after: 3)')).toEqual(['error 3', 'error 4', 'error 5']);
    expect(await errors('(after: 6)')).toEqual(['error 6']);
  });

  it('a run that has ended replays to its final event; a missing run is a clear error', async () => {
    const runId = await createRun();
    await store(runId, 1, 3, true);
    expect(seqs(await collect<Received>(t.wsClient(), SUBSCRIPTION, { runId: String(runId), afterSeq: 1 }))).toEqual([2, 3]);
    expect(await collect<Received>(t.wsClient(), SUBSCRIPTION, { runId: String(runId), afterSeq: 3 })).toEqual([]);
    expect(await collect(t.wsClient(), SUBSCRIPTION, { runId: '987654' })).toEqual([
      { errors: [expect.objectContaining({ message: 'run 987654 does not exist', extensions: { code: 'NOT_FOUND' } })] },
    ]);
  });
});
