// Executes one run: claims it, runs its phases, and always ends it with a
// final event — unless this process is stopping, in which case the run stays
// resumable by the next process (or another instance).
import { setMaxListeners } from 'node:events';
import { randomBytes } from 'node:crypto';
import { describeMs, describeOutage, type BreakerEvent } from '../broadstreet/index.ts';
import { heartbeatMs } from '../config.ts';
import type { Db } from '../db/index.ts';
import type { EntityType, SyncDirection } from '../domain/enums.ts';
import type { SyncRun } from '../generated/prisma/client.ts';
import { withLogContext } from '../observability/log-context.ts';
import { makeCheckpoint, RunCancelled, SIGNAL_LISTENERS, RunFatal, RunInterrupted, type RunContext } from './context.ts';
import { runExport } from './export/export.ts';
import { syncError } from './failures.ts';
import { runImport } from './import/import.ts';
import { Lease, predecessorWaitMs, type LeaseTerms } from './lease.ts';
import { RunProgress, type PhasePlan } from './progress.ts';
import { OwnershipLostError, type RunStore } from './run-store.ts';
import type { RunScope } from './run.service.ts';
import type { Services } from './services.ts';
import { phaseEntity } from './specs.ts';
import { COUNT_KINDS, COUNT_LABELS, PHASE_WEIGHTS, type RunCounts } from './types.ts';

/**
 * A run whose executing process died this many times in a row without
 * completing an entity is failed, not resumed again. Restarts that made
 * progress do not count: a run that keeps moving is never failed for them.
 */
export const MAX_RUN_ATTEMPTS = 10;
const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

/** Runs executing in this process, across its engines: the operation cap gives them the event loop first. */
let executingHere = 0;
export const runsExecutingHere = (): number => executingHere;

export interface EngineDeps {
  signal: AbortSignal;
  /**
   * Take the run even if its owner looks alive: a durable queue that leased
   * the run to this process says the owner is gone. The old owner notices at
   * its next heartbeat and stops.
   */
  takeOver?: boolean;
}

/**
 * finished: the run ended (its final event is stored); interrupted: this
 * process stopped at an entity boundary and released the run; skipped: the
 * run was already finished or is owned by a live process.
 */
export type RunOutcome = 'finished' | 'interrupted' | 'skipped';

export function planFor(direction: SyncDirection, entityTypes: readonly EntityType[], dryRun: boolean): PhasePlan {
  if (direction === 'EXPORT' && dryRun) return [['VALIDATION', 1]];
  return PHASE_WEIGHTS[direction].filter(([phase]) => {
    const type = phaseEntity(phase);
    return !type || entityTypes.includes(type);
  });
}

/** Executes runs for one process's executor. */
export class RunEngine {
  /** Runs executing here: a second request for one joins the first. */
  private readonly executing = new Map<number, Promise<RunOutcome>>();

  constructor(private readonly services: Services) {}

  /** Runs one run; every log line written meanwhile carries its runId. */
  execute(runId: number, deps: EngineDeps): Promise<RunOutcome> {
    let execution = this.executing.get(runId);
    if (!execution) {
      executingHere++;
      execution = withLogContext({ runId }, () => execute(this.services, runId, deps))
        .then(async (outcome) => {
          if (outcome === 'finished') await this.ended(runId);
          return outcome;
        })
        .finally(() => {
          executingHere--;
          this.executing.delete(runId);
        });
      this.executing.set(runId, execution);
    }
    return execution;
  }

  /** The run's end is stored: what follows it (summary push, webhook, automatic retry) never fails the run. */
  private async ended(runId: number): Promise<void> {
    await this.services.lifecycle
      ?.ended(runId)
      .catch((error: unknown) => this.services.logger.error({ err: error, runId }, 'after-run work failed'));
  }
}

