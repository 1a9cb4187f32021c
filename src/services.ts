// createServices(config): everything a process works with, built once by
// main, worker and demo (and by tests over a test database) and passed in —
// on the GraphQL context and on every run's context. The database is opened
// (and migrated), the pub/sub is in-memory or on Redis, the run executor is
// embedded or the scale-out queue, and one Broadstreet client sits behind one
// rate limiter.
import { broadstreetFromConfig, MissingTokenError, type Broadstreet } from './broadstreet/index.ts';
import type { Config } from './config.ts';
import { closeDatabase, openDatabase, type Db } from './db/index.ts';
import { createLogger, type Logger } from './logger.ts';
import { createMemoryPubSub, type AppPubSub } from './pubsub.ts';
import { QueueExecutor } from './scaleout/queue-executor.ts';
import { createRedisPubSub } from './scaleout/redis-pubsub.ts';
import { systemClock, type Clock } from './sync/clock.ts';
import { LocalExecutor } from './sync/local-executor.ts';
import { ProgressFeeds } from './sync/progress-stream.ts';
import { RunStore } from './sync/run-store.ts';
import type { Services } from './sync/services.ts';

export interface AppServices extends Services {
  config: Config;
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
    concurrency: config.SYNC_CONCURRENCY,
    feeds: new ProgressFeeds({ db, pubsub, logger }),
  } as AppServices;
  services.runs = new RunStore({ db, clock: services.clock });
  services.executor = config.REDIS_URL
    ? new QueueExecutor(services, { redisUrl: config.REDIS_URL, work: config.SYNC_WORKER, runsPerWorker: config.SYNC_RUNS_PER_WORKER })
    : new LocalExecutor(services);
  services.start = () => services.executor.start();
  services.close = async () => {
    await services.executor.stop();
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
