import type { SyncRun } from '../generated/prisma/client.ts';

/** startSync for a network that already has a run in progress. */
export class SyncAlreadyRunningError extends Error {
  override name = 'SyncAlreadyRunningError';
  constructor(readonly run: SyncRun) {
    super(`network ${run.networkId} already has run ${run.id} in progress (${run.status}); wait for it or cancel it`);
  }
}
