// Local edits and deletes of synced entities (DESIGN.md §2b): what the
// update… and delete… services write so that the row reads CHANGED or
// DELETING and the next export pushes it. Rules shared by every type:
// - a row in CONFLICT cannot be edited or deleted: resolveConflict first;
// - a REMOVED row (Broadstreet no longer has it) cannot be edited or deleted;
// - an edit of a DELETING row un-deletes it (unless a parent is being deleted);
// - a synced parent with live children (neither deleted nor removed) cannot be deleted.
import type { Db } from '../db/index.ts';
import type { EntityType } from '../domain/enums.ts';
import { ConflictError, DependencyError, ReadOnlyError } from '../domain/errors.ts';
import type { FieldValues } from './merge.ts';
import type { ChildRelation } from './spec.ts';
import { specOf } from './specs.ts';
import { baseOf, inBroadstreet, stateColumns, type TwoWayRow } from './status.ts';

export interface EditableRow extends TwoWayRow {
  id: number;
  mongoId: string;
}

const label = (type: EntityType, row: EditableRow) => `${type.toLowerCase()} ${row.mongoId}`;

/** Refuses an edit or delete of a synced row in CONFLICT or REMOVED. Local-only rows pass. */
export function assertChangeable(type: EntityType, row: EditableRow): void {
  if (!inBroadstreet(row) && !row.conflict) return;
  if (row.conflict) {
    throw new ConflictError(
      `${label(type, row)} is in conflict with Broadstreet: settle it with resolveConflict (keep LOCAL or REMOTE) before changing it`,
    );
  }
  if (row.removedAt) {
    throw new ReadOnlyError(`${label(type, row)} is no longer in Broadstreet (removed): it cannot be changed here`, type, row.mongoId);
  }
}

/**
 * The data an update of a synced row writes: the changes, a base (the values
 * before the first edit when the row had none: it was synced before two-way
 * sync), deletedAt cleared (an edit un-deletes) and the state columns.
 */
export function syncedEditData(type: EntityType, row: EditableRow, changes: Record<string, unknown>): Record<string, unknown> {
  const twoWay = specOf(type).twoWay!;
  const base: FieldValues = baseOf(row) ?? twoWay.localValues(row);
  const next = { ...row, ...changes, base, deletedAt: null } as TwoWayRow;
  return { ...changes, base, deletedAt: null, ...stateColumns(type, next) };
}

/** The children that keep a synced parent from being deleted: not deleted, not removed (local-only ones count too). */
export async function liveChildren(db: Db, type: EntityType, rowId: number): Promise<{ relation: ChildRelation; count: number }[]> {
  const relations = specOf(type).twoWay?.children.filter((c) => !c.cascadeOnly) ?? [];
  const counts = await Promise.all(
    relations.map(async (relation) => {
      const model = db[relation.model] as unknown as { count(args: object): Promise<number> };
      return { relation, count: await model.count({ where: { [relation.column]: rowId, deletedAt: null, removedAt: null } }) };
    }),
  );
  return counts.filter((c) => c.count > 0);
}

/** Refuses the delete of a parent that still has live children (deleting never cascades). */
export async function assertNoLiveChildren(db: Db, type: EntityType, row: EditableRow): Promise<void> {
  const live = await liveChildren(db, type, row.id);
  if (live.length === 0) return;
  const what = live.map((l) => `${l.count} ${l.relation.type.toLowerCase()}(s)`).join(' and ');
  throw new DependencyError(`${label(type, row)} has ${what} not deleted; delete them first (deleting never cascades)`);
}

/** Refuses to un-delete (or create under) a row whose parent is being deleted. */
export function assertParentsNotDeleting(
  type: EntityType,
  parents: { type: EntityType; row: { mongoId: string; deletedAt?: Date | null } }[],
) {
  const deleting = parents.find((p) => p.row.deletedAt);
  if (deleting) {
    throw new DependencyError(
      `its ${deleting.type.toLowerCase()} ${deleting.row.mongoId} is marked for deletion: restore it first (edit it), or this ${type.toLowerCase()} cannot be kept`,
    );
  }
}

/** What delete… writes on a synced row: marked DELETING, kept until the export deletes it in Broadstreet. */
export function deletingData(type: EntityType, row: EditableRow): Record<string, unknown> {
  const twoWay = specOf(type).twoWay!;
  return { deletedAt: new Date(), base: baseOf(row) ?? twoWay.localValues(row) };
}
