// Everything a process needs to execute runs: one Broadstreet client behind
// one rate limiter, and the executor. Built once at start-up.
import { BroadstreetClient, createRateLimiter, type RateLimiter } from '../broadstreet/index.ts';
import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import { setExecutor, type RunExecutor } from './executor.ts';
import { LocalExecutor } from './local-executor.ts';

export interface SyncRuntime {
  client: BroadstreetClient;
  executor: RunExecutor;
  stop(): Promise<void>;
}

export async function startSyncRuntime(config: Config, logger: Logger): Promise<SyncRuntime> {
  const limiter: RateLimiter = createRateLimiter({ rps: config.BROADSTREET_RATE_LIMIT_RPS, redisUrl: config.REDIS_URL });
  const client = new BroadstreetClient({
    baseUrl: config.BROADSTREET_API_BASE_URL,
    token: config.BROADSTREET_API_TOKEN ?? '',
    limiter,
    timeoutMs: config.BROADSTREET_TIMEOUT_MS,
    maxAttempts: config.BROADSTREET_MAX_ATTEMPTS,
    retry: { baseDelayMs: config.BROADSTREET_RETRY_BASE_MS, maxDelayMs: 30_000 },
    logger: logger.child({ component: 'broadstreet' }),
  });
  const executor = new LocalExecutor(client, config.SYNC_CONCURRENCY);
  setExecutor(executor);
  await executor.start();
  return {
    client,
    executor,
    async stop() {
      await executor.stop();
      setExecutor(undefined);
      await limiter.close?.();
    },
  };
}