async function execute(services: Services, runId: number, deps: EngineDeps): Promise<RunOutcome> {
  const { db, logger, runs } = services;
  const terms: LeaseTerms = { leaseMs: runs.leaseMs, requestTimeoutMs: services.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS };
  const claimedAt = Date.now();
  const run = await runs.claim(runId, { takeOver: deps.takeOver ?? false });
  if (!run) return 'skipped';
  services.lifecycle?.started(run);
  const lease = new Lease(terms, Date.now, claimedAt);
  logger.info({ networkId: run.networkId, direction: run.direction, dryRun: run.dryRun, attempt: run.attempts }, 'sync run started');
  const entityTypes = run.entityTypes as EntityType[];
  const progress = new RunProgress(
    { runs, pubsub: services.pubsub, logger, clock: services.clock },
    { id: run.id, lastSeq: run.lastSeq, percentage: run.percentage, counts: run.counts as RunCounts, dryRun: run.dryRun },
    planFor(run.direction as SyncDirection, entityTypes, run.dryRun),
  );
  if (run.stalledAttempts > MAX_RUN_ATTEMPTS) {
    const reason = `the process executing this run stopped ${run.stalledAttempts - 1} times in a row without completing an entity`;
    await progress.finish('FAILED', reason, reason);
    return 'finished';
  }
  if (!services.broadstreet) {
    const reason = 'BROADSTREET_API_TOKEN is not set: Broadstreet cannot be called';
    await progress.finish('FAILED', `failed: ${reason}`, reason);
    return 'finished';
  }
  const heartbeat = startHeartbeat(runs, run.id, lease, terms.leaseMs);
  const stopFollowing = services.broadstreet.breaker ? followBreaker(services.broadstreet.breaker, progress) : () => {};
  const network = await db.network.findUnique({ where: { broadstreetId: run.networkId } });
  // Every call in flight listens on the process's signal: up to MAX_IN_FLIGHT per run, and several runs share it.
  setMaxListeners(SIGNAL_LISTENERS, deps.signal);
  const ctx: RunContext = {
    run: run as RunContext['run'],
    entityTypes,
    scope: (run.scope as RunScope | null) ?? null,
    network,
    db,
    services,
    // Every write of this run passes its lease's fence right before it is sent.
    client: services.broadstreet.withFence((endpoint) => lease.checkWrite(endpoint)),
    progress,
    signal: deps.signal,
    checkpoint: checkpointWith(makeCheckpoint(runs, run.id, deps.signal), heartbeat),
    concurrency: services.concurrency,
    adaptiveConcurrency: services.adaptiveConcurrency ?? false,
  };
  try {
    if (run.attempts > 1) progress.warn(`resumed (attempt ${run.attempts}): the process executing it stopped`);
    await waitForPredecessor(ctx, predecessorWaitMs(run.predecessor, terms, Date.now()));
    if (run.direction === 'IMPORT') await runImport(ctx);
    else await runExport(ctx);
    await progress.flush();
    await progress.finish((await hasFailures(db, run.id, progress.runCounts)) ? 'PARTIAL' : 'SUCCEEDED', summary(run, progress.runCounts));
    return 'finished';
  } catch (error) {
    return await endAfterError(services, error, run, progress);
  } finally {
    heartbeat.stop();
    stopFollowing();
  }
}

/**
 * A run taken over from an owner that may still be sending (paused, not
 * dead): nothing of its intents is acted on until that owner's last write
 * has ended. The run stays ours meanwhile (the heartbeat renews it).
 */
async function waitForPredecessor(ctx: RunContext, waitMs: number): Promise<void> {
  if (waitMs <= 0) return;
  ctx.progress.warn(
    `taken over from a worker that stopped answering: waiting ${describeMs(waitMs)} until its lease has ` +
      `expired for longer than a request timeout, so no write of it can still arrive`,
  );
  await ctx.progress.flush();
  const until = Date.now() + waitMs;
  while (Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, Math.min(500, until - Date.now())));
    await ctx.checkpoint();
  }
}

/** While Broadstreet is unreachable, the run's progress says since when and when the next probe is. */
function followBreaker(breaker: { subscribe(listener: (event: BreakerEvent) => void): () => void }, progress: RunProgress): () => void {
  return breaker.subscribe((event) => {
    if (event.kind === 'closed') {
      const text = `Broadstreet reachable again after ${describeMs(event.downMs)}; resuming`;
      progress.warn(text);
      progress.note(text);
      return;
    }
    const text = describeOutage(event.state);
    if (event.kind === 'opened') progress.warn(`${text}; calls wait instead of spending their attempts`);
    progress.note(text);
  });
}

