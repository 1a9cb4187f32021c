// createServices(config): everything a process works with, built once by
// main, worker and demo (and by tests over a test database) and passed in —
// on the GraphQL context and on every run's context. The database is opened
// (and migrated), the pub/sub is in-memory or on Redis, the run executor is
// embedded or the scale-out queue, and one Broadstreet client sits behind one
// rate limiter.
import { broadstreetFromConfig, MissingTokenError, type Broadstreet } from './broadstreet/index.ts';
import { DEFAULT_CONCURRENCY, type Config } from './config.ts';
import { closeDatabase, openDatabase, type Db } from './db/index.ts';
import { createLogger, type Logger } from './logger.ts';
import { createMemoryPubSub, type AppPubSub } from './pubsub.ts';
import { QueueExecutor } from './scaleout/queue-executor.ts';
import { QueueScheduler } from './scaleout/queue-scheduler.ts';
import { createRedisPubSub } from './scaleout/redis-pubsub.ts';
import { systemClock, type Clock } from './sync/clock.ts';
import { importOnEmpty } from './sync/first-start.ts';
import { RunLifecycle } from './sync/lifecycle.ts';
import { LocalExecutor } from './sync/local-executor.ts';
import { LocalScheduler } from './sync/schedules/local-scheduler.ts';
import { ProgressFeeds } from './sync/progress-stream.ts';
import { RunStore } from './sync/run-store.ts';
import type { ScheduleTimer, Services } from './sync/services.ts';

export interface AppServices extends Services {
  config: Config;
  lifecycle: RunLifecycle;
  scheduler: ScheduleTimer;
  /** The first-start import (SYNC_IMPORT_ON_EMPTY), while it runs; tests await it. */
  firstStart: Promise<unknown> | null;
  /** Settles when the first network's first-start import ended (or there was none): what the demo waits for. */
  firstNetworkImported: Promise<void> | null;
  /** Starts executing runs, resuming those a dead process left unfinished. */
  start(): Promise<void>;
  /** Stops the executor (runs stay resumable), then closes every connection. */
  close(): Promise<void>;
}

/** Replacements a test (or the demo) may pass; everything else comes from the config. */
export interface ServiceOverrides {
  logger?: Logger;
  pubsub?: AppPubSub;
  clock?: Clock;
}

export async function createServices(config: Config, overrides: ServiceOverrides = {}): Promise<AppServices> {
  const logger = overrides.logger ?? createLogger(config.LOG_LEVEL);
  const db = await openDatabase(config.DATABASE_URL);
  try {
    return assemble(config, overrides, logger, db);
  } catch (error) {
    await closeDatabase(db);
    throw error;
  }
}

function assemble(config: Config, overrides: ServiceOverrides, logger: Logger, db: Db): AppServices {
  const redisPubSub = !overrides.pubsub && config.REDIS_URL ? createRedisPubSub(config.REDIS_URL, logger) : null;
  const pubsub = overrides.pubsub ?? redisPubSub?.pubsub ?? createMemoryPubSub();
  const broadstreet = connectBroadstreet(config, logger);
  const services = {
    config,
    db,
    pubsub,
    broadstreet: broadstreet?.client ?? null,
    logger,
    clock: overrides.clock ?? systemClock,
    concurrency: config.SYNC_CONCURRENCY ?? DEFAULT_CONCURRENCY,
    adaptiveConcurrency: config.SYNC_CONCURRENCY === undefined,
    requestTimeoutMs: config.BROADSTREET_TIMEOUT_MS,
    feeds: new ProgressFeeds({ db, pubsub, logger }),
  } as AppServices;
  services.runs = new RunStore({ db, clock: services.clock, leaseMs: config.SYNC_LEASE_MS });
  services.executor = config.REDIS_URL
    ? new QueueExecutor(services, { redisUrl: config.REDIS_URL, work: config.SYNC_WORKER, runsPerWorker: config.SYNC_RUNS_PER_WORKER })
    : new LocalExecutor(services);
  services.lifecycle = new RunLifecycle(services, {
    autoRetry: config.SYNC_AUTO_RETRY ?? null,
    webhook:
      config.SYNC_WEBHOOK_URL && config.SYNC_WEBHOOK_SECRET ? { url: config.SYNC_WEBHOOK_URL, secret: config.SYNC_WEBHOOK_SECRET } : null,
  });
  services.scheduler = config.REDIS_URL
    ? new QueueScheduler(services, { redisUrl: config.REDIS_URL, work: config.SYNC_WORKER })
    : new LocalScheduler(services);
  services.firstStart = null;
  services.firstNetworkImported = null;
  const stopping = new AbortController();
  services.start = async () => {
    await services.executor.start();
    await services.scheduler.start();
    if (config.SYNC_IMPORT_ON_EMPTY) {
      let firstImported = () => {};
      services.firstNetworkImported = new Promise<void>((resolve) => (firstImported = resolve));
      services.firstStart = importOnEmpty(services, stopping.signal, () => firstImported())
        .catch((error: unknown) => logger.error({ err: error }, 'SYNC_IMPORT_ON_EMPTY: the first-start import failed'))
        .finally(() => firstImported());
    }
  };
  services.close = async () => {
    stopping.abort();
    await services.firstStart;
    await services.scheduler.stop();
    await services.executor.stop();
    await services.lifecycle.stop();
    await broadstreet?.close();
    await redisPubSub?.close();
    await closeDatabase(db);
  };
  return services;
}

/** The client, or null without a token: the server still serves, and runs fail saying why. */
function connectBroadstreet(config: Config, logger: Logger): Broadstreet | null {
  try {
    return broadstreetFromConfig(config, { logger });
  } catch (error) {
    if (!(error instanceof MissingTokenError)) throw error;
    logger.warn(`${error.message}; sync runs fail until it is set (npm run demo sets it for the emulator)`);
    return null;
  }
}
