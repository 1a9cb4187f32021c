// The one client and limiter of a process, built from the configuration:
// the limiter shares its budget through Redis when REDIS_URL is set.
import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import { CircuitBreaker, RedisBreakerStore } from './breaker.ts';
import { BroadstreetClient } from './client.ts';
import { createRateLimiter, type RateLimiter } from './limiter.ts';

export interface Broadstreet {
  client: BroadstreetClient;
  limiter: RateLimiter;
  breaker: CircuitBreaker;
  close(): Promise<void>;
}

export class MissingTokenError extends Error {
  override name = 'MissingTokenError';
  constructor() {
    super('BROADSTREET_API_TOKEN is not set: Broadstreet cannot be called');
  }
}

export function broadstreetFromConfig(config: Config, options: { logger?: Logger; limiter?: RateLimiter } = {}): Broadstreet {
  if (!config.BROADSTREET_API_TOKEN) throw new MissingTokenError();
  const limiter =
    options.limiter ??
    createRateLimiter({
      rps: config.BROADSTREET_RATE_LIMIT_RPS,
      margin: config.BROADSTREET_RATE_LIMIT_MARGIN,
      ...(config.REDIS_URL ? { redisUrl: config.REDIS_URL } : {}),
    });
  const breaker = new CircuitBreaker({
    threshold: config.BROADSTREET_BREAKER_THRESHOLD,
    probeIntervalMs: config.BROADSTREET_PROBE_INTERVAL_MS,
    outageBudgetMs: config.BROADSTREET_OUTAGE_BUDGET_MS,
    ...(config.REDIS_URL
      ? { store: new RedisBreakerStore(config.REDIS_URL, config.BROADSTREET_OUTAGE_BUDGET_MS + 2 * config.BROADSTREET_PROBE_INTERVAL_MS) }
      : {}),
  });
  const client = new BroadstreetClient({
    baseUrl: config.BROADSTREET_API_BASE_URL,
    token: config.BROADSTREET_API_TOKEN,
    limiter,
    timeoutMs: config.BROADSTREET_TIMEOUT_MS,
    ...(config.BROADSTREET_MAX_ATTEMPTS !== undefined ? { maxAttempts: config.BROADSTREET_MAX_ATTEMPTS } : {}),
    retry: { baseDelayMs: config.BROADSTREET_RETRY_BASE_MS, budgetMs: config.BROADSTREET_RETRY_BUDGET_MS },
    breaker,
    ...(options.logger ? { logger: options.logger } : {}),
  });
  return {
    client,
    limiter,
    breaker,
    close: async () => {
      await limiter.close?.();
      await breaker.dispose();
    },
  };
}
