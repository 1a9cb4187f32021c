import {
  CONFLICT_SIDES,
  ENTITY_SYNC_STATUSES,
  ENTITY_TYPES,
  SYNC_DIRECTIONS,
  SYNC_ERROR_CODES,
  SYNC_ITEM_OUTCOMES,
  SYNC_PHASES,
  SYNC_STATES,
  SYNC_STATUSES,
} from '../domain/enums.ts';
import { builder } from './builder.ts';

export const EntityTypeEnum = builder.enumType('EntityType', { values: ENTITY_TYPES });
export const SyncErrorCodeEnum = builder.enumType('SyncErrorCode', {
  description:
    'AUTH a refused token (401), or a 403: no access to that network or object; VALIDATION refused ' +
    'input; DEPENDENCY a parent missing or failed; RATE_LIMIT 429; NETWORK timeouts, resets, 5xx; ' +
    'CONFLICT a clash with what exists.',
  values: SYNC_ERROR_CODES,
});
export const SyncDirectionEnum = builder.enumType('SyncDirection', { values: SYNC_DIRECTIONS });
export const SyncStatusEnum = builder.enumType('SyncStatus', { values: SYNC_STATUSES });
export const SyncPhaseEnum = builder.enumType('SyncPhase', { values: SYNC_PHASES });
export const SyncStateEnum = builder.enumType('SyncState', {
  description:
    'LOCAL: not yet in Broadstreet; SYNCED: in Broadstreet (edited or not); CHANGED: in Broadstreet with local edits not yet pushed; CONFLICT: both sides changed a field; ALL: every one.',
  values: SYNC_STATES,
});
export const EntitySyncStatusEnum = builder.enumType('EntitySyncStatus', {
  description:
    'LOCAL never exported; SYNCED as Broadstreet has it; CHANGED local edits not yet pushed; DELETING deleted here, not yet in Broadstreet; CONFLICT both sides changed a field (see conflict); REMOVED Broadstreet no longer has it.',
  values: ENTITY_SYNC_STATUSES,
});
export const ConflictSideEnum = builder.enumType('ConflictSide', { values: CONFLICT_SIDES });
export const SyncItemOutcomeEnum = builder.enumType('SyncItemOutcome', { values: SYNC_ITEM_OUTCOMES });
