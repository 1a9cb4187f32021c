// What the sync core works with, passed in rather than reached for: built
// once per process by createServices() (src/services.ts), or by a test over
// a test database, an in-memory pub/sub and an msw-backed client.
import type { Db } from '../db/index.ts';
import type { Logger } from '../logger.ts';
import type { AppPubSub } from '../pubsub.ts';
import type { BroadstreetApi } from './broadstreet-port.ts';
import type { Clock } from './clock.ts';
import type { RunExecutor } from './executor.ts';
import type { ProgressFeeds } from './progress-stream.ts';
import type { RunStore } from './run-store.ts';

export interface Services {
  db: Db;
  pubsub: AppPubSub;
  /** The runs' stored state: status transitions, lease, events (run-store.ts). */
  runs: RunStore;
  /** Executes queued runs: in this process, or through the scale-out queue. */
  executor: RunExecutor;
  /** null when no token is configured: the server serves, and runs fail saying why. */
  broadstreet: BroadstreetApi | null;
  logger: Logger;
  clock: Clock;
  /** The syncProgress feeds of the runs followed in this process. */
  feeds: ProgressFeeds;
  /** Entities of one run in flight at once (the least, when adaptive). */
  concurrency: number;
  /** More in flight while Broadstreet's round trips are long, so the rate limit is never idle (SYNC_CONCURRENCY unset). */
  adaptiveConcurrency?: boolean;
  /** The Broadstreet request timeout, which fences a run's writes against its lease (lease.ts; default 30 s). */
  requestTimeoutMs?: number;
  /** What follows a run's start and end: the summary push, the webhook, automatic retries (absent in core unit tests). */
  lifecycle?: RunLifecycleHooks;
  /** Fires schedule ticks and due automatic retries: an in-process timer, or BullMQ job schedulers in scale-out. */
  scheduler?: ScheduleTimer;
}

/** What follows a run's start and end (src/sync/lifecycle.ts). */
export interface RunLifecycleHooks {
  started(run: { id: number; networkId: number }): void;
  ended(runId: number): Promise<void>;
}

/** Fires schedule ticks and due retries (src/sync/schedules/local-scheduler.ts, src/scaleout/queue-scheduler.ts). */
export interface ScheduleTimer {
  /** A schedule was made, changed or deleted (its id), or a retry was planned (no id): look again. */
  changed(scheduleId?: number): void;
  start(): Promise<void>;
  stop(): Promise<void>;
}
