// The shared rate limiter: spacing, order, cancellation, and one budget across
// limiter instances through Redis.
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRateLimiter, type RateLimiter } from '../../src/broadstreet/index.ts';
import { spawnEntry } from '../helpers/process.ts';

const REDIS_URL = process.env.REDIS_TEST_URL ?? 'redis://127.0.0.1:6379';

/** The most grants within any sliding second. */
function busiestSecond(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[i]! - sorted[j]! >= 1000) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

async function grantTimes(limiter: RateLimiter, count: number): Promise<number[]> {
  const times: number[] = [];
  await Promise.all(
    Array.from({ length: count }, () => limiter.acquire().then(() => times.push(performance.timeOrigin + performance.now()))),
  );
  return times;
}

describe('in-memory limiter', () => {
  it('keeps every sliding second within rps and grants in arrival order', async () => {
    const limiter = createRateLimiter({ rps: 50 });
    const order: number[] = [];
    const times: number[] = [];
    await Promise.all(Array.from({ length: 60 }, (_, i) => limiter.acquire().then(() => (order.push(i), times.push(performance.now())))));
    expect(order).toEqual(Array.from({ length: 60 }, (_, i) => i));
    expect(busiestSecond(times)).toBeLessThanOrEqual(50);
    // 59 intervals of 20 ms (+5% margin) cannot pass faster.
    expect(times.at(-1)! - times[0]!).toBeGreaterThanOrEqual(59 * 20);
  });

  it('grants the first request after an idle spell at once, the next one an interval later', async () => {
    // 1 request/s: slots aligned to the wall clock would make the first wait up to 1,050 ms.
    const limiter = createRateLimiter({ rps: 1 });
    for (let round = 0; round < 2; round++) {
      const asked = performance.now();
      await limiter.acquire();
      const first = performance.now();
      await limiter.acquire();
      const second = performance.now();
      expect(first - asked).toBeLessThan(50);
      expect(second - first).toBeGreaterThanOrEqual(1_045);
      // Idle for more than an interval: the next round's first grant is immediate again.
      await new Promise((resolve) => setTimeout(resolve, 1_100));
    }
  }, 10_000);

  it('rejects an aborted waiter with its reason and still serves the rest', async () => {
    const limiter = createRateLimiter({ rps: 20 });
    const controller = new AbortController();
    const first = limiter.acquire();
    const aborted = limiter.acquire(controller.signal);
    const third = limiter.acquire();
    controller.abort(new Error('run cancelled'));
    await expect(aborted).rejects.toThrow('run cancelled');
    await expect(Promise.all([first, third])).resolves.toEqual([undefined, undefined]);
    await expect(limiter.acquire(AbortSignal.abort(new Error('already')))).rejects.toThrow('already');
  });

  it('refuses a non-positive rate and, once closed, new and pending acquires', async () => {
    expect(() => createRateLimiter({ rps: 0 })).toThrow(/positive/);
    const limiter = createRateLimiter({ rps: 1 });
    await limiter.acquire();
    const pending = limiter.acquire();
    await limiter.close!();
    await expect(pending).rejects.toThrow('rate limiter is closed');
    await expect(limiter.acquire()).rejects.toThrow('rate limiter is closed');
  });
});

describe('Redis-backed limiter', () => {
  let skip = '';
  beforeAll(async () => {
    const probe = new Redis(REDIS_URL, { lazyConnect: true, connectTimeout: 1000, maxRetriesPerRequest: 0, retryStrategy: () => null });
    probe.on('error', () => {});
    try {
      await probe.connect();
      await probe.ping();
    } catch (error) {
      skip = `Redis at ${REDIS_URL} is unreachable (${(error as Error).message})`;
      if (process.env.CI === 'true') throw new Error(`${skip}; CI=true requires it`);
    } finally {
      probe.disconnect();
    }
  });

  const limiters: RateLimiter[] = [];
  afterAll(() => Promise.all(limiters.map((l) => l.close?.())));

  it('shares one budget between two instances with the same key', async (ctx) => {
    if (skip) return ctx.skip(skip);
    const key = `broadsync:test:${randomBytes(4).toString('hex')}`;
    const a = createRateLimiter({ rps: 20, redisUrl: REDIS_URL, key });
    const b = createRateLimiter({ rps: 20, redisUrl: REDIS_URL, key });
    limiters.push(a, b);
    const [timesA, timesB] = await Promise.all([grantTimes(a, 30), grantTimes(b, 30)]);
    // Each alone would allow 20 per second; together they must stay within 20.
    expect(busiestSecond([...timesA, ...timesB])).toBeLessThanOrEqual(20);
    const all = [...timesA, ...timesB].sort((x, y) => x - y);
    expect(all.at(-1)! - all[0]!).toBeGreaterThanOrEqual(59 * 50);
    // Both made progress throughout, not one after the other.
    expect(Math.max(...timesA)).toBeGreaterThan(Math.min(...timesB) + 1000);
    expect(Math.max(...timesB)).toBeGreaterThan(Math.min(...timesA) + 1000);
  });

  it('shares one budget between two processes', async (ctx) => {
    if (skip) return ctx.skip(skip);
    const key = `broadsync:test:${randomBytes(4).toString('hex')}`;
    const startAt = String(Date.now() + 2500);
    const workers = [0, 1].map(() => spawnEntry('test/broadstreet/fixtures/limiter-worker.ts', {}, [REDIS_URL, key, '20', '20', startAt]));
    const grants = await Promise.all(workers.map(async (w) => JSON.parse((await w.waitFor(/GRANTS (\[.*\])/, 20_000))[1]!) as number[]));
    await Promise.all(workers.map((w) => w.exited));
    expect(grants.map((g) => g.length)).toEqual([20, 20]);
    expect(busiestSecond(grants.flat())).toBeLessThanOrEqual(20);
    expect(Math.max(...grants.flat()) - Math.min(...grants.flat())).toBeGreaterThanOrEqual(39 * 50);
    // Interleaved, not one process after the other.
    expect(Math.max(...grants[0]!)).toBeGreaterThan(Math.min(...grants[1]!) + 500);
    expect(Math.max(...grants[1]!)).toBeGreaterThan(Math.min(...grants[0]!) + 500);
  });

  it('keeps separate budgets under different keys', async (ctx) => {
    if (skip) return ctx.skip(skip);
    const a = createRateLimiter({ rps: 10, redisUrl: REDIS_URL, key: `broadsync:test:${randomBytes(4).toString('hex')}` });
    const b = createRateLimiter({ rps: 10, redisUrl: REDIS_URL, key: `broadsync:test:${randomBytes(4).toString('hex')}` });
    limiters.push(a, b);
    const [timesA, timesB] = await Promise.all([grantTimes(a, 8), grantTimes(b, 8)]);
    expect(busiestSecond([...timesA, ...timesB])).toBe(16);
  });
});

describe('Redis-backed limiter without Redis', () => {
  it('falls back to a per-process budget instead of failing every call', async () => {
    const limiter = createRateLimiter({ rps: 100, redisUrl: 'redis://127.0.0.1:1' });
    try {
      await expect(Promise.all([limiter.acquire(), limiter.acquire()])).resolves.toEqual([undefined, undefined]);
    } finally {
      await limiter.close!();
    }
  });
});
