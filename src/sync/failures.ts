// Turning what went wrong into recorded, classified sync errors.
import { BroadstreetError } from '../broadstreet/index.ts';
import type { EntityType, SyncErrorCode } from '../domain/enums.ts';
import { RunFatal, RunInterrupted } from './context.ts';
import type { SyncErrorRecord } from './types.ts';

export interface EntityIdentity {
  entityType: EntityType;
  mongoId?: string | null;
  broadstreetId?: number | null;
}

export function syncError(
  code: SyncErrorCode,
  message: string,
  entity: EntityIdentity | null,
  opts: { retryable?: boolean; attempt?: number } = {},
): SyncErrorRecord {
  return {
    code,
    message,
    entityType: entity?.entityType ?? null,
    mongoId: entity?.mongoId ?? null,
    broadstreetId: entity?.broadstreetId ?? null,
    retryable: opts.retryable ?? false,
    attempt: opts.attempt ?? 1,
    at: new Date(),
  };
}

const CODE_OF: Record<BroadstreetError['code'], SyncErrorCode> = {
  AUTH: 'AUTH',
  VALIDATION: 'VALIDATION',
  RATE_LIMIT: 'RATE_LIMIT',
  NETWORK: 'NETWORK',
  NOT_FOUND: 'DEPENDENCY',
};

/**
 * Classifies a failed Broadstreet call for one entity (or a whole list).
 * AUTH ends the run: every further call would fail the same way.
 */
export function failureOf(error: unknown, entity: EntityIdentity | null, doing: string): SyncErrorRecord {
  if (isAbort(error)) throw new RunInterrupted(`this process is stopping (while ${doing})`);
  if (!(error instanceof BroadstreetError)) throw error;
  if (error.code === 'AUTH') {
    throw new RunFatal(`Broadstreet refused the access token while ${doing} (${error.endpoint}: ${error.message})`);
  }
  const fields = error.fieldErrors ? ` (${Object.entries(error.fieldErrors).map(([f, m]) => `${f}: ${m}`).join('; ')})` : '';
  return syncError(CODE_OF[error.code], `${doing}: ${error.message}${fields}`, entity, {
    retryable: error.retryable,
    attempt: error.attempts,
  });
}

/** A call cut short by the run's stop signal (the process is shutting down). */
function isAbort(error: unknown): boolean {
  return (error as { name?: string } | null)?.name === 'AbortError';
}
