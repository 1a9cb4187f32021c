// syncProgress: replays a run's stored events after a given seq, then follows
// it live, and completes with its final event. Live events come from pub/sub;
// any gap in their seq (a dropped message, a Redis restart) is filled from
// the database, and a slow poll covers a final event that never arrives live.
import { Repeater } from '@repeaterjs/repeater';
import { db } from '../db/index.ts';
import { pubsub } from '../pubsub.ts';
import { loadEvents, reviveEvent } from './events.ts';
import { isTerminal, type ProgressEvent } from './types.ts';

const POLL_MS = 2_000;

export function followRun(runId: number, afterSeq = 0): AsyncIterable<ProgressEvent> {
  return new Repeater<ProgressEvent>(async (push, stop) => {
    let last = afterSeq;
    let finished = false;
    let heardAt = Date.now();
    let busy = Promise.resolve();

    /** Delivers stored events after `last`, in order; serialised so nothing interleaves. */
    const catchUp = (upTo?: ProgressEvent) =>
      (busy = busy.catch(() => {}).then(async () => {
        if (finished) return;
        const stored = await loadEvents(runId, last, upTo ? upTo.seq : undefined);
        for (const event of upTo ? [...stored, upTo] : stored) await deliver(event);
      }));

    const deliver = async (event: ProgressEvent) => {
      if (finished || event.seq <= last) return;
      last = event.seq;
      await push(event);
      if (isTerminal(event.status)) {
        finished = true;
        stop();
      }
    };

    const live = pubsub().subscribe('sync:progress', runId);
    // Only a quiet stream is polled: live events already prove nothing is lost.
    const poll = setInterval(() => {
      if (Date.now() - heardAt >= POLL_MS) void catchUp().catch(stop);
    }, POLL_MS);
    stop.then(() => {
      finished = true;
      clearInterval(poll);
      void live.return?.();
    });

    await catchUp().catch(stop);
    const run = await db().syncRun.findUnique({ where: { id: runId }, select: { status: true, lastSeq: true } });
    if (!run || (isTerminal(run.status) && run.lastSeq <= last)) stop();
    void (async () => {
      for await (const raw of live) {
        if (finished) break;
        heardAt = Date.now();
        const event = reviveEvent(raw);
        if (event.seq === last + 1) busy = busy.then(() => deliver(event)).catch(stop);
        else if (event.seq > last + 1) void catchUp(event).catch(stop);
      }
    })().catch(stop);
    await stop;
  });
}

/** Whether a run exists (for a clear error before subscribing). */
export async function runExists(runId: number): Promise<boolean> {
  return (await db().syncRun.count({ where: { id: runId } })) > 0;
}
