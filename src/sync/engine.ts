// Executes one run: claims it, runs its phases, and always ends it with a
// final event — unless this process is stopping, in which case the run stays
// resumable by the next process (or another instance).
import { randomBytes } from 'node:crypto';
import { db } from '../db/index.ts';
import type { EntityType, SyncDirection } from '../domain/enums.ts';
import type { SyncRun } from '../generated/prisma/client.ts';
import { logger } from '../logger.ts';
import { withLogContext } from '../observability/log-context.ts';
import type { BroadstreetApi } from './broadstreet-port.ts';
import { makeCheckpoint, RunCancelled, RunFatal, RunInterrupted, type RunContext } from './context.ts';
import { INSTANCE_ID, ownerAlive } from './executor.ts';
import { runExport } from './export/export.ts';
import { runImport } from './import/import.ts';
import { syncError } from './failures.ts';
import { OwnershipLostError, RunProgress, type PhasePlan } from './progress.ts';
import type { RunScope } from './run.service.ts';
import { COUNT_KINDS, PHASE_ENTITY, PHASE_WEIGHTS, type RunCounts } from './types.ts';

/**
 * A run whose executing process died this many times in a row without
 * completing an entity is failed, not resumed again. Restarts that made
 * progress do not count: a run that keeps moving is never failed for them.
 */
export const MAX_RUN_ATTEMPTS = 10;
const HEARTBEAT_MS = 5_000;
/** A heartbeat older than this means the owner is gone. */
export const STALE_OWNER_MS = 20_000;