async function endAfterError(services: Services, error: unknown, run: SyncRun, progress: RunProgress): Promise<RunOutcome> {
  const { logger, runs } = services;
  if (error instanceof OwnershipLostError || (error instanceof RunInterrupted && error.lostOwnership)) {
    logger.warn({ runId: run.id, reason: error.message }, 'another worker owns this run now; stopping here');
    return 'interrupted';
  }
  if (error instanceof RunInterrupted) {
    await progress.flush().catch(() => {});
    // Released, so whoever resumes it need not wait for this owner to look dead.
    await runs.release(run.id);
    logger.info({ runId: run.id, reason: error.message }, 'run interrupted; it stays resumable');
    return 'interrupted';
  }
  if (error instanceof RunCancelled) {
    await progress.finish('CANCELLED', `cancelled; ${summary(run, progress.runCounts)}`);
    return 'finished';
  }
  // What is stored and served never carries an unexpected error's text (paths, stack frames, SQL): the log does, under the reference.
  const reference = error instanceof RunFatal ? null : errorReference();
  const reason = error instanceof RunFatal ? error.message : `internal error (reference ${reference}); the server log has the details`;
  if (reference) logger.error({ err: error, runId: run.id, reference }, 'run failed unexpectedly');
  // Stored among the run's errors too, so every report of the run says why it failed.
  if (error instanceof RunFatal) progress.error(syncError(error.code, reason, null));
  await progress.finish('FAILED', `failed: ${reason}`, reason);
  return 'finished';
}

interface Heartbeat {
  lost: boolean;
  stop(): void;
}

function startHeartbeat(runs: RunStore, runId: number, lease: Lease, leaseMs: number): Heartbeat {
  const beat: Heartbeat = { lost: false, stop: () => clearInterval(timer) };
  const timer = setInterval(() => {
    const startedAt = Date.now();
    runs
      .heartbeat(runId)
      .then((held) => {
        if (held) lease.renewed(startedAt);
        else beat.lost = lease.lost = true;
      })
      .catch(() => {});
  }, heartbeatMs(leaseMs));
  timer.unref();
  return beat;
}

function checkpointWith(checkpoint: () => Promise<void>, heartbeat: Heartbeat): () => Promise<void> {
  return async () => {
    if (heartbeat.lost) throw new RunInterrupted('another worker took this run over', { lostOwnership: true });
    await checkpoint();
  };
}

/** A short id to quote to whoever reads the log: "E-" and 10 hex digits. */
function errorReference(): string {
  return `E-${randomBytes(5).toString('hex')}`;
}

/**
 * Honest outcomes: any failed, skipped or conflicting entity, or any error recorded by
 * this run (a list that could not be fetched fails a whole scope), makes it
 * PARTIAL. Errors are counted in the store, so attempts before a restart count.
 */
async function hasFailures(db: Db, runId: number, counts: RunCounts): Promise<boolean> {
  if (countOf(counts, 'failed') + countOf(counts, 'skipped') + countOf(counts, 'conflicts') > 0) return true;
  return (await db.syncError.count({ where: { runId } })) > 0;
}

function countOf(counts: RunCounts, kind: (typeof COUNT_KINDS)[number]): number {
  return Object.values(counts).reduce((sum, c) => sum + (c?.[kind] ?? 0), 0);
}

function summary(run: SyncRun, counts: RunCounts): string {
  const parts = COUNT_KINDS.map((kind) => [kind, countOf(counts, kind)] as const)
    .filter(([, n]) => n > 0)
    .map(([kind, n]) => `${n} ${COUNT_LABELS[kind] ?? kind}`);
  const what = run.dryRun ? 'dry run' : run.direction.toLowerCase();
  return `${what} finished: ${parts.join(', ') || 'nothing to do'}`;
}
