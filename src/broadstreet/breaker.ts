// The circuit breaker in front of every Broadstreet call. After `threshold`
// NETWORK failures in a row the breaker opens: calls stop spending their
// attempts and wait, while one call at a time probes at `probeIntervalMs`.
// The first probe that gets an answer closes it, and the waiting calls go on.
// A call held for longer than the outage budget (counted from the outage's
// start, or from when the call came to it if later) fails with
// BroadstreetUnreachableError, which fails the run saying so.
//
// The state (open since, next probe at) is shared by every run of a process,
// and through Redis by every instance sharing REDIS_URL: one instance's
// failures open it for all, and one probe at a time is sent for all.
// cockatiel's breaker was considered: it rejects calls while open (we hold
// them) and keeps its state in the process (ours must live in Redis), so the
// little state machine is written here.
import { Redis } from 'ioredis';
import { recordBreakerOpened, setBroadstreetReachable } from '../observability/metrics.ts';
import { BroadstreetError } from './errors.ts';
import { abortableSleep } from './time.ts';

export interface OutageState {
  /** When the first failure of the streak that opened the breaker happened (ms since the epoch). */
  openSince: number;
  /** When the next probe may be sent. */
  nextProbeAt: number;
}

/** Where the state lives: this process, or Redis. */
export interface BreakerStore {
  read(): Promise<OutageState | null>;
  /** Opens with this state unless open already; the state in force. */
  open(state: OutageState): Promise<OutageState>;
  /** Claims the probe due at or before `now`, moving the next one to `next`; false when it is not due or another took it. */
  claimProbe(now: number, next: number): Promise<boolean>;
  close(): Promise<void>;
  dispose?(): Promise<void>;
}

export interface BreakerOptions {
  /** NETWORK failures in a row that open the breaker (BROADSTREET_BREAKER_THRESHOLD, default 5). */
  threshold?: number;
  /** Between probes while open (BROADSTREET_PROBE_INTERVAL_MS, default 5 s). */
  probeIntervalMs?: number;
  /** How long calls wait for Broadstreet before failing (BROADSTREET_OUTAGE_BUDGET_MS, default 10 minutes). */
  outageBudgetMs?: number;
  store?: BreakerStore;
  now?: () => number;
  /** How often a held call re-reads the state (another instance may have closed it). */
  pollMs?: number;
}

export type BreakerEvent = { kind: 'opened' | 'waiting'; state: OutageState } | { kind: 'closed'; state: OutageState; downMs: number };

/** The breaker stayed open longer than the outage budget: nothing is sent; the run fails with this. */
export class BroadstreetUnreachableError extends BroadstreetError {
  override name = 'BroadstreetUnreachableError';
  readonly unreachableSince: number;
  /** "Broadstreet unreachable since …, longer than the outage budget of …". */
  readonly reason: string;
  constructor(endpoint: string, state: OutageState, budgetMs: number) {
    const reason =
      `Broadstreet unreachable since ${new Date(state.openSince).toISOString()}, longer than the outage ` +
      `budget of ${describeMs(budgetMs)}`;
    super({ code: 'NETWORK', endpoint, retryable: false, detail: reason, causeCode: 'UNREACHABLE' });
    this.unreachableSince = state.openSince;
    this.reason = reason;
  }
}

export const DEFAULT_BREAKER = { threshold: 5, probeIntervalMs: 5_000, outageBudgetMs: 600_000, pollMs: 500 };

export class CircuitBreaker {
  readonly threshold: number;
  readonly probeIntervalMs: number;
  readonly outageBudgetMs: number;
  private readonly pollMs: number;
  private readonly store: BreakerStore;
  private readonly now: () => number;
  private streak = 0;
  private streakSince = 0;
  /** The state as last read, and when. */
  private known: OutageState | null = null;
  private knownAt = Number.NEGATIVE_INFINITY;
  private reading: Promise<OutageState | null> | null = null;
  private lastWaiting = '';
  private readonly listeners = new Set<(event: BreakerEvent) => void>();

