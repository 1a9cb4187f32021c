// The transport-free emulator: one call in, one outcome out. The node:http
// server and the msw handlers both drive this, so they cannot drift apart.
import { setTimeout as sleep } from 'node:timers/promises';
import { forbidden, type AccessLimits } from './access.ts';
import { FaultInjector, type Fault } from './faults.ts';
import { HttpReply, type Reply } from './handlers/common.ts';
import { BadRequest, readParams } from './params.ts';
import { matchRoute, type RouteMatch } from './routes.ts';
import { seedStore, type SeedSize } from './seed.ts';
import { EmulatorStats } from './stats.ts';
import { EmulatorStore } from './store.ts';
import { monotonicNow, SlidingWindow } from './window.ts';

export interface EmulatorConfig {
  /** The one access token accepted. */
  token: string;
  /** What a missing or wrong token gets: the vendor's client expects 403, other apps 401. */
  authFailureStatus: 401 | 403;
  /** Requests per second over any sliding second; beyond it, 429 with Retry-After. */
  rateLimit: { rps: number } | null;
  /** Added to every answer, after the request was acted on. */
  latencyMs: number;
  /** Networks and advertisers a valid token may not touch (403). */
  access: AccessLimits;
}

export interface IncomingCall {
  method: string;
  /** The path below the API base, e.g. "/advertisers/12". */
  path: string;
  query: URLSearchParams;
  contentType: string;
  body: Uint8Array;
}

export type Outcome =
  | { type: 'respond'; status: number; headers: Record<string, string>; body: string }
  /** Reset the connection without answering. */
  | { type: 'drop' };

const JSON_TYPE = { 'content-type': 'application/json; charset=utf-8' };

export class EmulatorCore {
  store = new EmulatorStore();
  readonly stats = new EmulatorStats();
  readonly faults: FaultInjector;
  private readonly limitWindow = new SlidingWindow();

  /** Called after a request that may have changed the data (state files save on it). */
  onChange: (() => void) | undefined;

  /** store: data to resume (a state file); without it, seeded data. */
  constructor(
    readonly seed: number,
    readonly size: SeedSize,
    public config: EmulatorConfig,
    store?: EmulatorStore,
  ) {
    this.faults = new FaultInjector(seed);
    if (store) this.store = store;
    else seedStore(this.store, seed, size);
  }

  /**
   * A fresh store from the same seed; statistics, faults and the limit window
   * cleared. Ids go on counting up: the real Broadstreet never reuses one.
   */
  reset(): void {
    this.store = new EmulatorStore(this.store.idCounters());
    seedStore(this.store, this.seed, this.size);
    this.onChange?.();
    this.stats.reset();
    this.faults.clear();
    this.limitWindow.clear();
  }

  /** Refuses (403) whatever names these networks or advertisers, from now on. */
  forbid(limits: Partial<AccessLimits>): void {
    this.config = { ...this.config, access: { ...this.config.access, ...limits } };
  }

  async handle(call: IncomingCall): Promise<Outcome> {
    const now = monotonicNow();
    const route = matchRoute(call.method, call.path);
    this.stats.recordRequest(route?.endpoint ?? `${call.method.toUpperCase()} (unknown)`, now);
    const outcome = await this.answer(call, route, now);
    this.stats.recordStatus(outcome.type === 'drop' ? 'dropped' : outcome.status);
    if (call.method.toUpperCase() !== 'GET') this.onChange?.();
    return outcome;
  }

  private async answer(call: IncomingCall, route: RouteMatch | null, now: number): Promise<Outcome> {
    const limited = this.rateLimit(now);
    if (limited) return limited;
    const fault = route ? this.faults.draw(route.endpoint, call.query) : null;
    const early = fault && beforeActing(fault);
    if (early) return early;
    const reply = await this.act(call, route);
    const delay = this.config.latencyMs + (fault?.kind === 'latency' ? (fault.latencyMs ?? 1000) : 0);
    if (delay > 0) await sleep(delay);
    return fault ? afterActing(fault, reply) : reply;
  }

  private rateLimit(now: number): Outcome | null {
    const limit = this.config.rateLimit;
    if (!limit) return null;
    if (this.limitWindow.count(now) < limit.rps) {
      this.limitWindow.add(now);
      return null;
    }
    const waitMs = this.limitWindow.oldestExpiresAt(now) - now;
    const retryAfter = String(Math.max(1, Math.ceil(waitMs / 1000)));
    return json(429, { message: 'Rate limit exceeded' }, { 'retry-after': retryAfter });
  }

  private async act(call: IncomingCall, route: RouteMatch | null): Promise<Outcome & { type: 'respond' }> {
    try {
      const params = await readParams(call.query, call.contentType, call.body);
      if (params.access_token !== this.config.token) {
        const status = this.config.authFailureStatus;
        return json(status, { message: status === 401 ? 'Unauthorized' : 'Forbidden' });
      }
      if (!route) return json(404, { message: 'Not Found' });
      if (forbidden(this.config.access, route, params, this.store)) return json(403, { message: 'Forbidden' });
      const reply = route.handler({
        store: this.store,
        params,
        ...(route.id !== undefined ? { id: route.id } : {}),
        created: (kind) => this.stats.recordCreated(kind),
        hiddenNetworkIds: this.config.access.networkIds,
      });
      return fromReply(reply);
    } catch (error) {
      if (error instanceof HttpReply) return json(error.status, error.body);
      if (error instanceof BadRequest) return json(400, { message: error.message });
      throw error;
    }
  }
}

function beforeActing(fault: Fault): Outcome | null {
  switch (fault.kind) {
    case '5xx':
      return json(fault.status ?? 503, { message: 'Service Unavailable' });
    case 'html':
      return htmlPage(fault.status ?? 502);
    case 'reset':
      return { type: 'drop' };
    case '429':
      return json(429, { message: 'Rate limit exceeded' }, { 'retry-after': String(fault.retryAfter ?? 1) });
    default:
      return null;
  }
}

function afterActing(fault: Fault, reply: Outcome & { type: 'respond' }): Outcome {
  switch (fault.kind) {
    case 'malformed':
      // A body cut off mid-way; an empty body (placement create) becomes a lone brace.
      return { ...reply, body: reply.body ? reply.body.slice(0, Math.max(1, Math.floor(reply.body.length / 2))) : '{"' };
    case 'empty':
      return { ...reply, body: '' };
    case 'created-then-dropped':
      return { type: 'drop' };
    default:
      return reply;
  }
}

function fromReply(reply: Reply): Outcome & { type: 'respond' } {
  if (reply.body === undefined) return { type: 'respond', status: reply.status, headers: {}, body: '' };
  return json(reply.status, reply.body);
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Outcome & { type: 'respond' } {
  return { type: 'respond', status, headers: { ...JSON_TYPE, ...headers }, body: JSON.stringify(body) };
}

function htmlPage(status: number): Outcome & { type: 'respond' } {
  const title = status === 502 ? 'Bad Gateway' : status === 200 ? 'Maintenance' : 'Error';
  const body =
    `<!DOCTYPE html>\n<html><head><title>${status} ` +
    `${title}</title></head><body><h1>${title}</h1><p>Please try again later.</p></body></html>\n`;
  return { type: 'respond', status, headers: { 'content-type': 'text/html; charset=utf-8' }, body };
}
