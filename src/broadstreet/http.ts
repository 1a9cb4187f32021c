// One attempt at one Broadstreet call: wait for the limiter, send with a
// timeout (and the caller's signal), read the body, classify any failure,
// validate the response. The URL carries the token, so it never leaves here.
import { Agent, type Dispatcher, request } from 'undici';
import type { z } from 'zod';
import { timeBroadstreetRequest, timeLimiterWait } from '../observability/metrics.ts';
import { errorFromBody, errorFromFailure, errorFromStatus, scrub, type CallInfo } from './classify.ts';
import type { RateLimiter } from './limiter.ts';
import type { RoundTrips } from './round-trips.ts';
import { forEachInSlices } from '../domain/slices.ts';
import { parseJsonInSlices } from './sliced-json.ts';
import { describeIssues, type ListSchema, type RejectedItem } from './schemas.ts';

/** What one exchange gave back: status, headers and the whole body. */
export interface Answer {
  status: number;
  header(name: string): string | null;
  text: string;
}

export interface Outgoing {
  method: Method;
  headers: Record<string, string>;
  body?: string;
  signal: AbortSignal;
  /** Run as the request is about to be written to its socket; a throw leaves it unwritten, and the send rejects with it. */
  beforeWrite?: () => void;
}

/** Sends one request and reads its whole answer; redirects are not followed (they could carry the token elsewhere). */
export type Send = (url: string, outgoing: Outgoing) => Promise<Answer>;

export interface Transport {
  baseUrl: string;
  token: string;
  timeoutMs: number;
  limiter: RateLimiter;
  send: Send;
  /** Every answered call's round trip (from sending to the whole answer read), limiter wait excluded. */
  roundTrips?: RoundTrips;
}

/**
 * Keep-alive connections shared by every client in the process. undici's
 * request API rather than fetch: measured against the emulator, fetch cost
 * 230–360 µs of CPU per request and request 65–105 µs, which is most of an
 * unthrottled import's time (see bench/RESULTS.md).
 */
const agent = new Agent({ keepAliveTimeout: 4_000 });

export const sendWithUndici: Send = async (url, { method, headers, body, signal, beforeWrite }) => {
  const dispatcher = beforeWrite ? checkedBeforeWrite(beforeWrite) : agent;
  const response = await request(url, { method, headers, body, signal, dispatcher });
  const text = await response.body.text();
  // undici frees a keep-alive socket for its next request one turn of the
  // event loop after the response ends (setImmediate, on purpose: see
  // client-h1.js). A caller sending its next request sooner would make the
  // pool open another connection; so the answer is handed over after that turn.
  await new Promise<void>((resolve) => setImmediate(resolve));
  const headerOf = response.headers;
  return {
    status: response.statusCode,
    header(name) {
      const value = headerOf[name.toLowerCase()];
      return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
    },
    text,
  };
};

/** The methods of undici's (legacy) dispatch handler that a wrapper passes on. */
const HANDLER_METHODS = ['onError', 'onUpgrade', 'onResponseStarted', 'onHeaders', 'onData', 'onComplete', 'onBodySent', 'onRequestSent'];

/**
 * The agent, with `check` run where undici writes the request to its socket:
 * writeH1 calls the handler's onConnect, and writes nothing once it throws.
 * Waiting for a free connection, or a process paused (SIGSTOP) after the
 * attempt began, happens before this point, not after it.
 */
function checkedBeforeWrite(check: () => void): Dispatcher {
  const dispatch = (options: Dispatcher.DispatchOptions, inner: Dispatcher.DispatchHandler) => {
    const handlers = inner as Record<string, unknown>;
    if (typeof handlers.onConnect !== 'function') {
      // A handler of undici's newer interface: checked at dispatch, the nearest point left.
      check();
      return agent.dispatch(options, inner);
    }
    const handler: Record<string, unknown> = {
      onConnect(...args: unknown[]) {
        (handlers.onConnect as (...a: unknown[]) => unknown).apply(inner, args);
        check();
      },
    };
    for (const name of HANDLER_METHODS) {
      const method = handlers[name];
      if (typeof method === 'function') handler[name] = method.bind(inner);
    }
    return agent.dispatch(options, handler as Dispatcher.DispatchHandler);
  };
  return { dispatch } as unknown as Dispatcher;
}

/** Through a fetch function instead (tests that intercept fetch with msw). */
export function sendWithFetch(fetchFn: typeof fetch): Send {
  return async (url, { method, headers, body, signal, beforeWrite }) => {
    beforeWrite?.();
    const response = await fetchFn(url, { method, headers, ...(body !== undefined ? { body } : {}), redirect: 'manual', signal });
    const text = await response.text();
    return { status: response.status, header: (name) => response.headers.get(name), text };
  };
}

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** Called right before every write (POST, PUT, DELETE) is sent; throws to keep it unsent. */
export type WriteFence = (endpoint: string) => void;
export type Query = Record<string, string | number | undefined>;

export interface RequestSpec<T> {
  method: Method;
  /** Below the base URL, e.g. "/advertisers/12". */
  path: string;
  query?: Query;
  body?: Record<string, unknown>;
  /** A schema for the body, a list's (items checked one by one), or null when the body does not matter (201/204 without one). */
  schema: z.ZodType<T> | ListSchema<T extends (infer I)[] ? I : never> | null;
}

/** Items validated per event-loop turn: a 10,000-item list must not hold the loop (zod's first pass over one took 111 ms). */
export const ITEMS_PER_TURN = 500;

