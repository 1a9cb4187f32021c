// The embedded scheduler: one in-process timer, armed for the earliest due
// tick or automatic retry, re-armed whenever a schedule changes. Started by a
// process that executes runs; a start fires at once what fell due while no
// process ran (coalesced, see due.ts).
import { nextRetryDue, startDueRetries } from '../auto-retry.ts';
import type { ScheduleTimer, Services } from '../services.ts';
import { fireDueSchedules, nextScheduleDue } from './due.ts';

/** The timer never sleeps longer than this: a change made by another process is seen within it. */
const MAX_SLEEP_MS = 30_000;

export class LocalScheduler implements ScheduleTimer {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = true;

  constructor(private readonly services: Services) {}

  async start(): Promise<void> {
    this.stopped = false;
    await this.fire();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  changed(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    void this.arm();
  }

  /** Fires what is due now, then sleeps until the next due time. */
  private fire(): Promise<void> {
    clearTimeout(this.timer);
    this.running = (async () => {
      try {
        do {
          this.again = false;
          await fireDueSchedules(this.services);
          await startDueRetries(this.services);
        } while (this.again && !this.stopped);
      } catch (error) {
        this.services.logger.error({ err: error }, 'scheduler tick failed');
      } finally {
        this.running = null;
      }
      await this.arm();
    })();
    return this.running;
  }

  private async arm(): Promise<void> {
    if (this.stopped) return;
    let wait = MAX_SLEEP_MS;
    try {
      const [schedule, retry] = await Promise.all([nextScheduleDue(this.services), nextRetryDue(this.services)]);
      const now = this.services.clock.now().getTime();
      for (const due of [schedule, retry]) if (due) wait = Math.min(wait, Math.max(0, due.getTime() - now));
    } catch (error) {
      this.services.logger.warn({ err: { message: (error as Error).message } }, 'scheduler could not read what is due; trying again');
    }
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.fire(), wait);
    this.timer.unref();
  }
}
