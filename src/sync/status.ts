// An entity's two-way sync state (DESIGN.md §2b), read from its row: LOCAL
// (never exported), SYNCED, CHANGED (local edits not yet pushed), DELETING
// (deleted here, not yet in Broadstreet), CONFLICT, REMOVED (Broadstreet no
// longer has it).
import type { EntitySyncStatus, EntityType } from '../domain/enums.ts';
import { changedAgainstBase, type FieldChange, type FieldConflict, type FieldValues } from './merge.ts';
import { specOf } from './specs.ts';

export type { EntitySyncStatus };

/** What a row's conflict column holds. */
export interface StoredConflict {
  detectedAt: string;
  runId: number | null;
  remoteDeleted: boolean;
  /** With remoteDeleted: it was deleted here too (either side settles it as REMOVED). Absent in conflicts stored before. */
  localDeleted?: boolean;
  fields: FieldConflict[];
}

/** The two-way columns of a synced row (advertisements and networks have none: they are import-only). */
export interface TwoWayRow {
  broadstreetId?: number | null;
  syncedAt: Date | null;
  removedAt: Date | null;
  base?: unknown;
  deletedAt?: Date | null;
  conflict?: unknown;
  [column: string]: unknown;
}

/** In Broadstreet: an id, or (placements, which have none) a syncedAt. */
export function inBroadstreet(row: TwoWayRow): boolean {
  return 'broadstreetId' in row ? row.broadstreetId != null : row.syncedAt != null;
}

export function syncStatusOf(type: EntityType, row: TwoWayRow): EntitySyncStatus {
  if (row.conflict) return 'CONFLICT';
  if (row.removedAt) return 'REMOVED';
  if (!inBroadstreet(row)) return 'LOCAL';
  if (row.deletedAt) return 'DELETING';
  return changedFields(type, row).length > 0 ? 'CHANGED' : 'SYNCED';
}

/** The GraphQL names of the fields edited locally and not yet pushed (against the base). */
export function changedFields(type: EntityType, row: TwoWayRow): string[] {
  const twoWay = specOf(type).twoWay;
  if (!twoWay || !inBroadstreet(row)) return [];
  return changedAgainstBase(twoWay.fields, baseOf(row), twoWay.localValues(row));
}

export function baseOf(row: TwoWayRow): FieldValues | null {
  return row.base && typeof row.base === 'object' && !Array.isArray(row.base) ? (row.base as FieldValues) : null;
}

export function conflictOf(row: TwoWayRow): StoredConflict | null {
  return row.conflict && typeof row.conflict === 'object' ? (row.conflict as StoredConflict) : null;
}

/** The columns that mirror the state for list filters, for a row about to hold these values. */
export function stateColumns(type: EntityType, row: TwoWayRow, now = new Date()): { changedAt: Date | null; conflictAt: Date | null } {
  const changed = changedFields(type, row).length > 0;
  const existing = row.changedAt instanceof Date ? row.changedAt : null;
  const conflict = conflictOf(row);
  return {
    changedAt: changed ? (existing ?? now) : null,
    conflictAt: conflict ? new Date(conflict.detectedAt) : null,
  };
}

export type { FieldChange, FieldConflict };