export interface EngineDeps {
  /** null when no token is configured: runs fail with that reason. */
  client: BroadstreetApi | null;
  signal: AbortSignal;
  concurrency?: number;
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

/** Runs executing in this process: a second request for one joins the first. */
const executing = new Map<number, Promise<RunOutcome>>();

export function planFor(direction: SyncDirection, entityTypes: readonly EntityType[], dryRun: boolean): PhasePlan {
  if (direction === 'EXPORT' && dryRun) return [['VALIDATION', 1]];
  return PHASE_WEIGHTS[direction].filter(([phase]) => {
    const type = PHASE_ENTITY[phase];
    return !type || entityTypes.includes(type);
  });
}

/** Runs one run; every log line written meanwhile carries its runId. A second request for a run executing here joins the first. */
export function executeRun(runId: number, deps: EngineDeps): Promise<RunOutcome> {
  let execution = executing.get(runId);
  if (!execution) {
    execution = withLogContext({ runId }, () => execute(runId, deps)).finally(() => executing.delete(runId));
    executing.set(runId, execution);
  }
  return execution;
}

async function execute(runId: number, deps: EngineDeps): Promise<RunOutcome> {
  const run = await claimRun(runId, deps.takeOver ?? false);
  if (!run) return 'skipped';
  logger.info({ networkId: run.networkId, direction: run.direction, dryRun: run.dryRun, attempt: run.attempts }, 'sync run started');
  const entityTypes = run.entityTypes as EntityType[];
  const progress = new RunProgress(
    { id: run.id, lastSeq: run.lastSeq, percentage: run.percentage, counts: run.counts as RunCounts },
    planFor(run.direction as SyncDirection, entityTypes, run.dryRun),
  );
  if (run.stalledAttempts > MAX_RUN_ATTEMPTS) {
    const reason = `the process executing this run stopped ${run.stalledAttempts - 1} times in a row without completing an entity`;
    await progress.finish('FAILED', reason, reason);
    return 'finished';
  }
  if (!deps.client) {
    const reason = 'BROADSTREET_API_TOKEN is not set: Broadstreet cannot be called';
    await progress.finish('FAILED', `failed: ${reason}`, reason);
    return 'finished';
  }
  const heartbeat = startHeartbeat(run.id);
  const network = await db().network.findUnique({ where: { broadstreetId: run.networkId } });
  const ctx: RunContext = {
    run: run as RunContext['run'],
    entityTypes,
    scope: (run.scope as RunScope | null) ?? null,
    network,
    client: deps.client,
    progress,
    signal: deps.signal,
    checkpoint: checkpointWith(makeCheckpoint(run.id, deps.signal), heartbeat),
    concurrency: deps.concurrency ?? 4,
  };
  try {
    if (run.attempts > 1) progress.warn(`resumed (attempt ${run.attempts}): the process executing it stopped`);
    if (run.direction === 'IMPORT') await runImport(ctx);
    else await runExport(ctx);
    await progress.flush();
    await progress.finish((await hasFailures(run.id, progress.runCounts)) ? 'PARTIAL' : 'SUCCEEDED', summary(run, progress.runCounts));
    return 'finished';
  } catch (error) {
    return await endAfterError(error, run, progress);
  } finally {
    heartbeat.stop();
  }
}

async function endAfterError(error: unknown, run: SyncRun, progress: RunProgress): Promise<RunOutcome> {
  if (error instanceof OwnershipLostError || (error instanceof RunInterrupted && error.lostOwnership)) {
    logger.warn({ runId: run.id, reason: error.message }, 'another worker owns this run now; stopping here');
    return 'interrupted';
  }
  if (error instanceof RunInterrupted) {
    await progress.flush().catch(() => {});
    // Released, so whoever resumes it need not wait for this owner to look dead.
    await db().syncRun.updateMany({ where: { id: run.id, owner: INSTANCE_ID }, data: { owner: null } });
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

/** A short id to quote to whoever reads the log: "E-" and 10 hex digits. */
function errorReference(): string {
  return `E-${randomBytes(5).toString('hex')}`;
}

/** Takes a run for this process if it is unfinished and its owner is gone (or takeOver). */
async function claimRun(runId: number, takeOver: boolean): Promise<SyncRun | null> {
  const run = await db().syncRun.findUnique({ where: { id: runId } });
  if (!run || (run.status !== 'QUEUED' && run.status !== 'RUNNING')) return null;
  const ownedElsewhere = run.owner && run.owner !== INSTANCE_ID;
  if (ownedElsewhere && !takeOver && ownerAlive(run.owner, run.heartbeatAt, STALE_OWNER_MS)) return null;
  const claimed = await db().syncRun.updateMany({
    where: { id: runId, owner: run.owner, status: run.status, lastSeq: run.lastSeq },
    data: {
      owner: INSTANCE_ID,
      status: 'RUNNING',
      heartbeatAt: new Date(),
      startedAt: run.startedAt ?? new Date(),
      attempts: { increment: 1 },
      // Until this execution completes an entity (RunProgress resets it).
      stalledAttempts: { increment: 1 },
    },
  });
  if (claimed.count === 0) return null;
  return db().syncRun.findUnique({ where: { id: runId } });
}

interface Heartbeat {
  lost: boolean;
  stop(): void;
}

function startHeartbeat(runId: number): Heartbeat {
  const beat: Heartbeat = { lost: false, stop: () => clearInterval(timer) };
  const timer = setInterval(() => {
    db()
      .syncRun.updateMany({ where: { id: runId, owner: INSTANCE_ID }, data: { heartbeatAt: new Date() } })
      .then((r) => {
        if (r.count === 0) beat.lost = true;
      })
      .catch(() => {});
  }, HEARTBEAT_MS);
  timer.unref();
  return beat;
}

function checkpointWith(checkpoint: () => Promise<void>, heartbeat: Heartbeat): () => Promise<void> {
  return async () => {
    if (heartbeat.lost) throw new RunInterrupted('another worker took this run over', { lostOwnership: true });
    await checkpoint();
  };
}

/**
 * Honest outcomes: any failed or skipped entity, or any error recorded by
 * this run (a list that could not be fetched fails a whole scope), makes it
 * PARTIAL. Errors are counted in the store, so attempts before a restart count.
 */
async function hasFailures(runId: number, counts: RunCounts): Promise<boolean> {
  if (countOf(counts, 'failed') + countOf(counts, 'skipped') > 0) return true;
  return (await db().syncError.count({ where: { runId } })) > 0;
}

function countOf(counts: RunCounts, kind: (typeof COUNT_KINDS)[number]): number {
  return Object.values(counts).reduce((sum, c) => sum + (c?.[kind] ?? 0), 0);
}

function summary(run: SyncRun, counts: RunCounts): string {
  const parts = COUNT_KINDS.map((kind) => [kind, countOf(counts, kind)] as const)
    .filter(([, n]) => n > 0)
    .map(([kind, n]) => `${n} ${kind}`);
  const what = run.dryRun ? 'dry run' : run.direction.toLowerCase();
  return `${what} finished: ${parts.join(', ') || 'nothing to do'}`;
}
