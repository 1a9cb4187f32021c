// One request budget for every Broadstreet call the process makes — or, with
// Redis, every process sharing the key.
//
// Why slots: rate-limiter-flexible (a maintained library with the same API
// over memory and Redis) counts in fixed windows, which lets 2 × rps straddle
// a window boundary, and its Redis store expires keys in whole seconds. So we
// use it as the atomic, shared "claim" primitive it is good at: time is cut
// into slots of 1000/rps ms, each slot can be claimed by ONE request (points 1
// per slot key), and a request goes out at the start of its slot. Grants are
// then at least one interval apart, so any sliding second holds at most rps,
// and 200 calls at 10/s take ≈ 19.9 s — 20.9 s with the margin: the interval
// is widened (default 5%, i.e. 50 ms per second) because the server counts
// arrivals, not our grants, and a request delayed 30–50 ms on its way would
// otherwise land 11 in the server's second (measured against the emulator).
import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { abortableSleep, wallClock } from './time.ts';

export interface RateLimiter {
  /** Resolves when one request may be sent; rejects with the signal's reason if aborted first. */
  acquire(signal?: AbortSignal): Promise<void>;
  close?(): Promise<void>;
  /** The requests per second it grants (absent for a limiter that does not say). */
  readonly rps?: number;
}

export interface RateLimiterOptions {
  /** Requests per second over any sliding second. */
  rps: number;
  /** Share the budget through Redis: every limiter with the same URL and key shares one. */
  redisUrl?: string;
  /** Redis key prefix naming the budget (default "broadsync:broadstreet"). */
  key?: string;
  /** Interval widening against transit jitter (default 0.05: a sliding second tolerates 50 ms). */
  margin?: number;
}

export const DEFAULT_LIMITER_KEY = 'broadsync:broadstreet';

export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  if (!(options.rps > 0)) throw new Error(`rate limit must be a positive number of requests per second, got ${options.rps}`);
  const intervalMs = (1000 / options.rps) * (1 + (options.margin ?? 0.05));
  // Slot keys only need to outlive their slot; Redis expiries are whole seconds.
  const limiterOptions = { points: 1, duration: Math.max(1, Math.ceil((2 * intervalMs) / 1000)) };
  // Half the slack the margin leaves in a second: room for one late grant plus transit jitter.
  const spacing = { rps: options.rps, intervalMs, lateMs: Math.max(5, (intervalMs * options.rps - 1000) / 2) };
  if (!options.redisUrl) return new SlotRateLimiter(new RateLimiterMemory(limiterOptions), spacing);
  const redis = new Redis(options.redisUrl, {
    maxRetriesPerRequest: 1,
    lazyConnect: false,
    connectionName: `broadsync:limiter:${process.pid}`,
  });
  // Errors surface through consume(); without a listener ioredis would log them loudly.
  redis.on('error', () => {});
  const store = new RateLimiterRedis({
    ...limiterOptions,
    storeClient: redis,
    keyPrefix: options.key ?? DEFAULT_LIMITER_KEY,
    rejectIfRedisNotReady: true,
    // While Redis is unreachable each process keeps its own budget rather than failing every call.
    insuranceLimiter: new RateLimiterMemory(limiterOptions),
  });
  return new SlotRateLimiter(store, spacing, redis);
}

interface Waiter {
  resolve(): void;
  reject(reason: unknown): void;
  signal?: AbortSignal;
  onAbort?: () => void;
}

interface Spacing {
  rps: number;
  /** Between slot starts: 1000/rps ms, widened by the margin. */
  intervalMs: number;
  /** How late a grant may wake and still be used: half the window's slack. */
  lateMs: number;
}

/** FIFO of waiters; only the head claims slots, so a process asks its store once per grant. */
class SlotRateLimiter implements RateLimiter {
  private readonly queue: Waiter[] = [];
  private pumping = false;
  private lastSlot = -Infinity;
  /**
   * In memory only: slots count from `origin` (ms), under keys of this `epoch`.
   * Slots shared through Redis must line up across processes, so they count
   * from 0 of the wall clock; a private budget instead starts a new epoch
   * whenever it has been idle a whole interval, so that the first request after
   * an idle spell (a run's first) is granted at once rather than at the next
   * aligned slot (up to one interval later). The previous grant is then at
   * least an interval back, so grants stay an interval apart.
   */
  private origin = 0;
  private epoch = 0;
  private closed = false;
  private waitedForRedis = false;

