// One tick of a schedule: it starts an ordinary run (startSync, so the run
// has progress, history and retry), or records why it was skipped — most
// often because the network already has a run in progress. The tick row's
// unique (scheduleId, dueAt) makes each tick happen once, whichever process
// and however many processes fire it.
import type { EntityType, SyncDirection } from '../../domain/enums.ts';
import { ExpectedError } from '../../domain/errors.ts';
import { recordScheduleTick } from '../../observability/metrics.ts';
import { SyncAlreadyRunningError } from '../errors.ts';
import { startSync } from '../run.service.ts';
import type { Services } from '../services.ts';

export type TickOutcome = 'STARTED' | 'SKIPPED';

export interface TickResult {
  outcome: TickOutcome;
  runId: number | null;
  reason: string | null;
}

/** Fires the tick of `scheduleId` due at `dueAt`; null when it was fired already, or the schedule is gone or paused. */
export async function fireTick(
  services: Services,
  scheduleId: number,
  dueAt: Date,
  note: string | null = null,
): Promise<TickResult | null> {
  const { db, logger, pubsub } = services;
  const schedule = await db.syncSchedule.findUnique({ where: { id: scheduleId } });
  if (!schedule?.enabled) return null;
  let tickId: number;
  try {
    tickId = (await db.syncScheduleTick.create({ data: { scheduleId, dueAt, outcome: 'PENDING', reason: note } })).id;
  } catch (error) {
    if ((error as { code?: string }).code === 'P2002') return null;
    throw error;
  }
  let result: TickResult;
  try {
    const run = await startSync(services, {
      networkId: schedule.networkId,
      direction: schedule.direction as SyncDirection,
      entityTypes: schedule.entityTypes as EntityType[],
      trigger: 'SCHEDULE',
      scheduleId,
    });
    result = { outcome: 'STARTED', runId: run.id, reason: note };
    recordScheduleTick('started');
    await db.syncSchedule.updateMany({ where: { id: scheduleId }, data: { lastRunId: run.id } });
  } catch (error) {
    recordScheduleTick(error instanceof SyncAlreadyRunningError ? 'run_in_progress' : error instanceof ExpectedError ? 'refused' : 'error');
    if (error instanceof SyncAlreadyRunningError) {
      result = { outcome: 'SKIPPED', runId: error.run.id, reason: `network ${schedule.networkId} had run ${error.run.id} in progress` };
    } else if (error instanceof ExpectedError) {
      result = { outcome: 'SKIPPED', runId: null, reason: error.message };
    } else {
      logger.error({ err: error, scheduleId }, 'schedule tick failed to start a run');
      result = { outcome: 'SKIPPED', runId: null, reason: 'internal error; the server log has the details' };
    }
  }
  if (result.outcome === 'SKIPPED' && note) result.reason = `${result.reason}; ${note}`;
  await db.syncScheduleTick.update({ where: { id: tickId }, data: result });
  const level = result.outcome === 'STARTED' ? 'info' : 'warn';
  logger[level]({ scheduleId, dueAt, ...result }, result.outcome === 'STARTED' ? 'schedule tick started a run' : 'schedule tick skipped');
  pubsub.publish('sync:summary', schedule.networkId, { networkId: schedule.networkId, reason: `schedule ${scheduleId} ticked` });
  return result;
}