export function endpointOf(spec: { method: Method; path: string }): string {
  return `${spec.method} ${spec.path}`;
}

export async function attempt<T>(
  transport: Transport,
  spec: RequestSpec<T>,
  signal?: AbortSignal,
  onRejected?: (item: RejectedItem) => void,
  fence?: WriteFence,
): Promise<T> {
  const call: CallInfo = { endpoint: endpointOf(spec), write: spec.method === 'POST', token: transport.token };
  await timeLimiterWait(transport.limiter.acquire(signal));
  // A write whose sender may no longer own the work throws here, unsent; and
  // again as its bytes are written (beforeWrite): a process paused in between
  // (SIGSTOP, a stalled loop) would otherwise send, as it wakes, a write its
  // lease no longer covers, while another worker acts on the same intents.
  let fenced: { error: unknown } | undefined;
  let beforeWrite: (() => void) | undefined;
  if (spec.method !== 'GET' && fence) {
    fence(call.endpoint);
    beforeWrite = () => {
      try {
        fence(call.endpoint);
      } catch (error) {
        fenced = { error };
        throw error;
      }
    };
  }
  const deadline = new Deadline(transport.timeoutMs, signal);
  const answered = timeBroadstreetRequest(spec.method, spec.path);
  let answer: Answer;
  const sentAt = performance.now();
  try {
    answer = await transport.send(urlFor(transport, spec), {
      method: spec.method,
      headers: spec.body ? { accept: 'application/json', 'content-type': 'application/json' } : { accept: 'application/json' },
      ...(spec.body ? { body: JSON.stringify(withoutUndefined(spec.body)) } : {}),
      signal: deadline.signal,
      ...(beforeWrite ? { beforeWrite } : {}),
    });
    answered(answer.status);
    transport.roundTrips?.record(performance.now() - sentAt);
  } catch (error) {
    if (fenced) throw fenced.error;
    answered(deadline.expired ? 'timeout' : 'error');
    if (signal?.aborted) throw signal.reason;
    throw errorFromFailure(call, error, deadline.expired, transport.timeoutMs);
  } finally {
    deadline.clear();
  }
  if (answer.status < 200 || answer.status >= 300) throw errorFromStatus(call, answer.status, answer.header('retry-after'), answer.text);
  return parseBody(call, spec.schema, answer, onRejected);
}

/**
 * Aborts at the timeout or when the caller's signal does. One controller and
 * one timer: AbortSignal.timeout plus AbortSignal.any measured 18–29 µs per
 * request here against 1 µs for this, and an import makes 40,000 requests.
 */
class Deadline {
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout;
  expired = false;

  constructor(
    ms: number,
    private readonly outer: AbortSignal | undefined,
  ) {
    this.timer = setTimeout(() => {
      this.expired = true;
      this.controller.abort(new DOMException(`timed out after ${ms} ms`, 'TimeoutError'));
    }, ms);
    if (outer?.aborted) this.controller.abort(outer.reason);
    else outer?.addEventListener('abort', this.onOuterAbort, { once: true });
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  private readonly onOuterAbort = () => this.controller.abort(this.outer!.reason);

  clear(): void {
    clearTimeout(this.timer);
    this.outer?.removeEventListener('abort', this.onOuterAbort);
  }
}

async function parseBody<T>(
  call: CallInfo,
  schema: RequestSpec<T>['schema'],
  { status, header, text }: Answer,
  onRejected?: (item: RejectedItem) => void,
): Promise<T> {
  if (schema === null) return undefined as T;
  if (text.trim() === '') throw errorFromBody(call, status, 'empty');
  const type = header('content-type') ?? '';
  if (type.includes('text/html') || text.trimStart().startsWith('<')) throw errorFromBody(call, status, 'html');
  let json: unknown;
  try {
    json = await parseJsonInSlices(text);
  } catch {
    throw errorFromBody(call, status, 'malformed');
  }
  if (isList(schema)) return (await parseList(call, status, schema, json, onRejected)) as T;
  const result = schema.safeParse(json);
  if (!result.success) throw errorFromBody(call, status, 'shape', describeIssues(result.error));
  return result.data;
}

function isList(schema: object): schema is ListSchema<unknown> {
  return (schema as { kind?: unknown }).kind === 'list';
}

/** The envelope as a whole, then each item alone, yielding to the event loop between slices. */
async function parseList<I>(
  call: CallInfo,
  status: number,
  schema: ListSchema<I>,
  json: unknown,
  onRejected?: (item: RejectedItem) => void,
): Promise<I[]> {
  const envelope = schema.envelope.safeParse(json);
  if (!envelope.success) throw errorFromBody(call, status, 'shape', describeIssues(envelope.error));
  const items: I[] = [];
  await forEachInSlices(
    envelope.data,
    (value) => {
      const result = schema.item.safeParse(value);
      if (result.success) items.push(result.data);
      else onRejected?.({ endpoint: call.endpoint, id: idOf(value), problems: scrub(describeIssues(result.error), call.token) });
    },
    ITEMS_PER_TURN,
  );
  return items;
}

function idOf(value: unknown): number | null {
  const id = (value as { id?: unknown } | null)?.id;
  const n = typeof id === 'string' && /^\d+$/.test(id) ? Number(id) : id;
  return typeof n === 'number' && Number.isInteger(n) && n > 0 ? n : null;
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