  constructor(options: BreakerOptions = {}) {
    this.threshold = options.threshold ?? DEFAULT_BREAKER.threshold;
    this.probeIntervalMs = options.probeIntervalMs ?? DEFAULT_BREAKER.probeIntervalMs;
    this.outageBudgetMs = options.outageBudgetMs ?? DEFAULT_BREAKER.outageBudgetMs;
    this.pollMs = options.pollMs ?? Math.min(DEFAULT_BREAKER.pollMs, this.probeIntervalMs);
    this.store = options.store ?? new MemoryBreakerStore();
    this.now = options.now ?? Date.now;
    setBroadstreetReachable(true);
  }

  /** The state as this process last saw it: null while Broadstreet is taken as reachable. */
  get state(): OutageState | null {
    return this.known;
  }

  /** Told when the breaker opens, when a held call learns the next probe time, and when it closes. */
  subscribe(listener: (event: BreakerEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Before each attempt of a call that began at callStartedAt: returns when
   * it may be sent (closed, or it is the probe), with how long it was held;
   * throws BroadstreetUnreachableError once the outage budget is spent, or the
   * signal's reason.
   */
  async admit(endpoint: string, signal?: AbortSignal, callStartedAt = this.now()): Promise<{ heldMs: number; probe: boolean }> {
    const start = this.now();
    for (;;) {
      const state = await this.current();
      const now = this.now();
      if (!state) return { heldMs: now - start, probe: false };
      // The budget runs from the outage's start, or from when this call came to it: a run started
      // during a long outage still waits its whole budget (and probes) before it fails.
      if (now - Math.max(state.openSince, callStartedAt) >= this.outageBudgetMs) {
        throw new BroadstreetUnreachableError(endpoint, state, this.outageBudgetMs);
      }
      if (now >= state.nextProbeAt) {
        const next = now + this.probeIntervalMs;
        if (await this.store.claimProbe(now, next)) {
          this.learn({ ...state, nextProbeAt: next });
          return { heldMs: this.now() - start, probe: true };
        }
        this.knownAt = Number.NEGATIVE_INFINITY;
        continue;
      }
      this.tellWaiting(state);
      await abortableSleep(Math.max(5, Math.min(state.nextProbeAt - now, this.pollMs)), signal);
    }
  }

  /** After an attempt: an answer of any kind (or any failure but NETWORK) shows Broadstreet reachable. */
  async settled(error: unknown): Promise<void> {
    if (error instanceof BroadstreetError && error.code === 'NETWORK') return this.failed();
    if (!(error === undefined || error instanceof BroadstreetError)) return;
    this.streak = 0;
    const open = this.known;
    if (!open) return;
    this.learn(null);
    await this.store.close().catch(() => {});
    this.emit({ kind: 'closed', state: open, downMs: this.now() - open.openSince });
  }

  async dispose(): Promise<void> {
    await this.store.dispose?.();
  }

  private async failed(): Promise<void> {
    const now = this.now();
    if (this.streak++ === 0) this.streakSince = now;
    if (this.streak < this.threshold || this.known) return;
    const state = await this.store.open({ openSince: this.streakSince, nextProbeAt: now + this.probeIntervalMs });
    const fresh = !this.known;
    this.learn(state);
    if (fresh) {
      recordBreakerOpened();
      this.emit({ kind: 'opened', state });
    }
  }

  /** The shared state, read at most every pollMs (one read at a time). */
  private async current(): Promise<OutageState | null> {
    if (this.now() - this.knownAt < this.pollMs) return this.known;
    this.reading ??= this.store
      .read()
      .then((state) => {
        const was = this.known;
        this.learn(state);
        if (was && !state) this.emit({ kind: 'closed', state: was, downMs: this.now() - was.openSince });
        if (!was && state) {
          recordBreakerOpened();
          this.emit({ kind: 'opened', state });
        }
        return state;
      })
      .finally(() => {
        this.reading = null;
      });
    return this.reading;
  }

  private learn(state: OutageState | null): void {
    this.known = state;
    this.knownAt = this.now();
    if (!state) this.lastWaiting = '';
    setBroadstreetReachable(state === null);
  }

  private tellWaiting(state: OutageState): void {
    const key = `${state.openSince}:${state.nextProbeAt}`;
    if (key === this.lastWaiting) return;
    this.lastWaiting = key;
    this.emit({ kind: 'waiting', state });
  }

  private emit(event: BreakerEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // A listener's failure is its own.
      }
    }
  }
}

