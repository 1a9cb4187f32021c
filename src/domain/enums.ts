// The enumerated values of the domain. Stored as strings (no Prisma enums, see
// PLATFORM-NOTES.md) and exposed as GraphQL enums under the same names.

export const ENTITY_TYPES = ['NETWORK', 'ADVERTISER', 'ZONE', 'ADVERTISEMENT', 'CAMPAIGN', 'PLACEMENT'] as const;
export type EntityType = (typeof ENTITY_TYPES)[number];

/** Entity types a user may create locally and an export may send. */
export const EXPORTABLE_TYPES = ['ADVERTISER', 'ZONE', 'CAMPAIGN', 'PLACEMENT'] as const satisfies readonly EntityType[];
export type ExportableType = (typeof EXPORTABLE_TYPES)[number];

export const SYNC_ERROR_CODES = ['AUTH', 'VALIDATION', 'DEPENDENCY', 'RATE_LIMIT', 'NETWORK', 'CONFLICT'] as const;
export type SyncErrorCode = (typeof SYNC_ERROR_CODES)[number];

export const SYNC_DIRECTIONS = ['IMPORT', 'EXPORT'] as const;
export type SyncDirection = (typeof SYNC_DIRECTIONS)[number];

export const SYNC_STATUSES = ['QUEUED', 'RUNNING', 'SUCCEEDED', 'PARTIAL', 'FAILED', 'CANCELLED'] as const;
export type SyncStatus = (typeof SYNC_STATUSES)[number];
export const ACTIVE_STATUSES: readonly SyncStatus[] = ['QUEUED', 'RUNNING'];

export const SYNC_PHASES = [
  'VALIDATION',
  'NETWORKS',
  'ADVERTISERS',
  'ZONES',
  'ADVERTISEMENTS',
  'CAMPAIGNS',
  'PLACEMENTS',
  'CLEANUP',
] as const;
export type SyncPhase = (typeof SYNC_PHASES)[number];

export const SYNC_STATES = ['LOCAL', 'SYNCED', 'CHANGED', 'CONFLICT', 'ALL'] as const;
export type SyncState = (typeof SYNC_STATES)[number];

/** An entity's two-way sync state (DESIGN.md §2b). */
export const ENTITY_SYNC_STATUSES = ['LOCAL', 'SYNCED', 'CHANGED', 'DELETING', 'CONFLICT', 'REMOVED'] as const;
export type EntitySyncStatus = (typeof ENTITY_SYNC_STATUSES)[number];

/** Which side resolveConflict keeps. */
export const CONFLICT_SIDES = ['LOCAL', 'REMOTE'] as const;
export type ConflictSide = (typeof CONFLICT_SIDES)[number];

/**
 * What a run planned or did for one entity (SyncItem.outcome). An export's
 * report uses PENDING (not its turn yet), CREATED, FAILED, SKIPPED and BLOCKED;
 * its dry run PLANNED, RENAMED and BLOCKED. The others are the contract's for
 * two-way sync (updates, deletes, conflicts).
 */
export const SYNC_ITEM_OUTCOMES = [
  'PENDING',
  'PLANNED',
  'RENAMED',
  'PLANNED_CREATE',
  'PLANNED_UPDATE',
  'PLANNED_DELETE',
  'CREATED',
  'UPDATED',
  'DELETED',
  'UNCHANGED',
  'CONFLICT',
  'BLOCKED',
  'SKIPPED',
  'FAILED',
] as const;
export type SyncItemOutcome = (typeof SYNC_ITEM_OUTCOMES)[number];
