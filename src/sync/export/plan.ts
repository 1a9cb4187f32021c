// The validation phase of an export: which local-only entities it will send,
// in which order, and which are blocked — by the business rules (VALIDATION)
// or by a parent that cannot be exported (DEPENDENCY).
import type { ExportableType } from '../../domain/enums.ts';
import type { Network } from '../../generated/prisma/client.ts';
import type { RunContext } from '../context.ts';
import { syncError } from '../failures.ts';
import type { ParentRow } from '../spec.ts';
import { localStamp } from '../plan/stamps.ts';
import { EXPORT_SPECS } from '../specs.ts';
import type { SyncErrorRecord } from '../types.ts';

export interface PlanItem {
  type: ExportableType;
  /** Local row id. */
  id: number;
  mongoId: string;
  name: string;
  /** What the export does: create (the default), push local changes, or delete in Broadstreet. */
  op?: 'CREATE' | 'UPDATE' | 'DELETE';
  /** Local row ids of the parents this item needs exported first. */
  parents: { type: ExportableType; id: number }[];
  blocked?: SyncErrorRecord;
  /** The local row's fingerprint (src/sync/plan/stamps.ts): a dry run stores it, applyPlan compares it. */
  stamp: string;
  /** applyPlan: the name the plan would create it under; a different one now means Broadstreet changed since. */
  plannedName?: string;
  /** applyPlan, updates and deletes: the fingerprint of Broadstreet's values the plan saw; others now mean Broadstreet changed since. */
  plannedRemote?: string;
  /** applyPlan: this run found Broadstreet as the plan saw it, before its first write of the entity (two-way.ts). */
  planChecked?: boolean;
}

export interface ExportPlan {
  items: PlanItem[];
  byKey: Map<string, PlanItem>;
}

export const itemKey = (type: ExportableType, id: number) => `${type}:${id}`;

type PlanRow = { id: number; mongoId: string };

/** Reads the export's rows, type by type in parent-first order, and plans each. */
export async function buildPlan(ctx: RunContext, network: Network): Promise<ExportPlan> {
  // A retry's scope is applied here, not in SQL: it may list more ids than a statement can bind.
  const scope = ctx.scope ? new Set(ctx.scope.mongoIds) : null;
  const specs = EXPORT_SPECS.filter((spec) => ctx.entityTypes.includes(spec.type));
  const loaded = await Promise.all(
    specs.map((spec) => {
      const model = ctx.db[spec.model] as unknown as { findMany(args: object): Promise<PlanRow[]> };
      return model.findMany({
        where: { networkId: network.id, ...spec.export.pending },
        orderBy: { id: 'asc' },
        include: spec.export.include,
      });
    }),
  );
  const plan: ExportPlan = { items: [], byKey: new Map() };
  specs.forEach((spec, i) => {
    for (const row of loaded[i]!) {
      if (scope && !scope.has(row.mongoId)) continue;
      const item: PlanItem = {
        type: spec.type,
        id: row.id,
        mongoId: row.mongoId,
        name: spec.export.nameOf(row),
        parents: [],
        stamp: localStamp(row, spec.export.include),
      };
      const problems = spec.export.check(row);
      for (const parent of spec.export.parents(row)) dependOn(plan, item, parent.type, parent.row, problems);
      problems.push(...(spec.export.afterParents?.(row) ?? []));
      if (problems.length > 0) {
        item.blocked = syncError('VALIDATION', `${describe(item)} cannot be exported: ${problems.join('; ')}`, entityOf(item));
      }
      plan.items.push(item);
      plan.byKey.set(itemKey(item.type, item.id), item);
    }
  });
  propagateBlocks(plan);
  return plan;
}

/**
 * Records that item needs parent exported first. A parent already in
 * Broadstreet needs nothing; a local one must be part of this export.
 */
function dependOn(plan: ExportPlan, item: PlanItem, type: ExportableType, parent: ParentRow, problems: string[]): void {
  const label = `${type.toLowerCase()} "${parent.name}"`;
  if (parent.removedAt !== null) {
    problems.push(`${label} was removed from Broadstreet`);
    return;
  }
  if (parent.broadstreetId !== null) return;
  if (!plan.byKey.has(itemKey(type, parent.id))) {
    item.blocked ??= syncError(
      'DEPENDENCY',
      `${describe(item)} needs ${label} (${parent.mongoId}) exported first, and it is not part of this export`,
      entityOf(item),
    );
    return;
  }
  item.parents.push({ type, id: parent.id });
}

/** Children of blocked parents are blocked too (items are in parent-first order). */
export function propagateBlocks(plan: ExportPlan): void {
  for (const item of plan.items) {
    if (item.blocked) continue;
    const blockedParent = item.parents.map((p) => plan.byKey.get(itemKey(p.type, p.id))!).find((p) => p.blocked);
    if (blockedParent) {
      item.blocked = syncError(
        'DEPENDENCY',
        `${describe(item)} skipped: its ${blockedParent.type.toLowerCase()} "${blockedParent.name}" cannot be exported`,
        entityOf(item),
      );
    }
  }
}

export function describe(item: PlanItem): string {
  return `${item.type.toLowerCase()} "${item.name}"`;
}

export function entityOf(item: PlanItem) {
  return { entityType: item.type, mongoId: item.mongoId } as const;
}