  constructor(
    private readonly store: RateLimiterAbstract,
    private readonly spacing: Spacing,
    private readonly redis?: Redis,
  ) {}

  get rps(): number {
    return this.spacing.rps;
  }

  acquire(signal?: AbortSignal): Promise<void> {
    if (this.closed) return Promise.reject(new Error('rate limiter is closed'));
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = { resolve, reject };
      if (signal) {
        waiter.signal = signal;
        waiter.onAbort = () => {
          // The head is rejected by its own sleep; others just leave the queue.
          const index = this.queue.indexOf(waiter);
          if (index <= 0) return;
          this.queue.splice(index, 1);
          reject(signal.reason);
        };
        signal.addEventListener('abort', waiter.onAbort, { once: true });
      }
      this.queue.push(waiter);
      void this.pump();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const waiter of this.queue.splice(0)) waiter.reject(new Error('rate limiter is closed'));
    if (this.redis) await this.redis.quit().catch(() => this.redis!.disconnect());
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (this.queue.length > 0) {
        const waiter = this.queue[0]!;
        try {
          await this.grant(waiter.signal);
          this.settle(waiter, null);
        } catch (error) {
          this.settle(waiter, error);
        }
      }
    } finally {
      this.pumping = false;
    }
  }

  private settle(waiter: Waiter, error: unknown): void {
    if (this.queue[0] === waiter) this.queue.shift();
    if (waiter.onAbort) waiter.signal!.removeEventListener('abort', waiter.onAbort);
    if (error === null) waiter.resolve();
    else waiter.reject(error);
  }

  /**
   * Claims the first free slot starting now or later and waits for its start.
   * A grant that wakes more than lateMs after its slot began (a busy event
   * loop) is forfeited and the next free slot claimed: sent late, it could
   * bunch up with the request sent in the following slot. So every grant lies
   * within lateMs of its slot's start, and any sliding second holds at most
   * rps of them, across every process sharing the slots.
   */
  private async grant(signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    await this.ready();
    const { intervalMs, lateMs } = this.spacing;
    for (;;) {
      const now = wallClock();
      if (!this.redis && now >= this.origin + (this.lastSlot + 1) * intervalMs) {
        this.epoch += 1;
        this.origin = now;
        this.lastSlot = -1;
      }
      let slot = Math.max(this.lastSlot + 1, Math.ceil((now - this.origin) / intervalMs));
      while (!(await this.claim(slot))) slot++;
      this.lastSlot = slot;
      const start = this.origin + slot * intervalMs;
      // Timers may wake a little early; never hand out a grant before its time.
      // A timer cannot wait less than 1 ms, which capped a high limit (slots of
      // 0.1 ms at 10,000/s) near 600 grants/s: a sub-millisecond wait yields to
      // the event loop instead.
      for (let wait = start - wallClock(); wait > 0; wait = start - wallClock()) {
        if (wait < 1) await new Promise<void>((resolve) => setImmediate(resolve));
        else await abortableSleep(Math.ceil(wait), signal);
      }
      signal?.throwIfAborted();
      if (wallClock() - start <= lateMs) return;
    }
  }

  private async claim(slot: number): Promise<boolean> {
    try {
      await this.store.consume(this.redis ? String(slot) : `${this.epoch}:${slot}`, 1);
      return true;
    } catch (error) {
      if (error instanceof RateLimiterRes) return false;
      throw error;
    }
  }

  /** Waits once (up to 2 s) for a fresh Redis connection, so the first grants are shared ones too. */
  private async ready(): Promise<void> {
    const redis = this.redis;
    if (!redis || this.waitedForRedis || redis.status === 'ready' || redis.status === 'end') return;
    this.waitedForRedis = true;
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        redis.off('ready', done);
        resolve();
      };
      const timer = setTimeout(done, 2000);
      redis.once('ready', done);
    });
  }
}
