// How long Broadstreet takes to answer, and how many calls must be in flight
// to keep the rate limit busy at that pace (issue 18: 4 calls in flight cannot
// fill 10 requests/s once a round trip takes 400 ms). Little's law: calls in
// flight = requests per second × seconds per round trip.

/** Round trips shorter than this never need more calls in flight than configured: the API is near (tests, the emulator). */
export const NEAR_MS = 100;
/** Headroom over Little's law: answers vary, and the limiter should never wait for one. */
const HEADROOM = 1.25;
/** Weight of the newest round trip in the running average. */
const ALPHA = 0.2;

/** A running average (EWMA) of the round trips of answered calls. */
export class RoundTrips {
  private averageMs: number | null = null;

  record(ms: number): void {
    this.averageMs = this.averageMs === null ? ms : this.averageMs + ALPHA * (ms - this.averageMs);
  }

  get typicalMs(): number | null {
    return this.averageMs;
  }
}

/**
 * Calls in flight that keep `rps` busy at round trips of `roundTripMs`, or
 * null when that needs no more than anyone would configure (no limit, no
 * answer yet, or a near API).
 */
export function callsToFill(rps: number | undefined, roundTripMs: number | null): number | null {
  if (!rps || roundTripMs === null || roundTripMs < NEAR_MS) return null;
  return Math.ceil(rps * (roundTripMs / 1000) * HEADROOM);
}
