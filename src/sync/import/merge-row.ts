// What an import writes to one synced row it found in Broadstreet (or found
// gone), by the three-way merge (DESIGN.md §2b): remote-only changes are taken,
// local-only ones kept for the export, fields changed on both sides to
// different values become the row's conflict; the base moves where the sides
// agree. Columns no user edits (Broadstreet's active flag, path, logo, admins)
// are taken as they come.
import type { EntityType } from '../../domain/enums.ts';
import { sameValue, threeWayMerge, type FieldConflict } from '../merge.ts';
import { syncError } from '../failures.ts';
import { pickFields } from '../spec.ts';
import type { SyncErrorRecord } from '../types.ts';
import { specOf } from '../specs.ts';
import { baseOf, changedFields, conflictOf, stateColumns, type StoredConflict, type TwoWayRow } from '../status.ts';

export type ImportOutcome = 'updated' | 'unchanged' | 'conflicts';

export interface RowWrite {
  /** Column data to write; null: nothing to write. */
  data: Record<string, unknown> | null;
  outcome: ImportOutcome;
}

/** The write for a row Broadstreet still lists, with its remote values as columns (fromWire's output). */
export function mergeImported(type: EntityType, row: TwoWayRow, remote: Record<string, unknown>, runId: number, now: Date): RowWrite {
  const twoWay = specOf(type).twoWay;
  const reappeared = row.removedAt !== null;
  const synced = new Set(twoWay?.fields.map((f) => f.column) ?? []);
  const other = Object.fromEntries(Object.entries(remote).filter(([column]) => !synced.has(column)));
  const otherChanged = Object.keys(other).some((c) => !sameValue(row[c], other[c]));
  if (!twoWay) {
    const changed = reappeared || otherChanged;
    return { data: changed ? { ...remote, removedAt: null, syncedAt: now } : null, outcome: changed ? 'updated' : 'unchanged' };
  }
  if (row.conflict) {
    // Settled by resolveConflict only; what Broadstreet has now is read again then.
    return { data: otherChanged ? { ...other } : null, outcome: 'conflicts' };
  }
  const base = baseOf(row);
  const local = twoWay.localValues(row);
  const merge = threeWayMerge(twoWay.fields, base, local, pickFields(twoWay.fields, remote));
  const remoteChanged = merge.take.length > 0;
  // Deleted here while Broadstreet changed it: deleting would throw the change away unseen.
  const deletedButChanged = row.deletedAt ? merge.take.map((c) => ({ field: c.field, base: c.from, local: c.from, remote: c.to })) : [];
  const conflicts: FieldConflict[] = [...merge.conflicts, ...deletedButChanged];
  if (conflicts.length > 0) {
    const stored: StoredConflict = { detectedAt: now.toISOString(), runId, remoteDeleted: false, fields: conflicts };
    return { data: { ...other, conflict: stored, conflictAt: now, removedAt: null }, outcome: 'conflicts' };
  }
  // Field by field: a base missing a field holds the local value for it (as the merge reads it).
  const baseMoved =
    base !== null && twoWay.fields.some(({ field }) => !sameValue(field in base ? base[field] : local[field], merge.base[field]));
  // A row without a base (synced before two-way sync) agrees with its local values: nothing to write for it alone.
  if (!remoteChanged && !baseMoved && !otherChanged && !reappeared) return { data: null, outcome: 'unchanged' };
  const values = twoWay.columns(merge.merged);
  const next = { ...row, ...other, ...values, base: merge.base } as TwoWayRow;
  const data = { ...other, ...values, base: merge.base, ...stateColumns(type, next, now), removedAt: null, syncedAt: now };
  return { data, outcome: remoteChanged || otherChanged || reappeared ? 'updated' : 'unchanged' };
}

/** The run's CONFLICT error for a row an import found (or left) in conflict: the run is PARTIAL, as for an export. */
export function conflictError(type: EntityType, row: TwoWayRow & { mongoId?: string }, conflict: unknown): SyncErrorRecord {
  const stored = conflict && typeof conflict === 'object' ? (conflict as StoredConflict) : null;
  const what = stored?.localDeleted
    ? 'deleted here and in Broadstreet'
    : stored?.remoteDeleted
      ? 'Broadstreet no longer has it, and it was changed here'
      : `both sides changed ${stored?.fields.map((f) => f.field).join(', ') || 'it'}`;
  const id = row.broadstreetId != null ? ` ${row.broadstreetId}` : '';
  return syncError(
    'CONFLICT',
    `${type.toLowerCase()}${id}: ${what}; settle it with resolveConflict`,
    {
      entityType: type,
      mongoId: row.mongoId ?? null,
      broadstreetId: row.broadstreetId ?? null,
    },
    { retryable: false },
  );
}

export type GoneOutcome = 'removed' | 'conflicts' | 'unchanged';

/**
 * The write for a synced row Broadstreet no longer lists: unchanged here, it
 * becomes REMOVED; changed or deleted here, a conflict with remoteDeleted
 * (localDeleted too when deleted here). cascade: gone with its parent — deleted
 * here too, it is simply removed (nothing of the user's is lost).
 */
export function goneImported(
  type: EntityType,
  row: TwoWayRow,
  runId: number,
  now: Date,
  { cascade = false } = {},
): { data: Record<string, unknown>; outcome: GoneOutcome } {
  const existing = conflictOf(row);
  if (existing) {
    if (existing.remoteDeleted) return { data: {}, outcome: 'unchanged' };
    return { data: { conflict: { ...existing, remoteDeleted: true } }, outcome: 'conflicts' };
  }
  // Deleted here and in Broadstreet: a conflict too (DESIGN.md §2b), which either side settles as REMOVED.
  if (row.deletedAt && cascade) return { data: { removedAt: now, changedAt: null }, outcome: 'removed' };
  if (row.deletedAt) {
    const stored: StoredConflict = { detectedAt: now.toISOString(), runId, remoteDeleted: true, localDeleted: true, fields: [] };
    return { data: { conflict: stored, conflictAt: now }, outcome: 'conflicts' };
  }
  const edited = changedFields(type, row);
  if (edited.length === 0) return { data: { removedAt: now, changedAt: null }, outcome: 'removed' };
  const twoWay = specOf(type).twoWay!;
  const base = baseOf(row) ?? {};
  const local = twoWay.localValues(row);
  const fields: FieldConflict[] = edited.map((field) => ({ field, base: base[field] ?? null, local: local[field] ?? null, remote: null }));
  const stored: StoredConflict = { detectedAt: now.toISOString(), runId, remoteDeleted: true, fields };
  return { data: { conflict: stored, conflictAt: now }, outcome: 'conflicts' };
}
