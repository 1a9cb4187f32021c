// One attempt at one Broadstreet call: wait for the limiter, send with a
// timeout (and the caller's signal), read the body, classify any failure,
// validate the response. The URL carries the token, so it never leaves here.
import type { z } from 'zod';
import { timeBroadstreetRequest, timeLimiterWait } from '../observability/metrics.ts';
import { errorFromBody, errorFromFailure, errorFromStatus, type CallInfo } from './classify.ts';
import type { RateLimiter } from './limiter.ts';
import { describeIssues } from './schemas.ts';

/*
 * Node's fetch loads undici on its first call, which took 30–50 ms here. Paid
 * between a limiter grant and the send, that delay let the server count 11
 * requests in one second; so it is paid once, on import, before any grant
 * (a data: URL touches no network, and runs before test mocks are installed).
 */
void fetch('data:,').then(
  (response) => response.arrayBuffer(),
  () => undefined,
);

export interface Transport {
  baseUrl: string;
  token: string;
  timeoutMs: number;
  limiter: RateLimiter;
  fetch: typeof fetch;
}

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';
export type Query = Record<string, string | number | undefined>;

export interface RequestSpec<T> {
  method: Method;
  /** Below the base URL, e.g. "/advertisers/12". */
  path: string;
  query?: Query;
  body?: Record<string, unknown>;
  /** A schema for the body, or null when the body does not matter (201/204 without one). */
  schema: z.ZodType<T> | null;
}

export function endpointOf(spec: { method: Method; path: string }): string {
  return `${spec.method} ${spec.path}`;
}

export async function attempt<T>(transport: Transport, spec: RequestSpec<T>, signal?: AbortSignal): Promise<T> {
  const call: CallInfo = { endpoint: endpointOf(spec), write: spec.method === 'POST', token: transport.token };
  await timeLimiterWait(transport.limiter.acquire(signal));
  const timeout = AbortSignal.timeout(transport.timeoutMs);
  const answered = timeBroadstreetRequest(spec.method, spec.path);
  let response: Response;
  let text: string;
  try {
    response = await transport.fetch(urlFor(transport, spec), {
      method: spec.method,
      headers: spec.body ? { accept: 'application/json', 'content-type': 'application/json' } : { accept: 'application/json' },
      ...(spec.body ? { body: JSON.stringify(withoutUndefined(spec.body)) } : {}),
      redirect: 'manual',
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    });
    text = await response.text();
    answered(response.status);
  } catch (error) {
    answered(timeout.aborted ? 'timeout' : 'error');
    if (signal?.aborted) throw signal.reason;
    throw errorFromFailure(call, error, timeout.aborted, transport.timeoutMs);
  }
  if (response.status < 200 || response.status >= 300) throw errorFromStatus(call, response.status, response.headers, text);
  return parseBody(call, spec.schema, response, text);
}

function parseBody<T>(call: CallInfo, schema: z.ZodType<T> | null, response: Response, text: string): T {
  if (schema === null) return undefined as T;
  const status = response.status;
  if (text.trim() === '') throw errorFromBody(call, status, 'empty');
  const type = response.headers.get('content-type') ?? '';
  if (type.includes('text/html') || text.trimStart().startsWith('<')) throw errorFromBody(call, status, 'html');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw errorFromBody(call, status, 'malformed');
  }
  const result = schema.safeParse(json);
  if (!result.success) throw errorFromBody(call, status, 'shape', describeIssues(result.error));
  return result.data;
}

/** The only place the token is put into a URL; the URL is never logged or kept. */
function urlFor(transport: Transport, spec: RequestSpec<unknown>): string {
  const url = new URL(transport.baseUrl.replace(/\/+$/, '') + spec.path);
  for (const [key, value] of Object.entries(spec.query ?? {})) if (value !== undefined) url.searchParams.set(key, String(value));
  url.searchParams.set('access_token', transport.token);
  return url.toString();
}

function withoutUndefined(body: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined));
}
