// Turning what came back (or did not) into a BroadstreetError. The rule for
// writes: if Broadstreet may have acted, the outcome is unknown and the write
// is not retried blindly; if it provably did not (connection refused, DNS,
// 429, 4xx), it is safe to say so.
import { BroadstreetError } from './errors.ts';
import { parseRetryAfter } from './retry.ts';

/** Failures before any byte of the request left: the server cannot have acted. */
const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
]);

export interface CallInfo {
  endpoint: string;
  /** POST: not idempotent, so an unknown outcome must not be retried. */
  write: boolean;
  /** The token, so that no server text can smuggle it into a message. */
  token: string;
}

export function errorFromStatus(call: CallInfo, status: number, retryAfter: string | null, text: string): BroadstreetError {
  const { endpoint } = call;
  const body = safeJson(text);
  const message = scrub(serverMessage(body), call.token);
  const base = { endpoint, status };
  if (status === 401) return new BroadstreetError({ ...base, code: 'AUTH', detail: `access token refused (401)${suffix(message)}` });
  if (status === 403)
    return new BroadstreetError({ ...base, code: 'FORBIDDEN', detail: `not allowed for this token (403)${suffix(message)}` });
  if (status === 404) return new BroadstreetError({ ...base, code: 'NOT_FOUND', detail: `not found (404)${suffix(message)}` });
  if (status === 429) {
    const retryAfterMs = parseRetryAfter(retryAfter);
    return new BroadstreetError({
      ...base,
      code: 'RATE_LIMIT',
      detail: 'rate limited (429)',
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    });
  }
  if (status < 400) {
    // Redirects are not followed (they could carry the token elsewhere); retrying would not help.
    return new BroadstreetError({ ...base, code: 'NETWORK', detail: `unexpected status ${status}`, retryable: false });
  }
  if (status === 408) return new BroadstreetError({ ...base, code: 'NETWORK', detail: 'request timeout (408)' });
  if (status >= 400 && status < 500) {
    const fieldErrors = fieldErrorsOf(body, call.token);
    const fields = fieldErrors
      ? Object.entries(fieldErrors)
          .map(([f, m]) => `${f} ${m}`)
          .join('; ')
      : '';
    return new BroadstreetError({
      ...base,
      code: 'VALIDATION',
      detail: `refused (${status})${suffix(fields || message)}`,
      ...(fieldErrors ? { fieldErrors } : {}),
    });
  }
  const retryAfterMs = parseRetryAfter(retryAfter);
  return new BroadstreetError({
    ...base,
    code: 'NETWORK',
    detail: `server error (${status})${call.write ? '; the write may or may not have taken effect' : ''}`,
    outcomeUnknown: call.write,
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
  });
}

/** A fetch that threw: timeouts, resets, DNS, refused connections. */
export function errorFromFailure(call: CallInfo, error: unknown, timedOut: boolean, timeoutMs: number): BroadstreetError {
  if (timedOut) {
    return new BroadstreetError({
      endpoint: call.endpoint,
      code: 'NETWORK',
      detail: `timed out after ${timeoutMs} ms${call.write ? '; the write may or may not have taken effect' : ''}`,
      outcomeUnknown: call.write,
      causeCode: 'TIMEOUT',
    });
  }
  const code = causeCode(error);
  const notSent = NOT_SENT_CODES.has(code);
  return new BroadstreetError({
    endpoint: call.endpoint,
    code: 'NETWORK',
    detail:
      `${notSent ? 'could not connect' : 'connection failed'} ` +
      `(${code})${call.write && !notSent ? '; the write may or may not have taken effect' : ''}`,
    outcomeUnknown: call.write && !notSent,
    causeCode: code,
  });
}

/** A 2xx whose body is not what the endpoint returns. */
export function errorFromBody(
  call: CallInfo,
  status: number,
  problem: 'empty' | 'html' | 'malformed' | 'shape',
  detail = '',
): BroadstreetError {
  const what = {
    empty: 'an empty body',
    html: 'an HTML page instead of JSON',
    malformed: 'malformed (possibly truncated) JSON',
    shape: `JSON of an unexpected shape${detail ? ` (${scrub(detail, call.token)})` : ''}`,
  }[problem];
  const after = call.write ? '; the write was accepted but its result could not be read' : '';
  return new BroadstreetError({
    endpoint: call.endpoint,
    status,
    // A garbled transfer may be transient; a wrong shape is the API or us changing.
    code: problem === 'shape' ? 'VALIDATION' : 'NETWORK',
    detail: `answered ${status} with ${what}${after}`,
    outcomeUnknown: call.write,
  });
}

function causeCode(error: unknown): string {
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && code) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return (error as Error)?.name ?? 'UNKNOWN';
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function serverMessage(body: unknown): string {
  const message = (body as { message?: unknown } | undefined)?.message;
  return typeof message === 'string' ? message.slice(0, 300) : '';
}

/** `{"errors":{"field":"message"}}`, where a message may also be a list (Rails). */
function fieldErrorsOf(body: unknown, token: string): Record<string, string> | undefined {
  const errors = (body as { errors?: unknown } | undefined)?.errors;
  if (!errors || typeof errors !== 'object' || Array.isArray(errors)) return undefined;
  const out: Record<string, string> = {};
  for (const [field, value] of Object.entries(errors)) {
    const text = Array.isArray(value) ? value.map(String).join(', ') : String(value);
    out[field] = scrub(text.slice(0, 300), token);
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

function suffix(text: string): string {
  return text ? `: ${text}` : '';
}

/** Removes the token from any text that came from outside. */
export function scrub(text: string, token: string): string {
  return token ? text.split(token).join('[redacted]') : text;
}
