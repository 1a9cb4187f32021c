// Retries for retryable failures (NETWORK, RATE_LIMIT): exponential backoff
// with full jitter, or the server's Retry-After when longer, bounded attempts,
// each failed attempt reported. p-retry runs the loop; it has no full jitter
// or Retry-After, so its own delay is zero and the wait happens in
// onFailedAttempt, which p-retry awaits (its documented way to add delays).
import pRetry from 'p-retry';
import { BroadstreetError } from './errors.ts';
import { abortableSleep } from './time.ts';

export interface RetryPolicy {
  /** Attempts in all, first included (config BROADSTREET_MAX_ATTEMPTS, default 5). */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** A Retry-After longer than this is cut to it, so one answer cannot stall a run for hours. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 500, maxDelayMs: 30_000, maxRetryAfterMs: 120_000 };

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
}

/** Full jitter: uniform in [0, min(max, base·2^(n-1))]; never less than Retry-After. */
export function backoffDelay(attempt: number, policy: RetryPolicy, retryAfterMs?: number, random = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  const jittered = Math.round(random() * ceiling);
  if (retryAfterMs === undefined) return jittered;
  return Math.max(Math.min(retryAfterMs, policy.maxRetryAfterMs), jittered);
}

export function withRetries<T>(policy: RetryPolicy, run: RetryRun, attempt: (n: number) => Promise<T>): Promise<T> {
  return pRetry(attempt, {
    retries: Math.max(0, policy.maxAttempts - 1),
    minTimeout: 0,
    maxTimeout: 0,
    ...(run.signal ? { signal: run.signal } : {}),
    shouldRetry: ({ error }) => error instanceof BroadstreetError && error.retryable,
    onFailedAttempt: async ({ error, attemptNumber, retriesLeft }) => {
      if (!(error instanceof BroadstreetError)) return;
      error.attempts = attemptNumber;
      if (!error.retryable || retriesLeft <= 0) {
        run.onAttempt?.({ endpoint: run.endpoint, attempt: attemptNumber, error, willRetry: false });
        return;
      }
      const delayMs = backoffDelay(attemptNumber, policy, error.retryAfterMs, run.random);
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
