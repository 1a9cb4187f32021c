import type { EntityType, SyncDirection, SyncPhase, SyncStatus } from '../domain/enums.ts';

/** One failed attempt, as stored (SyncError) or carried by an event; GraphQL shows it as EntitySyncError. */
export interface SyncErrorRecord {
  code: string;
  message: string;
  entityType: string | null;
  mongoId: string | null;
  broadstreetId: number | null;
  retryable: boolean;
  attempt: number;
  at: Date;
}

/** One progress event of a run, as stored (SyncEvent) and published. */
export interface ProgressEvent {
  seq: number;
  runId: number;
  status: SyncStatus;
  phase: SyncPhase | null;
  current: number;
  total: number;
  percentage: number;
  message: string;
  errors: SyncErrorRecord[];
  warnings: string[];
  at: Date;
}

export const COUNT_KINDS = [
  'created',
  'updated',
  'deleted',
  'unchanged',
  'conflicts',
  'failed',
  'skipped',
  'plannedCreates',
  'plannedUpdates',
  'plannedDeletes',
] as const;
export type CountKind = (typeof COUNT_KINDS)[number];

/** A dry run does nothing: what it would create, update or delete is counted as planned work. */
export const DRY_RUN_KINDS: Partial<Record<CountKind, CountKind>> = {
  created: 'plannedCreates',
  updated: 'plannedUpdates',
  deleted: 'plannedDeletes',
};

/** How a run's summary names a kind ("3 to create"). */
export const COUNT_LABELS: Partial<Record<CountKind, string>> = {
  plannedCreates: 'to create',
  plannedUpdates: 'to update',
  plannedDeletes: 'to delete',
};
export type EntityCounts = Record<CountKind, number>;
/** Counters per entity type, as stored in SyncRun.counts. */
export type RunCounts = Partial<Record<EntityType, EntityCounts>>;

export const TERMINAL_STATUSES: readonly SyncStatus[] = ['SUCCEEDED', 'PARTIAL', 'FAILED', 'CANCELLED'];
export const isTerminal = (status: string): boolean => (TERMINAL_STATUSES as readonly string[]).includes(status);

/** The phases of each direction, in order, with their weights in the percentage. */
export const PHASE_WEIGHTS: Record<SyncDirection, readonly (readonly [SyncPhase, number])[]> = {
  EXPORT: [
    ['VALIDATION', 5],
    ['ADVERTISERS', 20],
    ['ZONES', 20],
    ['CAMPAIGNS', 25],
    ['PLACEMENTS', 25],
    ['CLEANUP', 5],
  ],
  IMPORT: [
    ['NETWORKS', 5],
    ['ADVERTISERS', 15],
    ['ZONES', 15],
    ['ADVERTISEMENTS', 20],
    ['CAMPAIGNS', 20],
    ['PLACEMENTS', 20],
    ['CLEANUP', 5],
  ],
};
