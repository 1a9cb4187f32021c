// syncProgress: replays a run's stored events after a given seq, then follows
// it live, and completes with its final event.
//
// Every follower of one run in this process shares one RunFeed: one pub/sub
// subscription, the run's recent events in memory, one gap fill and one
// quiet-stream poll against the database. A thousand followers of a run cost
// the database what one does. A follower behind the feed's window (a replay
// from an early afterSeq, a client slower than the run) pages through the
// stored events on its own until it catches up.
//
// Events are stored before they are published (progress.ts), so the database
// is the truth: a live event that skips a seq makes the feed read the missing
// ones, and a feed that hears nothing for a while reads whatever it missed
// (a dropped message, a Redis restart, a final event never heard live).
import { Repeater } from '@repeaterjs/repeater';
import { loadEvents, reviveEvent } from './events.ts';
import type { Db } from '../db/index.ts';
import type { Logger } from '../logger.ts';
import type { AppPubSub } from '../pubsub.ts';
import { isTerminal, type ProgressEvent } from './types.ts';

const POLL_MS = 2_000;
/** Recent events a feed keeps in memory; older ones are read from the database. */
const WINDOW = 1_000;
/** Stored events read per query when catching up. */
const PAGE = 500;

class RunFeed {
  /** Contiguous recent events, the last one's seq being `last`. */
  private window: ProgressEvent[] = [];
  /** Every event up to this seq has been stored; the feed has heard of none after it. */
  last = 0;
  /** The run's final event is in (or the run had ended when the feed opened). */
  ended = false;
  disposed = false;
  private followers = 0;
  private heardAt = Date.now();
  private busy: Promise<void> = Promise.resolve();
  private wake = signal();
  private live: AsyncIterator<ProgressEvent> | undefined;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly feeds: ProgressFeeds,
    readonly runId: number,
  ) {
    this.timer = setInterval(() => this.tick(), POLL_MS);
    this.timer.unref();
  }

  /** seq just before the window's first event. */
  get base(): number {
    return this.last - this.window.length;
  }

  /** Events after `seq` held in memory; undefined when `seq` is behind the window. */
  after(seq: number): ProgressEvent[] | undefined {
    if (seq < this.base) return undefined;
    return seq >= this.last ? [] : this.window.slice(seq - this.base);
  }

  /** Settles the next time the feed moves on (an event, its end, its disposal). */
  changed(): Promise<void> {
    return this.wake.promise;
  }

  join(): void {
    this.followers++;
  }

  leave(): void {
    if (--this.followers <= 0) this.dispose();
  }

  get followerCount(): number {
    return this.followers;
  }

  /** Opens the live subscription first, then reads where the run stands, so nothing falls between. */
  async open(): Promise<boolean> {
    const early: ProgressEvent[] = [];
    let ready = false;
    const live = this.feeds.services.pubsub.subscribe('sync:progress', this.runId);
    this.live = live;
    void (async () => {
      for await (const raw of live) {
        this.heardAt = Date.now();
        const event = reviveEvent(raw);
        if (ready) this.offer(event);
        else early.push(event);
      }
    })().catch((error) =>
      this.feeds.services.logger.warn({ err: error, runId: this.runId }, 'progress feed lost its live subscription; polling the database'),
    );
    try {
      const run = await this.feeds.services.db.syncRun.findUnique({ where: { id: this.runId }, select: { status: true, lastSeq: true } });
      if (!run) {
        this.dispose();
        return false;
      }
      // The run's latest stored events, so most followers replay from memory.
      this.last = Math.max(0, run.lastSeq - PAGE);
      await this.fill();
      ready = true;
      if (isTerminal(run.status)) this.end();
    } catch (error) {
      this.dispose();
      throw error;
    }
    for (const event of early) this.offer(event);
    return true;
  }

  /** A live event: appended in order; a gap before it is read from the database first. */
  private offer(event: ProgressEvent): void {
    this.busy = this.busy.then(async () => {
      if (this.ended || event.seq <= this.last) return;
      if (event.seq > this.last + 1) {
        try {
          await this.fill(event.seq);
        } catch (error) {
          // The quiet-stream poll reads the gap and this event later.
          this.feeds.services.logger.warn({ err: error, runId: this.runId }, 'progress feed could not read missed events');
          return;
        }
      }
      // What the database does not hold before it was never stored, so never comes.
      if (event.seq > this.last) this.append(event);
    });
  }

  /** Appends stored events after `last` (and before `beforeSeq`). */
  private async fill(beforeSeq?: number): Promise<void> {
    for (;;) {
      const page = await loadEvents(this.feeds.services.db, this.runId, this.last, beforeSeq, PAGE);
      for (const event of page) if (!this.ended) this.append(event);
      if (page.length < PAGE || this.ended) return;
    }
  }

  private append(event: ProgressEvent): void {
    this.window.push(event);
    this.last = event.seq;
    if (this.window.length > 2 * WINDOW) this.window = this.window.slice(-WINDOW);
    if (isTerminal(event.status)) this.end();
    this.notify();
  }

  private end(): void {
    this.ended = true;
    void this.live?.return?.();
    this.live = undefined;
    this.notify();
  }

  private notify(): void {
    const woken = this.wake;
    this.wake = signal();
    woken.resolve();
  }

  private tick(): void {
    if (this.followers <= 0) {
      this.dispose(); // opened for a subscription that never started
      return;
    }
    if (this.ended || Date.now() - this.heardAt < POLL_MS) return;
    this.heardAt = Date.now();
    this.busy = this.busy.then(() =>
      this.fill().catch((error) =>
        this.feeds.services.logger.warn({ err: error, runId: this.runId }, 'progress feed could not poll stored events'),
      ),
    );
  }

  private dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    clearInterval(this.timer);
    void this.live?.return?.();
    this.live = undefined;
    this.feeds.forget(this);
    this.notify();
  }
}

