// Redis connections for scale-out. Every connection logs its errors (an
// ioredis client without an error listener prints and can crash), and
// reconnects on its own: a Redis restart is an outage, not the end.
import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from '../logger.ts';

export function connectRedis(url: string, role: string, logger: Logger, options: RedisOptions = {}): Redis {
  const client = new Redis(url, {
    lazyConnect: false,
    retryStrategy: (times) => Math.min(times * 200, 2_000),
    ...options,
  });
  let down = false;
  client.on('error', (error: Error) => {
    if (!down) logger.warn({ role, err: { message: error.message } }, 'Redis connection failed; reconnecting');
    down = true;
  });
  client.on('ready', () => {
    if (down) logger.info({ role }, 'Redis connection restored');
    down = false;
  });
  return client;
}
