// The end of a sync run, as operators see it: one log line and the runs metric.
import type { Logger } from '../logger.ts';
import type { ProgressEvent, RunCounts } from '../sync/types.ts';
import { recordRunFinished } from './metrics.ts';

export function runFinished(logger: Logger, event: Pick<ProgressEvent, 'runId' | 'status' | 'message'>, counts: RunCounts): void {
  recordRunFinished(event.status);
  const level = event.status === 'SUCCEEDED' || event.status === 'CANCELLED' ? 'info' : 'warn';
  logger[level]({ runId: event.runId, status: event.status, counts }, `sync run ended: ${event.message}`);
}
