// applyPlan: an export that executes exactly a dry run's plan. The export's
// own plan (what is pending now) is narrowed to the entities the dry run
// planned to create; an entity that changed since — its local row's
// fingerprint moved, it is gone or already exported, or it now needs a parent
// the plan did not include — is skipped as CONFLICT ("changed since the
// plan"), and its children with it. Broadstreet's side is checked at the
// create itself: a name that now resolves differently is a change too
// (src/sync/export/create.ts).
import type { ExportableType } from '../../domain/enums.ts';
import type { RunContext } from '../context.ts';
import { syncError } from '../failures.ts';
import { describe, entityOf, itemKey, propagateBlocks, type ExportPlan, type PlanItem } from './plan.ts';

/** The outcomes of a dry run that an apply executes. */
export const APPLIED_OUTCOMES = ['PLANNED_CREATE'] as const;

export const CHANGED_SINCE_PLAN = 'changed since the plan';

interface Planned {
  entityType: string;
  mongoId: string;
  name: string | null;
  resolvedName: string | null;
  localStamp: string | null;
}

export async function narrowToPlan(ctx: RunContext, plan: ExportPlan, planRunId: number): Promise<void> {
  const stored: Planned[] = await ctx.db.syncItem.findMany({
    where: { runId: planRunId, outcome: { in: [...APPLIED_OUTCOMES] } },
    select: { entityType: true, mongoId: true, name: true, resolvedName: true, localStamp: true },
    orderBy: { id: 'asc' },
  });
  const planned = new Map(stored.map((p) => [p.mongoId, p]));
  const kept: PlanItem[] = [];
  const keptKeys = new Set<string>();
  for (const item of plan.items) {
    const entry = planned.get(item.mongoId);
    if (!entry) continue;
    planned.delete(item.mongoId);
    if (!item.blocked && entry.localStamp !== item.stamp) {
      item.blocked = conflict(item, 'edited here after the plan was made');
    }
    item.plannedName = entry.resolvedName ?? entry.name ?? item.name;
    kept.push(item);
    keptKeys.add(itemKey(item.type, item.id));
  }
  for (const item of kept) {
    const outside = item.parents.find((p) => !keptKeys.has(itemKey(p.type, p.id)));
    if (!item.blocked && outside) {
      const parent = plan.byKey.get(itemKey(outside.type, outside.id))!;
      item.blocked = conflict(item, `it now needs ${describe(parent)} exported first, which the plan did not include`);
    }
  }
  // Planned, but no longer waiting to be exported: deleted here, removed from Broadstreet, or exported by another run.
  for (const entry of planned.values()) {
    const item: PlanItem = {
      type: entry.entityType as ExportableType,
      id: -1,
      mongoId: entry.mongoId,
      name: entry.name ?? entry.mongoId,
      parents: [],
      stamp: '',
    };
    item.blocked = conflict(item, 'it is no longer waiting to be exported (deleted, removed from Broadstreet, or exported by another run)');
    kept.push(item);
  }
  plan.items = kept;
  propagateBlocks(plan);
}

function conflict(item: PlanItem, why: string) {
  return syncError('CONFLICT', `${describe(item)} ${CHANGED_SINCE_PLAN}: ${why}; not applied`, entityOf(item), { retryable: false });
}