function signal(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/** The feeds of one process's runs (one per run followed here). */
export class ProgressFeeds {
  private readonly feeds = new Map<number, RunFeed>();
  private readonly opening = new Map<number, Promise<RunFeed | null>>();

  constructor(readonly services: { db: Db; pubsub: AppPubSub; logger: Logger }) {}

  /** The shared feed of a run, opened if needed; null when the run does not exist. */
  open(runId: number): Promise<RunFeed | null> {
    const feed = this.feeds.get(runId);
    if (feed && !feed.disposed) return Promise.resolve(feed);
    let pending = this.opening.get(runId);
    if (!pending) {
      const fresh = new RunFeed(this, runId);
      pending = fresh
        .open()
        .then((found) => {
          if (!found) return null;
          this.feeds.set(runId, fresh);
          return fresh;
        })
        .finally(() => this.opening.delete(runId));
      this.opening.set(runId, pending);
    }
    return pending;
  }

  forget(feed: RunFeed): void {
    if (this.feeds.get(feed.runId) === feed) this.feeds.delete(feed.runId);
  }

  /** How many syncProgress streams this process is serving (all runs). */
  activeFollowers(): number {
    let count = 0;
    for (const feed of this.feeds.values()) count += feed.followerCount;
    return count;
  }

  /**
   * A run's events after `afterSeq`, stored then live, ending with its final
   * event. Given the run's feed as opened when the subscription was checked, or
   * its id (a run that does not exist gives an empty stream).
   */
  follow(run: RunFeed | number, afterSeq = 0): AsyncIterable<ProgressEvent> {
    return followRun(this, run, afterSeq);
  }
}

export type { RunFeed };

function followRun(feeds: ProgressFeeds, run: RunFeed | number, afterSeq: number): AsyncIterable<ProgressEvent> {
  return new Repeater<ProgressEvent>(async (push, stop) => {
    let stopped = false;
    let wake: (() => void) | undefined;
    void stop.then(() => {
      stopped = true;
      wake?.();
    });
    const runId = typeof run === 'number' ? run : run.runId;
    const feed = typeof run === 'number' || run.disposed ? await feeds.open(runId) : run;
    if (!feed) return stop();
    feed.join();
    try {
      let last = afterSeq;
      while (!stopped) {
        const changed = feed.changed();
        let batch = feed.after(last);
        if (batch === undefined) {
          // Behind the window: a page of stored events.
          batch = await loadEvents(feeds.services.db, feed.runId, last, feed.base + 1, PAGE);
          if (batch.length === 0) {
            // Nothing stored there (a deleted run's events): on to the window.
            last = feed.base;
            continue;
          }
        }
        for (const event of batch) {
          if (stopped) break;
          await push(event);
          last = event.seq;
          if (isTerminal(event.status)) stopped = true;
        }
        if (stopped || batch.length > 0) continue;
        if ((feed.ended && last >= feed.last) || feed.disposed) break;
        // Not Promise.race with `stop`: that would leave one reaction on it per wait.
        await new Promise<void>((resolve) => {
          wake = resolve;
          void changed.then(resolve);
        });
      }
    } finally {
      feed.leave();
      stop();
    }
  });
}
