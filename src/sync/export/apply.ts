// applyPlan: an export that executes exactly a dry run's plan. What is pending
// now (creates, and the edits and deletes of synced rows) is narrowed to the
// entities the plan gave an action, and only that action; an entity that
// changed since — its local row's fingerprint moved, it is gone or already
// exported, or it now needs a parent the plan did not include — is skipped as
// CONFLICT ("changed since the plan"), and its children with it. Broadstreet's
// side is checked at the write itself: a name that now resolves differently
// (creates, src/sync/export/create.ts) or values other than the plan saw
// (updates and deletes, src/sync/export/two-way.ts) are a change too.
import type { ExportableType } from '../../domain/enums.ts';
import type { RunContext } from '../context.ts';
import { describe, itemKey, propagateBlocks, type ExportPlan, type PlanItem } from './plan.ts';
import { changedSincePlan } from './since-plan.ts';
import type { TwoWayItems } from './two-way.ts';

/** The outcomes of a dry run that an apply executes, by the action each asks for. */
export const APPLIED_OUTCOMES = { PLANNED_CREATE: 'CREATE', PLANNED_UPDATE: 'UPDATE', PLANNED_DELETE: 'DELETE' } as const;

interface Planned {
  entityType: string;
  mongoId: string;
  name: string | null;
  resolvedName: string | null;
  outcome: string;
  localStamp: string | null;
  remoteStamp: string | null;
}

/** A dry run's plan, as the applying run reads it; entries are taken off as the current work is matched to them. */
export class StoredPlan {
  private constructor(private readonly entries: Map<string, Planned>) {}

  static async load(ctx: RunContext, planRunId: number): Promise<StoredPlan> {
    const rows: Planned[] = await ctx.db.syncItem.findMany({
      where: { runId: planRunId, outcome: { in: Object.keys(APPLIED_OUTCOMES) } },
      select: { entityType: true, mongoId: true, name: true, resolvedName: true, outcome: true, localStamp: true, remoteStamp: true },
      orderBy: { id: 'asc' },
    });
    return new StoredPlan(new Map(rows.map((p) => [p.mongoId, p])));
  }

  take(mongoId: string): Planned | undefined {
    const entry = this.entries.get(mongoId);
    this.entries.delete(mongoId);
    return entry;
  }

  /** Planned entities the current work no longer has: deleted here, removed from Broadstreet, or done by another run. */
  leftOver(): PlanItem[] {
    return [...this.entries.values()].map((entry) => {
      const item: PlanItem = {
        type: entry.entityType as ExportableType,
        id: -1,
        mongoId: entry.mongoId,
        name: entry.name ?? entry.mongoId,
        parents: [],
        stamp: '',
      };
      item.blocked = changedSincePlan(
        item,
        'it no longer waits for this action (deleted, removed from Broadstreet, or done by another run)',
      );
      return item;
    });
  }
}

/** Narrows the creates to the plan's; marks what changed since as CONFLICT (reported with the blocked ones). */
export function narrowCreates(plan: ExportPlan, stored: StoredPlan): void {
  const kept: PlanItem[] = [];
  const keptKeys = new Set<string>();
  for (const item of plan.items) {
    const entry = stored.take(item.mongoId);
    if (!entry) continue;
    if (!item.blocked && (entry.outcome !== 'PLANNED_CREATE' || entry.localStamp !== item.stamp)) {
      item.blocked = changedSincePlan(item, 'edited here after the plan was made');
    }
    item.plannedName = entry.resolvedName ?? entry.name ?? item.name;
    kept.push(item);
    keptKeys.add(itemKey(item.type, item.id));
  }
  for (const item of kept) {
    const outside = item.parents.find((p) => !keptKeys.has(itemKey(p.type, p.id)));
    if (!item.blocked && outside) {
      const parent = plan.byKey.get(itemKey(outside.type, outside.id))!;
      item.blocked = changedSincePlan(item, `it now needs ${describe(parent)} exported first, which the plan did not include`);
    }
  }
  plan.items = kept;
  propagateBlocks(plan);
}

/**
 * Narrows the edits and deletes of synced rows to the plan's, each carrying
 * the fingerprint of Broadstreet's values the plan saw. Returns the items that
 * changed here since (skipped as CONFLICT by reportChangedSincePlan). Rows in
 * conflict stay reported as conflicts only if the plan listed them.
 */
export function narrowTwoWay(twoWay: TwoWayItems, stored: StoredPlan): PlanItem[] {
  const changed: PlanItem[] = [];
  const narrow = (items: PlanItem[], outcome: 'PLANNED_UPDATE' | 'PLANNED_DELETE') =>
    items.filter((item) => {
      const entry = stored.take(item.mongoId);
      if (!entry) return false;
      if (entry.outcome !== outcome || entry.localStamp !== item.stamp) {
        item.blocked = changedSincePlan(item, 'edited or deleted here after the plan was made');
        changed.push(item);
        return false;
      }
      item.plannedRemote = entry.remoteStamp ?? undefined;
      return true;
    });
  twoWay.updates = narrow(twoWay.updates, 'PLANNED_UPDATE');
  twoWay.deletes = narrow(twoWay.deletes, 'PLANNED_DELETE');
  // A row in conflict now that the plan meant to update or delete: it changed since (it is reported as a conflict anyway).
  twoWay.conflicts = twoWay.conflicts.filter((item) => stored.take(item.mongoId) !== undefined);
  return changed;
}
