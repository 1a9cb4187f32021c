// Turning what went wrong into recorded, classified sync errors.
import { BroadstreetError, BroadstreetUnreachableError, type RejectedItem } from '../broadstreet/index.ts';
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
    retryable: opts.retryable ?? retryableCode(code),
    attempt: opts.attempt ?? 1,
    at: new Date(),
  };
}

/**
 * Whether a retry run could succeed without the user changing anything:
 * transient failures yes; refusals, bad data and clashes no. (A DEPENDENCY
 * skip inherits its parent's answer; see the export.)
 */
export function retryableCode(code: SyncErrorCode): boolean {
  return code === 'NETWORK' || code === 'RATE_LIMIT';
}

const CODE_OF: Record<BroadstreetError['code'], SyncErrorCode> = {
  AUTH: 'AUTH',
  FORBIDDEN: 'AUTH',
  VALIDATION: 'VALIDATION',
  RATE_LIMIT: 'RATE_LIMIT',
  NETWORK: 'NETWORK',
  NOT_FOUND: 'DEPENDENCY',
};

/**
 * Classifies a failed Broadstreet call for one entity (or one parent's list).
 * A refused token (401) ends the run: every further call would fail the same
 * way. A 403 refuses this entity alone.
 */
export function failureOf(error: unknown, entity: EntityIdentity | null, doing: string): SyncErrorRecord {
  if (isAbort(error)) throw new RunInterrupted(`this process is stopping (while ${doing})`);
  if (!(error instanceof BroadstreetError)) throw error;
  if (error instanceof BroadstreetUnreachableError) throw new RunFatal(`${error.reason} (while ${doing})`, 'NETWORK');
  if (error.code === 'AUTH') {
    throw new RunFatal(`Broadstreet refused the access token while ${doing} (${error.endpoint}: ${error.message})`, 'AUTH');
  }
  const fields = error.fieldErrors
    ? ` (${Object.entries(error.fieldErrors)
        .map(([f, m]) => `${f}: ${m}`)
        .join('; ')})`
    : '';
  const forbidden = error.code === 'FORBIDDEN' ? ': the access token has no access to it' : '';
  return syncError(CODE_OF[error.code], `${doing}: ${error.message}${fields}${forbidden}`, entity, { attempt: error.attempts });
}

/**
 * The same for a call on the network itself (the network, its advertiser or
 * zone lists): a 403 there means the token has no access to the network, so
 * the run fails saying so.
 */
export function networkFailureOf(error: unknown, networkId: number, entity: EntityIdentity | null, doing: string): SyncErrorRecord {
  if (error instanceof BroadstreetError && error.code === 'FORBIDDEN') {
    throw new RunFatal(`the access token has no access to network ${networkId} (${error.endpoint}: 403 while ${doing})`, 'AUTH');
  }
  return failureOf(error, entity, doing);
}

/** An item of a Broadstreet list that did not have the expected shape: it fails alone (VALIDATION, naming it and its fields). */
export function rejectedItemError(entityType: EntityType, item: RejectedItem): SyncErrorRecord {
  const which = item.id !== null ? `${entityType.toLowerCase()} ${item.id}` : `a ${entityType.toLowerCase()}`;
  return syncError('VALIDATION', `${which} from ${item.endpoint} was not imported: ${item.problems}`, {
    entityType,
    broadstreetId: item.id,
  });
}

/** A failure another try later in the run may not have: NETWORK or RATE_LIMIT (what the end-of-phase second pass retries). */
export function isTransient(failure: Pick<SyncErrorRecord, 'code'>): boolean {
  return failure.code === 'NETWORK' || failure.code === 'RATE_LIMIT';
}

/** The run failed because Broadstreet stayed unreachable past the outage budget. */
export function isOutage(error: unknown): error is RunFatal {
  return error instanceof RunFatal && error.code === 'NETWORK';
}

/** A call cut short by the run's stop signal (the process is shutting down). */
function isAbort(error: unknown): boolean {
  return (error as { name?: string } | null)?.name === 'AbortError';
}
