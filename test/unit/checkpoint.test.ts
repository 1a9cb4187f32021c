// A run's checkpoint (src/sync/context.ts): how entities meet a cancel.
import { describe, expect, it } from 'vitest';
import { makeCheckpoint, RunCancelled, RunInterrupted } from '../../src/sync/context.ts';

/** A cancel flag read from a store whose answers take `ms`, counting the reads. */
function slowStore(ms: number) {
  const store = {
    requested: false,
    reads: 0,
    async cancelRequested() {
      store.reads += 1;
      const answer = store.requested;
      await new Promise((resolve) => setTimeout(resolve, ms));
      return answer;
    },
  };
  return store;
}

const outcome = (p: Promise<void>) =>
  p.then(
    () => 'passed',
    (e: unknown) => (e instanceof RunCancelled ? 'cancelled' : e instanceof RunInterrupted ? 'interrupted' : 'other'),
  );

describe('makeCheckpoint', () => {
  it('entities that reach it while the cancel flag is being read wait for that read, and all stop', async () => {
    const store = slowStore(30);
    store.requested = true;
    const checkpoint = makeCheckpoint(store, 1, new AbortController().signal);
    // 32 entities starting at once (a batch of slow calls returned): one read, and none goes ahead.
    const results = await Promise.all(Array.from({ length: 32 }, () => outcome(checkpoint())));
    expect(results).toEqual(Array(32).fill('cancelled'));
    expect(store.reads).toBe(1);
  });

  it('reads the flag at most every 500 ms, and passes while it is not set', async () => {
    const store = slowStore(1);
    const checkpoint = makeCheckpoint(store, 1, new AbortController().signal);
    expect(await Promise.all(Array.from({ length: 5 }, () => outcome(checkpoint())))).toEqual(Array(5).fill('passed'));
    store.requested = true;
    // Within 500 ms of the last read: the flag is not read again.
    expect(await outcome(checkpoint())).toBe('passed');
    expect(store.reads).toBe(1);
  });

  it('a process that is stopping interrupts every entity, without reading the flag', async () => {
    const store = slowStore(1);
    const stopping = new AbortController();
    stopping.abort();
    expect(await outcome(makeCheckpoint(store, 1, stopping.signal)())).toBe('interrupted');
    expect(store.reads).toBe(0);
  });
});
