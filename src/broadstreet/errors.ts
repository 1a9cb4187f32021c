// Classified Broadstreet failures. Every failure the client raises is one of
// these, carrying what the sync engine needs to decide: retry, stop the run
// (AUTH), report field errors, or look an entity up before creating it again
// (outcomeUnknown). Nothing in here may ever hold the access token.

/** AUTH: the token itself was refused (401); FORBIDDEN: a valid token may not touch that network or object (403). */
export const BROADSTREET_ERROR_CODES = ['AUTH', 'FORBIDDEN', 'VALIDATION', 'RATE_LIMIT', 'NETWORK', 'NOT_FOUND'] as const;
export type BroadstreetErrorCode = (typeof BROADSTREET_ERROR_CODES)[number];

export interface BroadstreetErrorInit {
  code: BroadstreetErrorCode;
  /** What went wrong, without the endpoint (added in front). */
  detail: string;
  endpoint: string;
  status?: number;
  retryable?: boolean;
  fieldErrors?: Record<string, string>;
  outcomeUnknown?: boolean;
  retryAfterMs?: number;
  /** A short, token-free description of the underlying cause (e.g. "ECONNRESET"). */
  causeCode?: string;
}

export class BroadstreetError extends Error {
  override name = 'BroadstreetError';
  readonly code: BroadstreetErrorCode;
  /** Whether another attempt may succeed; false whenever the outcome is unknown. */
  readonly retryable: boolean;
  readonly status?: number;
  /** "METHOD /path": never the query string, never the token. */
  readonly endpoint: string;
  readonly fieldErrors?: Record<string, string>;
  /** How many attempts were made before this error was thrown. */
  attempts = 1;
  /**
   * The request reached (or may have reached) Broadstreet and may have taken
   * effect: look the entity up before writing it again.
   */
  readonly outcomeUnknown: boolean;
  /** The server's Retry-After, in ms, when it sent one. */
  readonly retryAfterMs?: number;
  readonly causeCode?: string;

  constructor(init: BroadstreetErrorInit) {
    super(`${init.endpoint}: ${init.detail}`);
    this.code = init.code;
    this.endpoint = init.endpoint;
    this.outcomeUnknown = init.outcomeUnknown ?? false;
    this.retryable = !this.outcomeUnknown && (init.retryable ?? defaultRetryable(init.code));
    if (init.status !== undefined) this.status = init.status;
    if (init.fieldErrors) this.fieldErrors = init.fieldErrors;
    if (init.retryAfterMs !== undefined) this.retryAfterMs = init.retryAfterMs;
    if (init.causeCode) this.causeCode = init.causeCode;
  }

  /** What JSON.stringify shows: the classification, nothing else. */
  toJSON() {
    return {
      name: this.name,
      message: this.message,
      code: this.code,
      retryable: this.retryable,
      status: this.status,
      endpoint: this.endpoint,
      fieldErrors: this.fieldErrors,
      attempts: this.attempts,
      outcomeUnknown: this.outcomeUnknown,
      causeCode: this.causeCode,
    };
  }
}

function defaultRetryable(code: BroadstreetErrorCode): boolean {
  return code === 'NETWORK' || code === 'RATE_LIMIT';
}

export function isBroadstreetError(error: unknown): error is BroadstreetError {
  return error instanceof BroadstreetError;
}
