// Counts events in the last second: backs both the emulator's rate limit and
// the "busiest one-second window" statistic.

export class SlidingWindow {
  private times: number[] = [];
  private head = 0;

  constructor(private readonly widthMs = 1000) {}

  /** Events in (now - width, now], after dropping older ones. */
  count(now: number): number {
    while (this.head < this.times.length && this.times[this.head]! <= now - this.widthMs) this.head++;
    if (this.head > 1024 && this.head * 2 > this.times.length) {
      this.times = this.times.slice(this.head);
      this.head = 0;
    }
    return this.times.length - this.head;
  }

  add(now: number): number {
    this.times.push(now);
    return this.count(now);
  }

  /** When the oldest event in the window leaves it. */
  oldestExpiresAt(now: number): number {
    this.count(now);
    return (this.times[this.head] ?? now) + this.widthMs;
  }

  clear(): void {
    this.times = [];
    this.head = 0;
  }
}

/** A monotonic clock in milliseconds with sub-millisecond precision. */
export const monotonicNow = (): number => performance.now();
