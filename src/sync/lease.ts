// Fencing a run's remote writes by its lease. Broadstreet cannot check a
// fencing token, so the owner checks itself: its lease runs leaseMs from the
// start of its last successful renewal (measured on its own clock, so a
// renewal that took long only shortens it), and a write is sent only while
// more than one request timeout of it is left: checked when the attempt
// begins and again as its bytes are written to the socket (http.ts), so a
// pause in between cannot carry a write past the check. A write sent then has ended,
// answered or abandoned, before the lease can expire. A process paused past
// that point (SIGSTOP, a stalled event loop, a partition) wakes to find its
// lease too short and sends nothing.
//
// The other side: a new owner taking a run over from a live-looking owner does
// not act on its intents until that owner's lease has been expired for longer
// than the request timeout, so the last write the old owner could have sent has
// ended too.
import { RunInterrupted } from './context.ts';
import type { Predecessor } from './run-store.ts';

export interface LeaseTerms {
  leaseMs: number;
  /** The Broadstreet request timeout: how long a write may be in flight. */
  requestTimeoutMs: number;
}

export class LeaseTooShortError extends RunInterrupted {
  override name = 'LeaseTooShortError';
}

export class Lease {
  private renewedAt: number;
  lost = false;

  constructor(
    private readonly terms: LeaseTerms,
    private readonly now: () => number,
    /** When the claim that gave this lease began. */
    claimedAt: number,
  ) {
    this.renewedAt = claimedAt;
  }

  /** A renewal that began at `startedAt` succeeded. */
  renewed(startedAt: number): void {
    if (startedAt > this.renewedAt) this.renewedAt = startedAt;
  }

  remainingMs(): number {
    return this.renewedAt + this.terms.leaseMs - this.now();
  }

  /** Throws (the write stays unsent) unless more than one request timeout of the lease is left. */
  checkWrite(endpoint: string): void {
    if (this.lost) throw new LeaseTooShortError(`another worker took this run over; ${endpoint} not sent`, { lostOwnership: true });
    const left = this.remainingMs();
    if (left > this.terms.requestTimeoutMs) return;
    throw new LeaseTooShortError(
      `the run's lease has ${Math.max(0, Math.round(left))} ms left, not more than one request timeout ` +
        `(${this.terms.requestTimeoutMs} ms); ${endpoint} not sent`,
      { lostOwnership: true },
    );
  }
}

/**
 * How long a new owner waits before acting on the predecessor's intents:
 * until the predecessor's lease (from its last heartbeat) has been expired for
 * longer than one request timeout. Nothing when it is known to be gone.
 */
export function predecessorWaitMs(predecessor: Predecessor | null, terms: LeaseTerms, now: number): number {
  if (!predecessor || predecessor.gone || !predecessor.owner || !predecessor.heartbeatAt) return 0;
  const safeAt = predecessor.heartbeatAt.getTime() + terms.leaseMs + terms.requestTimeoutMs;
  return Math.max(0, safeAt - now + 1);
}
