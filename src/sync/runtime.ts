// Everything a process needs to execute runs: one Broadstreet client behind
// one rate limiter, the pub/sub for progress, and the executor — embedded, or
// a durable queue when REDIS_URL is set. Built once at start-up.
import { broadstreetFromConfig, MissingTokenError, type Broadstreet } from '../broadstreet/index.ts';
import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import { setPubSub } from '../pubsub.ts';
import { QueueExecutor } from '../scaleout/queue-executor.ts';
import { createRedisPubSub } from '../scaleout/redis-pubsub.ts';
import { setExecutor, type RunExecutor } from './executor.ts';
import { LocalExecutor } from './local-executor.ts';

export interface SyncRuntime {
  broadstreet: Broadstreet | null;
  executor: RunExecutor;
  stop(): Promise<void>;
}

export async function startSyncRuntime(config: Config, logger: Logger): Promise<SyncRuntime> {
  const broadstreet = connectBroadstreet(config, logger);
  const client = broadstreet?.client ?? null;
  const redisPubSub = config.REDIS_URL ? createRedisPubSub(config.REDIS_URL, logger) : null;
  if (redisPubSub) setPubSub(redisPubSub.pubsub);
  const executor: RunExecutor = config.REDIS_URL
    ? new QueueExecutor({
        redisUrl: config.REDIS_URL,
        client,
        work: config.SYNC_WORKER,
        runsPerWorker: config.SYNC_RUNS_PER_WORKER,
        concurrency: config.SYNC_CONCURRENCY,
        logger,
      })
    : new LocalExecutor(client, config.SYNC_CONCURRENCY);
  setExecutor(executor);
  await executor.start();
  return {
    broadstreet,
    executor,
    async stop() {
      await executor.stop();
      setExecutor(undefined);
      await broadstreet?.close();
      await redisPubSub?.close();
    },
  };
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
