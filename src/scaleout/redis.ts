// Redis connections for scale-out. Every connection logs its errors (an
// ioredis client without an error listener prints and can crash), and
// reconnects on its own: a Redis restart is an outage, not the end.
import type { EventEmitter } from 'node:events';
import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from '../logger.ts';

/** What this process's connections are called in Redis's CLIENT LIST: role and process id. */
export const redisClientName = (role: string) => `broadsync:${role}:${process.pid}`;

export function connectRedis(url: string, role: string, logger: Logger, options: RedisOptions = {}): Redis {
  const client = new Redis(url, {
    lazyConnect: false,
    connectionName: redisClientName(role),
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

/**
 * Closes a BullMQ Queue or Worker and then the connection it was handed:
 * BullMQ never closes a connection it did not make, which would otherwise go
 * on reconnecting (and, to a Redis that is away, failing) after a stop.
 *
 * BullMQ's close() also drops every listener of its connection wrappers, while
 * a connection that never became ready still has its start-up pending: when
 * that start-up then fails, BullMQ emits 'error' with nobody listening, which
 * surfaces as an unhandled rejection (ECONNREFUSED). Each wrapper keeps one
 * silent listener past close() so that a late failure stays harmless.
 */
export async function closeBullMQ(target: { close(): Promise<void> }, connection: Redis): Promise<void> {
  const internals = target as unknown as { connection?: EventEmitter; blockingConnection?: EventEmitter };
  for (const wrapper of [internals.connection, internals.blockingConnection]) if (wrapper) keepOneErrorListener(wrapper);
  try {
    await target.close();
  } finally {
    connection.disconnect();
  }
}

function keepOneErrorListener(emitter: EventEmitter): void {
  const removeAll = emitter.removeAllListeners.bind(emitter);
  emitter.removeAllListeners = (event?: string | symbol) => {
    removeAll(event);
    if (event === undefined || event === 'error') emitter.on('error', () => {});
    return emitter;
  };
}
