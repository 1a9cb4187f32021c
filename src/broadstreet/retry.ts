// Retries for retryable failures (NETWORK, RATE_LIMIT): exponential backoff
// with full jitter, or the server's Retry-After when longer, within a time
// budget per call (and optionally a cap on attempts), each failed attempt
// reported. p-retry runs the loop; it has no full jitter or Retry-After, so
// its own delay is zero and the wait happens in onFailedAttempt, which p-retry
// awaits (its documented way to add delays). The budget is ours rather than
// p-retry's maxRetryTime because time a call spends held by the circuit
// breaker (an outage, governed by the outage budget) must not count against it.
import pRetry from 'p-retry';
import { BroadstreetError } from './errors.ts';
import { abortableSleep } from './time.ts';

export interface RetryPolicy {
  /** How long one call keeps retrying, from its first attempt (BROADSTREET_RETRY_BUDGET_MS, default 2 minutes). */
  budgetMs: number;
  /** An optional cap on attempts in all, first included (BROADSTREET_MAX_ATTEMPTS; unset: only the time budget). */
  maxAttempts?: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** A Retry-After longer than this is cut to it, so one answer cannot stall a run for hours. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { budgetMs: 120_000, baseDelayMs: 500, maxDelayMs: 30_000, maxRetryAfterMs: 120_000 };

export interface AttemptInfo {
  endpoint: string;
  /** 1-based number of the attempt that failed. */
  attempt: number;
  error?: BroadstreetError;
  /** The wait before the next attempt; absent on the final failure. */
  delayMs?: number;
  willRetry: boolean;
}

export interface RetryRun {
  endpoint: string;
  signal?: AbortSignal;
  onAttempt?: (info: AttemptInfo) => void;
  random?: () => number;
  /** Milliseconds now (tests pass a fake). */
  now?: () => number;
  /** Time this call has spent held by the circuit breaker so far: not counted against the budget. */
  heldMs?: () => number;
}

/** Full jitter: uniform in [0, min(max, base·2^(n-1))]; never less than Retry-After. */
export function backoffDelay(attempt: number, policy: RetryPolicy, retryAfterMs?: number, random = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  const jittered = Math.round(random() * ceiling);
  if (retryAfterMs === undefined) return jittered;
  return Math.max(Math.min(retryAfterMs, policy.maxRetryAfterMs), jittered);
}

/**
 * Whether another attempt fits: attempts left under the cap, and the wait
 * before it ends within the budget (time held by the breaker excluded). A
 * wait that would overrun the budget is cut to what is left, but only if at
 * least one more attempt can then start.
 */
export function nextDelay(policy: RetryPolicy, attempt: number, spentMs: number, wantedMs: number): number | null {
  if (policy.maxAttempts !== undefined && attempt >= policy.maxAttempts) return null;
  const left = policy.budgetMs - spentMs;
  if (left <= 0) return null;
  return Math.min(wantedMs, left);
}

export function withRetries<T>(policy: RetryPolicy, run: RetryRun, attempt: (n: number) => Promise<T>): Promise<T> {
  const now = run.now ?? Date.now;
  const started = now();
  let giveUp = false;
  return pRetry(attempt, {
    retries: Number.POSITIVE_INFINITY,
    minTimeout: 0,
    maxTimeout: 0,
    ...(run.signal ? { signal: run.signal } : {}),
    shouldRetry: ({ error }) => !giveUp && error instanceof BroadstreetError && error.retryable,
    onFailedAttempt: async ({ error, attemptNumber }) => {
      if (!(error instanceof BroadstreetError)) return;
      error.attempts = attemptNumber;
      const spent = now() - started - (run.heldMs?.() ?? 0);
      const delayMs = error.retryable
        ? nextDelay(policy, attemptNumber, spent, backoffDelay(attemptNumber, policy, error.retryAfterMs, run.random))
        : null;
      if (delayMs === null) {
        giveUp = true;
        run.onAttempt?.({ endpoint: run.endpoint, attempt: attemptNumber, error, willRetry: false });
        return;
      }
      run.onAttempt?.({ endpoint: run.endpoint, attempt: attemptNumber, error, delayMs, willRetry: true });
      await abortableSleep(delayMs, run.signal);
    },
  });
}

/** Retry-After as delta-seconds or an HTTP date, in ms from now; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
