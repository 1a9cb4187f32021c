import { describe, expect, it } from 'vitest';
import { BroadstreetError, backoffDelay, parseRetryAfter, type AttemptInfo } from '../../src/broadstreet/index.ts';
import { nextDelay, withRetries, type RetryPolicy } from '../../src/broadstreet/retry.ts';

const policy: RetryPolicy = { budgetMs: 60_000, maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 1000, maxRetryAfterMs: 5000 };
const network = (extra = {}) => new BroadstreetError({ code: 'NETWORK', detail: 'x', endpoint: 'GET /zones', ...extra });

describe('backoffDelay (full jitter)', () => {
  it('draws from [0, min(max, base·2^(n-1))]', () => {
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(n, policy, undefined, () => 0.999999))).toEqual([100, 200, 400, 800, 1000]);
    expect(backoffDelay(3, policy, undefined, () => 0)).toBe(0);
    const samples = Array.from({ length: 2000 }, () => backoffDelay(3, policy));
    expect(Math.min(...samples)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...samples)).toBeLessThanOrEqual(400);
    const mean = samples.reduce((a, b) => a + b) / samples.length;
    expect(mean).toBeGreaterThan(170);
    expect(mean).toBeLessThan(230);
  });

  it('waits at least Retry-After, capped', () => {
    expect(backoffDelay(1, policy, 3000, () => 0.5)).toBe(3000);
    expect(backoffDelay(4, policy, 10, () => 1)).toBe(800);
    expect(backoffDelay(1, policy, 60_000, () => 0)).toBe(5000);
  });
});

describe('parseRetryAfter', () => {
  it('reads delta-seconds and HTTP dates', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter('1.5', now)).toBe(1500);
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:10 GMT', now)).toBe(10_000);
    expect(parseRetryAfter('Tue, 31 Dec 2024 23:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});

describe('withRetries', () => {
  const run = async (errors: BroadstreetError[]) => {
    const attempts: AttemptInfo[] = [];
    let calls = 0;
    const result = withRetries(policy, { endpoint: 'GET /zones', onAttempt: (a) => attempts.push(a), random: () => 0 }, async () => {
      const error = errors[calls++];
      if (error) throw error;
      return 'ok';
    });
    return { result: await result.catch((e: unknown) => e), attempts, calls: () => calls };
  };

  it('retries retryable errors and reports each failed attempt', async () => {
    const { result, attempts, calls } = await run([
      network(),
      new BroadstreetError({ code: 'RATE_LIMIT', detail: 'x', endpoint: 'GET /zones', retryAfterMs: 20 }),
    ]);
    expect(result).toBe('ok');
    expect(calls()).toBe(3);
    expect(attempts.map((a) => [a.attempt, a.error?.code, a.delayMs, a.willRetry])).toEqual([
      [1, 'NETWORK', 0, true],
      [2, 'RATE_LIMIT', 20, true],
    ]);
  });

  it('stops at maxAttempts with the last error, its attempts counted', async () => {
    const { result, attempts, calls } = await run([network(), network(), network(), network(), network()]);
    expect(calls()).toBe(4);
    expect(result).toMatchObject({ code: 'NETWORK', attempts: 4 });
    expect(attempts.at(-1)).toMatchObject({ attempt: 4, willRetry: false });
    expect(attempts.at(-1)!.delayMs).toBeUndefined();
  });

  it('never retries AUTH, VALIDATION, NOT_FOUND or an unknown outcome', async () => {
    for (const error of [
      new BroadstreetError({ code: 'AUTH', detail: 'x', endpoint: 'e' }),
      new BroadstreetError({ code: 'VALIDATION', detail: 'x', endpoint: 'e' }),
      new BroadstreetError({ code: 'NOT_FOUND', detail: 'x', endpoint: 'e' }),
      network({ outcomeUnknown: true }),
    ]) {
      const { result, calls, attempts } = await run([error, error]);
      expect(result).toBe(error);
      expect(calls()).toBe(1);
      expect(attempts).toEqual([expect.objectContaining({ attempt: 1, willRetry: false })]);
    }
  });

  it('marks unknown outcomes as not retryable whatever the code', () => {
    expect(network({ outcomeUnknown: true }).retryable).toBe(false);
    expect(new BroadstreetError({ code: 'RATE_LIMIT', detail: 'x', endpoint: 'e' }).retryable).toBe(true);
  });
});

describe('the time budget', () => {
  const timed: RetryPolicy = { budgetMs: 1_000, baseDelayMs: 100, maxDelayMs: 400, maxRetryAfterMs: 5000 };

  it('nextDelay: a wait within what is left, cut to it, or none once spent; the attempt cap when there is one', () => {
    expect(nextDelay(timed, 3, 200, 300)).toBe(300);
    expect(nextDelay(timed, 3, 900, 300)).toBe(100);
    expect(nextDelay(timed, 3, 1_000, 300)).toBeNull();
    expect(nextDelay(timed, 50, 0, 10)).toBe(10);
    expect(nextDelay({ ...timed, maxAttempts: 4 }, 4, 0, 10)).toBeNull();
  });

  it('keeps retrying far past the old 5 attempts while the budget lasts, then gives up with the last error', async () => {
    let t = 0;
    let calls = 0;
    const attempts: AttemptInfo[] = [];
    const error = await withRetries(
      { ...timed, baseDelayMs: 1, maxDelayMs: 1 },
      { endpoint: 'GET /zones', now: () => t, random: () => 1, onAttempt: (a) => attempts.push(a) },
      async () => {
        calls++;
        t += 50; // each attempt takes 50 ms of the fake clock
        throw network();
      },
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'NETWORK' });
    // 1,000 ms at 50 ms an attempt (+1 ms waits): about 20 attempts, not 5.
    expect(calls).toBeGreaterThanOrEqual(19);
    expect(calls).toBeLessThanOrEqual(21);
    expect(attempts.at(-1)).toMatchObject({ willRetry: false, attempt: calls });
  });

  it('time the breaker held the call does not count against the budget', async () => {
    let t = 0;
    let held = 0;
    let calls = 0;
    const result = await withRetries(
      { ...timed, baseDelayMs: 1, maxDelayMs: 1 },
      { endpoint: 'GET /zones', now: () => t, heldMs: () => held, random: () => 1 },
      async () => {
        calls++;
        if (calls <= 3) {
          t += 2_000; // held for two seconds by an open breaker, far past the budget
          held += 2_000;
          throw network();
        }
        return 'ok';
      },
    );
    expect(result).toBe('ok');
    expect(calls).toBe(4);
  });
});