/** "Broadstreet unreachable since …; next probe at …": what a held run's progress says. */
export function describeOutage(state: OutageState): string {
  return (
    `Broadstreet unreachable since ${new Date(state.openSince).toISOString()}; next probe at ` +
    `${new Date(state.nextProbeAt).toISOString()}`
  );
}

export function describeMs(ms: number): string {
  return ms % 60_000 === 0 && ms >= 60_000 ? `${ms / 60_000} min` : `${Math.round(ms / 100) / 10} s`;
}

export class MemoryBreakerStore implements BreakerStore {
  private state: OutageState | null = null;

  async read(): Promise<OutageState | null> {
    return this.state && { ...this.state };
  }

  async open(state: OutageState): Promise<OutageState> {
    this.state ??= { ...state };
    return { ...this.state };
  }

  async claimProbe(now: number, next: number): Promise<boolean> {
    if (!this.state || now < this.state.nextProbeAt) return false;
    this.state.nextProbeAt = next;
    return true;
  }

  async close(): Promise<void> {
    this.state = null;
  }
}

export const DEFAULT_BREAKER_KEY = 'broadsync:broadstreet:breaker';

const OPEN = `
if redis.call('EXISTS', KEYS[1]) == 0 then
  redis.call('HSET', KEYS[1], 'openSince', ARGV[1], 'nextProbeAt', ARGV[2])
end
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return redis.call('HMGET', KEYS[1], 'openSince', 'nextProbeAt')`;

const CLAIM = `
local next = redis.call('HGET', KEYS[1], 'nextProbeAt')
if not next or tonumber(next) > tonumber(ARGV[1]) then return 0 end
redis.call('HSET', KEYS[1], 'nextProbeAt', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1`;

/**
 * The state in one Redis hash. It expires when nobody has probed for a whole
 * outage budget (every instance stopped), so a stale outage never fails a run
 * at start. While Redis itself is unreachable each process keeps its own state.
 */
export class RedisBreakerStore implements BreakerStore {
  private readonly redis: Redis;
  private readonly local = new MemoryBreakerStore();

  constructor(
    url: string,
    private readonly ttlMs: number,
    private readonly key = DEFAULT_BREAKER_KEY,
  ) {
    this.redis = new Redis(url, { maxRetriesPerRequest: 1, lazyConnect: false, connectionName: `broadsync:breaker:${process.pid}` });
    this.redis.on('error', () => {});
  }

  async read(): Promise<OutageState | null> {
    try {
      const [openSince, nextProbeAt] = await this.redis.hmget(this.key, 'openSince', 'nextProbeAt');
      return openSince && nextProbeAt ? { openSince: Number(openSince), nextProbeAt: Number(nextProbeAt) } : null;
    } catch {
      return this.local.read();
    }
  }

  async open(state: OutageState): Promise<OutageState> {
    try {
      const [openSince, nextProbeAt] = (await this.redis.eval(
        OPEN,
        1,
        this.key,
        state.openSince,
        state.nextProbeAt,
        this.ttlMs,
      )) as string[];
      return { openSince: Number(openSince), nextProbeAt: Number(nextProbeAt) };
    } catch {
      return this.local.open(state);
    }
  }

  async claimProbe(now: number, next: number): Promise<boolean> {
    try {
      return (await this.redis.eval(CLAIM, 1, this.key, now, next, this.ttlMs)) === 1;
    } catch {
      return this.local.claimProbe(now, next);
    }
  }

  async close(): Promise<void> {
    await this.local.close();
    await this.redis.del(this.key).catch(() => {});
  }

  async dispose(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
