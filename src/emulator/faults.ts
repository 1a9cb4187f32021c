// Fault injection, by rate (seeded, so a run is repeatable) or by script (the
// next N matching requests get a given fault). Scripts can come over HTTP
// (POST /__emulator/faults) from another process.
import { z } from 'zod';
import { createRandom, type Random } from './random.ts';

export const FAULT_KINDS = [
  'latency', // answers normally, after latencyMs
  '5xx', // a JSON 5xx (status, default 503) without acting on the request
  'reset', // the connection is reset before the request is acted on
  'html', // an HTML error page (status, default 502) without acting on the request
  'malformed', // acts on the request, then sends its body truncated
  'empty', // acts on the request, then sends its status with an empty body
  'created-then-dropped', // acts on the request, then resets the connection instead of answering
  '429', // a 429 with Retry-After (retryAfter seconds, default 1) without acting
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

const faultSpec = {
  kind: z.enum(FAULT_KINDS),
  status: z.number().int().min(100).max(599).optional(),
  latencyMs: z.number().int().min(0).max(600_000).optional(),
  retryAfter: z.number().int().min(0).max(3600).optional(),
  /**
   * "POST /advertisers", "POST *", "* /zones" or "*" (the default); the path may add query conditions:
   * "GET /advertisements?!advertiser_id" (absent), "?advertiser_id" (present), "?advertiser_id=12" (equal).
   */
  endpoint: z.string().optional(),
};

export const scriptedFaultSchema = z.object({ ...faultSpec, count: z.number().int().min(1).default(1) });
export const faultRateSchema = z.object({
  rate: z.number().min(0).max(1),
  kinds: z.array(z.enum(FAULT_KINDS)).min(1),
  endpoint: z.string().optional(),
  status: faultSpec.status,
  latencyMs: faultSpec.latencyMs,
  retryAfter: faultSpec.retryAfter,
});

export type ScriptedFault = z.input<typeof scriptedFaultSchema>;
export type FaultRate = z.infer<typeof faultRateSchema>;
export interface Fault {
  kind: FaultKind;
  status?: number;
  latencyMs?: number;
  retryAfter?: number;
}

export class FaultInjector {
  private random: Random;
  private rate: FaultRate | null = null;
  private queue: z.infer<typeof scriptedFaultSchema>[] = [];
  readonly injected: Partial<Record<FaultKind, number>> = {};

  constructor(private readonly seed: number) {
    this.random = createRandom(seed ^ 0x5eed);
  }

  /** Queues faults for the next matching requests, in order. */
  script(...faults: ScriptedFault[]): void {
    for (const fault of faults) this.queue.push(scriptedFaultSchema.parse(fault));
  }

  setRate(rate: FaultRate | null): void {
    this.rate = rate === null ? null : faultRateSchema.parse(rate);
  }

  clear(): void {
    this.queue = [];
    this.rate = null;
    this.random = createRandom(this.seed ^ 0x5eed);
    for (const kind of Object.keys(this.injected)) delete this.injected[kind as FaultKind];
  }

  snapshot() {
    return { rate: this.rate, script: this.queue.map((f) => ({ ...f })), injected: { ...this.injected } };
  }

  /** The fault for one request to `endpoint` (with its query string), if any: a matching script first, then the rate. */
  draw(endpoint: string, query: URLSearchParams = new URLSearchParams()): Fault | null {
    const fault = this.fromScript(endpoint, query) ?? this.fromRate(endpoint, query);
    if (fault) this.injected[fault.kind] = (this.injected[fault.kind] ?? 0) + 1;
    return fault;
  }

  private fromScript(endpoint: string, query: URLSearchParams): Fault | null {
    const index = this.queue.findIndex((f) => matches(f.endpoint, endpoint, query));
    if (index < 0) return null;
    const entry = this.queue[index]!;
    if (--entry.count <= 0) this.queue.splice(index, 1);
    return pick(entry);
  }

  private fromRate(endpoint: string, query: URLSearchParams): Fault | null {
    const rate = this.rate;
    if (!rate || !matches(rate.endpoint, endpoint, query) || !this.random.chance(rate.rate)) return null;
    return pick({ ...rate, kind: this.random.pick(rate.kinds) });
  }
}

function pick(f: Fault): Fault {
  const fault: Fault = { kind: f.kind };
  if (f.status !== undefined) fault.status = f.status;
  if (f.latencyMs !== undefined) fault.latencyMs = f.latencyMs;
  if (f.retryAfter !== undefined) fault.retryAfter = f.retryAfter;
  return fault;
}

/**
 * `pattern` is "METHOD /path", where either half may be "*", and the path may
 * end in query conditions ("?!advertiser_id&network_id=85"); no pattern
 * matches everything.
 */
export function matches(pattern: string | undefined, endpoint: string, query = new URLSearchParams()): boolean {
  if (!pattern || pattern === '*') return true;
  const [method, target = '*'] = pattern.trim().split(/\s+/, 2);
  const [path, conditions = ''] = target.split('?', 2);
  const [em, ep] = endpoint.split(' ', 2);
  return (
    (method === '*' || method!.toUpperCase() === em) &&
    (path === '*' || path === ep) &&
    conditions.split('&').every((condition) => holds(condition, query))
  );
}

/** One query condition: "name" (present), "!name" (absent), "name=value". */
function holds(condition: string, query: URLSearchParams): boolean {
  if (condition === '') return true;
  if (condition.startsWith('!')) return !query.has(condition.slice(1));
  const [name, value] = condition.split('=', 2) as [string, string | undefined];
  return value === undefined ? query.has(name) : query.get(name) === value;
}
