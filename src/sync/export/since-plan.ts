// An entity an applyPlan run skips because it changed since the plan was made
// (src/sync/export/apply.ts narrows the work; the writes check Broadstreet).
import type { RunContext } from '../context.ts';
import { syncError } from '../failures.ts';
import { describe, entityOf, type PlanItem } from './plan.ts';
import { recordItems, type Result } from './state.ts';

export const CHANGED_SINCE_PLAN = 'changed since the plan';

export function changedSincePlan(item: PlanItem, why: string) {
  return syncError('CONFLICT', `${describe(item)} ${CHANGED_SINCE_PLAN}: ${why}; not applied`, entityOf(item), { retryable: false });
}

/** An apply's update or delete: Broadstreet's values are not what the plan saw. */
export async function remoteChangedSincePlan(ctx: RunContext, item: PlanItem): Promise<Result> {
  const error = changedSincePlan(item, 'Broadstreet’s values are not what the plan saw');
  ctx.progress.error(error);
  ctx.progress.record(item.type, 'conflicts', error.message);
  await recordItems(ctx, [{ item, outcome: 'CONFLICT', message: error.message }]);
  return { outcome: 'CONFLICT', retryable: false };
}
