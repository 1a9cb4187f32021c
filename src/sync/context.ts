// What every phase of an executing run works with, and how a run stops.
import type { Db } from '../db/index.ts';
import type { EntityType, SyncDirection, SyncErrorCode } from '../domain/enums.ts';
import type { Network, SyncRun } from '../generated/prisma/client.ts';
import type { BroadstreetApi } from './broadstreet-port.ts';
import type { RunProgress } from './progress.ts';
import type { RunStore } from './run-store.ts';
import type { RunScope } from './run.service.ts';
import type { Services } from './services.ts';

/** cancelSync was called: stop at this entity boundary, keep what was done. */
export class RunCancelled extends Error {
  override name = 'RunCancelled';
}

/** This process is stopping or lost the run: leave it resumable elsewhere. */
export class RunInterrupted extends Error {
  override name = 'RunInterrupted';
  readonly lostOwnership: boolean;
  constructor(message: string, opts: { lostOwnership?: boolean } = {}) {
    super(message);
    this.lostOwnership = opts.lostOwnership ?? false;
  }
}

/** Nothing further can succeed (e.g. Broadstreet refused the token); code classifies it in the run's errors. */
export class RunFatal extends Error {
  override name = 'RunFatal';
  readonly code: SyncErrorCode;
  constructor(message: string, code: SyncErrorCode = 'DEPENDENCY') {
    super(message);
    this.code = code;
  }
}

export interface RunContext {
  run: SyncRun & { direction: SyncDirection };
  entityTypes: EntityType[];
  scope: RunScope | null;
  /** The local network row (null only before an import has fetched it). */
  network: Network | null;
  db: Db;
  services: Services;
  client: BroadstreetApi;
  progress: RunProgress;
  /** Aborted when this process stops taking work. */
  signal: AbortSignal;
  /** Called at every entity boundary: throws RunCancelled or RunInterrupted. */
  checkpoint(): Promise<void>;
  /** Concurrency for independent entities within a phase (the least, when adaptive). */
  concurrency: number;
  /** Whether more may be in flight while Broadstreet's round trips are long (see inFlight). */
  adaptiveConcurrency?: boolean;
}

/** The most entities of one run in flight however slow Broadstreet answers. */
export const MAX_IN_FLIGHT = 32;

/** Abort listeners a run's signal may carry before Node warns of a leak: calls in flight each hold one, for a while. */
export const SIGNAL_LISTENERS = 1000;

/**
 * Entities in flight now: the configured number, or, when adaptive, as many
 * as keep the rate limit busy at Broadstreet's recent round trips (at 10
 * requests/s and 800 ms, 10), never fewer than configured nor more than MAX_IN_FLIGHT.
 */
export function inFlight(ctx: Pick<RunContext, 'client' | 'concurrency' | 'adaptiveConcurrency'>): number {
  if (!ctx.adaptiveConcurrency) return ctx.concurrency;
  const fill = ctx.client.callsToFillLimit?.() ?? null;
  return fill === null ? ctx.concurrency : Math.min(MAX_IN_FLIGHT, Math.max(ctx.concurrency, fill));
}

export const CANCEL_POLL_MS = 500;

/**
 * A checkpoint that polls the run's cancel flag at most every CANCEL_POLL_MS.
 * Entities that reach it while a poll is in flight wait for that poll: they
 * used to pass on the answer before it, so the 32 entities started at once
 * when a slow batch of calls returned all went ahead of a cancel.
 */
export function makeCheckpoint(runs: Pick<RunStore, 'cancelRequested'>, runId: number, signal: AbortSignal): () => Promise<void> {
  let lastPoll = 0;
  let cancelled = false;
  let polling: Promise<void> | null = null;
  return async () => {
    if (signal.aborted) throw new RunInterrupted('this process is stopping');
    if (!cancelled && !polling && Date.now() - lastPoll >= CANCEL_POLL_MS) {
      lastPoll = Date.now();
      polling = runs
        .cancelRequested(runId)
        .then((requested) => void (cancelled = requested))
        .finally(() => void (polling = null));
    }
    if (polling) await polling;
    if (cancelled) throw new RunCancelled('cancelled');
  };
}

/**
 * Runs fn over items, inFlight(ctx) at a time (read again as each starts, so
 * it follows Broadstreet's pace). When one fails (cancel, shutdown, AUTH),
 * the others still run (each meets the failure at its first checkpoint), so
 * every entity that was touched is also counted; the failure that decides the
 * run is thrown once all are done (mostSevere, in item order).
 *
 * An item starts when a slot frees, not queued up front: queueing the 50,000
 * placements of a 100,000-entity import at once (a promise and a queue entry
 * each) held the event loop 70–130 ms (issue 18).
 */
export function forEachEntity<T>(ctx: RunContext, items: readonly T[], fn: (item: T) => Promise<void>): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const failures: { index: number; error: unknown }[] = [];
    let next = 0;
    let running = 0;
    const done = () =>
      failures.length === 0 ? resolve() : reject(mostSevere(failures.sort((a, b) => a.index - b.index).map((f) => f.error)));
    const fill = () => {
      while (next < items.length && running < Math.max(1, inFlight(ctx))) {
        const index = next++;
        running += 1;
        // Started on a later microtask, as a queued task would be: fn never runs inside its caller.
        Promise.resolve()
          .then(() => fn(items[index]!))
          .catch((error: unknown) => void failures.push({ index, error }))
          .finally(() => {
            running -= 1;
            fill();
          });
      }
      if (running === 0 && next >= items.length) done();
    };
    fill();
  });
}

/**
 * forEachEntity, then a second pass over the items fn deferred (it returns
 * 'deferred' for a transient failure it did not record, only when `final` is
 * false): a short outage late in a phase costs nothing.
 */
export async function withSecondPass<T>(
  ctx: RunContext,
  items: readonly T[],
  what: string,
  fn: (item: T, final: boolean) => Promise<'deferred' | undefined>,
): Promise<void> {
  const again: T[] = [];
  await forEachEntity(ctx, items, async (item) => {
    if ((await fn(item, false)) === 'deferred') again.push(item);
  });
  if (again.length === 0) return;
  ctx.progress.note(`second pass: ${again.length} ${what} that failed on a transient error`);
  await forEachEntity(ctx, again, async (item) => {
    await fn(item, true);
  });
}

const SEVERITY = [RunFatal, RunInterrupted, RunCancelled];

/** The reasons of the promises that were rejected, in order. */
export function rejectedReasons(settled: readonly PromiseSettledResult<unknown>[]): unknown[] {
  return settled.flatMap((s) => (s.status === 'rejected' ? [s.reason] : []));
}

/** Throws the failure that decides how the run ends (mostSevere), if there is any. */
export function throwMostSevere(errors: unknown[]): void {
  if (errors.length > 0) throw mostSevere(errors);
}

/** Of several failures, the one that decides how the run ends: fatal, then interrupted, then cancelled, then the first. */
export function mostSevere(errors: unknown[]): unknown {
  for (const kind of SEVERITY) {
    const found = errors.find((e) => e instanceof kind);
    if (found) return found;
  }
  return errors[0];
}
