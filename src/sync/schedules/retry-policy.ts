// The automatic retry policy (SYNC_AUTO_RETRY, or a schedule's own): how
// many retries and the first delay. Parsed here, with no server imports, so
// the configuration can use it.
import { durationSeconds } from './cadence.ts';

export interface RetryPolicy {
  /** Retries after the first run; 0: none. */
  attempts: number;
  /** Delay before the first retry; each further one waits twice as long as the one before. */
  delayMs: number;
}

/** Retries are never spaced further apart than this. */
export const MAX_RETRY_DELAY_MS = 6 * 3600_000;

/** `SYNC_AUTO_RETRY`: `<attempts>:<ISO 8601 delay>` (e.g. `3:PT30S`), or `off`. */
export function parseRetryPolicy(raw: string): RetryPolicy | string {
  if (/^(off|none|0)$/i.test(raw.trim())) return { attempts: 0, delayMs: 0 };
  const match = /^(\d{1,2}):(P\S+)$/.exec(raw.trim());
  if (!match) return 'must be <attempts>:<delay> with the delay an ISO 8601 duration, such as 3:PT30S, or off';
  const attempts = Number(match[1]);
  const seconds = durationSeconds(match[2]!);
  if (attempts < 1 || attempts > 10) return 'attempts must be between 1 and 10';
  if (seconds === null || seconds < 1 || seconds * 1000 > MAX_RETRY_DELAY_MS)
    return 'the delay must be an ISO 8601 duration from PT1S to PT6H';
  return { attempts, delayMs: seconds * 1000 };
}
