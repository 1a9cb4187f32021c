// Automatic retry: a PARTIAL run with retryable failures gets an ordinary
// retryOf run, a bounded number of times, each after a longer delay (the
// policy's delay, doubled per retry already made). The due time is stored on
// the run (autoRetryAt), so it survives restarts, and taken by one conditional
// update, so across instances exactly one process starts each retry.
import type { EntityType, SyncDirection } from '../domain/enums.ts';
import { ExpectedError } from '../domain/errors.ts';
import type { SyncRun } from '../generated/prisma/client.ts';
import { durationSeconds } from './schedules/cadence.ts';
import { MAX_RETRY_DELAY_MS, type RetryPolicy } from './schedules/retry-policy.ts';
import { SyncAlreadyRunningError } from './errors.ts';
import { startSync } from './run.service.ts';
import type { Services } from './services.ts';

export type { RetryPolicy };

/** After a run ended: stores when its automatic retry is due, if the policy gives it one. */
/** A retry that finds its network busy tries again this much later. */
export const BUSY_RETRY_MS = 5_000;

export async function planAutoRetry(services: Services, run: SyncRun, fallback: RetryPolicy | null): Promise<Date | null> {
  const { db, logger, clock } = services;
  if (run.status !== 'PARTIAL' || run.dryRun) return null;
  const policy = await policyFor(services, run, fallback);
  if (!policy || policy.attempts === 0) return null;
  const retryable = await db.syncError.count({ where: { runId: run.id, retryable: true, mongoId: { not: null } } });
  if (retryable === 0) return null;
  const made = await autoRetriesBefore(services, run);
  if (made >= policy.attempts) {
    logger.warn({ runId: run.id, attempts: policy.attempts }, `automatic retries exhausted: ${made} of ${policy.attempts} made`);
    return null;
  }
  const due = new Date(clock.now().getTime() + Math.min(MAX_RETRY_DELAY_MS, policy.delayMs * 2 ** made));
  const planned = await db.syncRun.updateMany({ where: { id: run.id, autoRetryAt: null }, data: { autoRetryAt: due } });
  if (planned.count === 0) return null;
  logger.info({ runId: run.id, due, retry: made + 1, of: policy.attempts }, 'automatic retry planned');
  services.scheduler?.changed();
  return due;
}

/** A schedule's own policy for its runs, else the configured one. */
async function policyFor({ db }: Services, run: SyncRun, fallback: RetryPolicy | null): Promise<RetryPolicy | null> {
  if (run.scheduleId == null) return fallback;
  const schedule = await db.syncSchedule.findUnique({ where: { id: run.scheduleId } });
  if (schedule?.retryAttempts == null) return fallback;
  const seconds = schedule.retryDelay ? durationSeconds(schedule.retryDelay) : null;
  return { attempts: schedule.retryAttempts, delayMs: (seconds ?? 30) * 1000 };
}

/** How many automatic retries led to this run (it included, when it is one). */
async function autoRetriesBefore({ db }: Services, run: SyncRun): Promise<number> {
  let made = 0;
  let current: Pick<SyncRun, 'trigger' | 'retryOfId'> | null = run;
  while (current && current.trigger === 'AUTO_RETRY' && made < 100) {
    made += 1;
    current =
      current.retryOfId == null
        ? null
        : await db.syncRun.findUnique({ where: { id: current.retryOfId }, select: { trigger: true, retryOfId: true } });
  }
  return made;
}

/** When the next automatic retry is due, if any is. */
export async function nextRetryDue({ db }: Services): Promise<Date | null> {
  const next = await db.syncRun.findFirst({
    where: { autoRetryAt: { not: null } },
    orderBy: { autoRetryAt: 'asc' },
    select: { autoRetryAt: true },
  });
  return next?.autoRetryAt ?? null;
}

/** Starts the automatic retries that are due; each is taken by one process only. */
export async function startDueRetries(services: Services): Promise<number> {
  const { db, clock, logger } = services;
  const now = clock.now();
  const due = await db.syncRun.findMany({ where: { autoRetryAt: { lte: now } }, orderBy: { autoRetryAt: 'asc' }, take: 20 });
  let started = 0;
  for (const run of due) {
    const taken = await db.syncRun.updateMany({ where: { id: run.id, autoRetryAt: run.autoRetryAt }, data: { autoRetryAt: null } });
    if (taken.count === 0) continue;
    try {
      const retry = await startSync(services, {
        networkId: run.networkId,
        direction: run.direction as SyncDirection,
        entityTypes: run.entityTypes as EntityType[],
        retryOf: run.id,
        trigger: 'AUTO_RETRY',
        scheduleId: run.scheduleId,
      });
      logger.info({ runId: run.id, retryRunId: retry.id }, 'automatic retry started');
      started += 1;
    } catch (error) {
      if (error instanceof SyncAlreadyRunningError) {
        await db.syncRun.updateMany({
          where: { id: run.id, autoRetryAt: null },
          data: { autoRetryAt: new Date(clock.now().getTime() + BUSY_RETRY_MS) },
        });
      } else if (error instanceof ExpectedError) {
        logger.info({ runId: run.id, reason: error.message }, 'automatic retry not started');
      } else {
        logger.error({ err: error, runId: run.id }, 'automatic retry failed to start');
      }
    }
  }
  return started;
}
