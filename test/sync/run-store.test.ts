// The run store: the transition table, and the one lease the database keeps
// (a fencing owner) — two owners that briefly overlap never both write.
import { beforeAll, describe, expect, it } from 'vitest';
import { db, useTestDatabase } from '../helpers/db.ts';
import { SYNC_STATUSES, type SyncStatus } from '../../src/domain/enums.ts';
import { systemClock } from '../../src/sync/clock.ts';
import { canTransition, OwnershipLostError, RunStore, TRANSITIONS, TransitionRefusedError } from '../../src/sync/run-store.ts';
import type { ProgressEvent } from '../../src/sync/types.ts';
import { databaseSkipReason, TEST_PROVIDER } from '../helpers/database.ts';

describe('the run status transition table', () => {
  it('QUEUED → RUNNING | CANCELLED; RUNNING → itself or an end; an ended run never changes', () => {
    expect(Object.keys(TRANSITIONS).sort()).toEqual([...SYNC_STATUSES].sort());
    const allowed = SYNC_STATUSES.flatMap((from) => SYNC_STATUSES.filter((to) => canTransition(from, to)).map((to) => `${from}→${to}`));
    expect(allowed).toEqual(
      expect.arrayContaining([
        'QUEUED→RUNNING',
        'QUEUED→CANCELLED',
        'RUNNING→RUNNING',
        'RUNNING→SUCCEEDED',
        'RUNNING→PARTIAL',
        'RUNNING→FAILED',
        'RUNNING→CANCELLED',
      ]),
    );
    expect(allowed).toHaveLength(7);
    for (const ended of ['SUCCEEDED', 'PARTIAL', 'FAILED', 'CANCELLED'] as SyncStatus[]) {
      expect(SYNC_STATUSES.filter((to) => canTransition(ended, to))).toEqual([]);
    }
    expect(canTransition('QUEUED', 'SUCCEEDED')).toBe(false);
  });
});

const skip = databaseSkipReason();
if (skip) console.warn(`skipped: ${skip}`);

describe.skipIf(!!skip)(`the run store on ${TEST_PROVIDER}`, () => {
  let a: RunStore;
  let b: RunStore;
  useTestDatabase();
  beforeAll(async () => {
    a = new RunStore({ db: db(), clock: systemClock, owner: 'host-a:1:aaaaaa' });
    b = new RunStore({ db: db(), clock: systemClock, owner: 'host-b:2:bbbbbb' });
  });

  let network = 5_000;
  const queued = () =>
    a.createQueued({ networkId: network++, direction: 'IMPORT', dryRun: false, entityTypes: ['NETWORK'] }, 'queued: test');
  const event = (runId: number, seq: number, status: SyncStatus = 'RUNNING'): ProgressEvent => ({
    seq,
    runId,
    status,
    phase: null,
    current: 0,
    total: 0,
    percentage: 0,
    message: `event ${seq}`,
    errors: [],
    warnings: [],
    at: new Date(),
  });

  it('creates a queued run with its first event; claims it once', async () => {
    const run = await queued();
    expect(run).toMatchObject({ status: 'QUEUED', lastSeq: 1 });
    expect(await db().syncEvent.count({ where: { runId: run.id } })).toBe(1);
    const claimed = await a.claim(run.id);
    expect(claimed).toMatchObject({ status: 'RUNNING', owner: a.owner, attempts: 1 });
    // B sees a live owner (a fresh heartbeat) and leaves it.
    expect(await b.claim(run.id)).toBeNull();
  });

  it('two owners overlap (the queue handed the run over): only the new owner writes, the old one learns it lost', async () => {
    const run = await queued();
    await a.claim(run.id);
    await a.appendEvent(event(run.id, 2), {});
    const taken = await b.claim(run.id, { takeOver: true });
    expect(taken).toMatchObject({ owner: b.owner, attempts: 2 });

    await expect(a.appendEvent(event(run.id, 3), {})).rejects.toThrow(OwnershipLostError);
    expect(await a.heartbeat(run.id)).toBe(false);
    await a.release(run.id);
    await b.appendEvent(event(run.id, 3), {});
    expect(await b.heartbeat(run.id)).toBe(true);

    const stored = await db().syncEvent.findMany({ where: { runId: run.id }, orderBy: { seq: 'asc' } });
    expect(stored.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(await db().syncRun.findUniqueOrThrow({ where: { id: run.id } })).toMatchObject({ owner: b.owner, lastSeq: 3 });
  });

  it('a final event ends the run; nothing is appended after it, and a queued run cannot jump to an end', async () => {
    const run = await queued();
    await expect(a.claim(run.id).then(() => a.appendEvent(event(run.id, 2, 'SUCCEEDED'), {}))).resolves.toBeUndefined();
    const ended = await db().syncRun.findUniqueOrThrow({ where: { id: run.id } });
    expect(ended).toMatchObject({ status: 'SUCCEEDED', activeKey: null });
    expect(ended.finishedAt).not.toBeNull();
    await expect(a.appendEvent(event(run.id, 3), {})).rejects.toThrow(TransitionRefusedError);
    expect(await a.claim(run.id)).toBeNull();

    const waiting = await queued();
    await db().syncRun.update({ where: { id: waiting.id }, data: { owner: a.owner } });
    await expect(a.appendEvent(event(waiting.id, 2, 'SUCCEEDED'), {})).rejects.toThrow(/cannot go from QUEUED to SUCCEEDED/);
    expect(await db().syncRun.findUniqueOrThrow({ where: { id: waiting.id } })).toMatchObject({ status: 'QUEUED', lastSeq: 1 });
  });

  it('cancels a queued run once; a claimed one only by request', async () => {
    const run = await queued();
    const cancelled = await a.cancelQueued(run, 'cancelled before it started');
    expect(cancelled?.run).toMatchObject({ status: 'CANCELLED', lastSeq: 2, activeKey: null });
    expect(cancelled?.event).toMatchObject({ seq: 2, status: 'CANCELLED' });
    expect(await a.cancelQueued(run, 'again')).toBeNull();

    const running = await queued();
    await a.claim(running.id);
    expect(await a.cancelQueued(running, 'too late')).toBeNull();
    expect(await a.cancelRequested(running.id)).toBe(false);
    await a.requestCancel(running.id);
    expect(await a.cancelRequested(running.id)).toBe(true);
  });

  it('resumable: queued runs, and running ones whose owner is gone', async () => {
    const fresh = await queued();
    const stale = await queued();
    await b.claim(stale.id);
    await db().syncRun.update({ where: { id: stale.id }, data: { heartbeatAt: new Date(Date.now() - 60_000) } });
    const live = await queued();
    await b.claim(live.id);
    const ids = (await a.resumable()).map((r) => r.id);
    expect(ids).toEqual(expect.arrayContaining([fresh.id, stale.id]));
    expect(ids).not.toContain(live.id);
  });
});
