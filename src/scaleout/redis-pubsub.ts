// Progress events over Redis, so a subscriber on one instance follows a run
// executing on another. A publish that fails while Redis is away is only
// logged: subscribers fill any gap in seq from the database.
import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import type { Redis } from 'ioredis';
import type { Logger } from '../logger.ts';
import { createEventTargetPubSub, type AppPubSub } from '../pubsub.ts';
import { connectRedis } from './redis.ts';

export interface RedisPubSub {
  pubsub: AppPubSub;
  close(): Promise<void>;
}

export function createRedisPubSub(url: string, logger: Logger): RedisPubSub {
  const publisher = connectRedis(url, 'publish', logger);
  const subscriber = connectRedis(url, 'subscribe', logger);
  const publishClient = {
    publish: (channel: string, message: string) =>
      publisher.publish(channel, message).catch((error: Error) => {
        logger.warn(
          { channel, err: { message: error.message } },
          'progress event not published (subscribers will read it from the database)',
        );
        return 0;
      }),
  } as unknown as Redis;
  const eventTarget = createRedisEventTarget<never>({ publishClient, subscribeClient: subscriber });
  return {
    pubsub: createEventTargetPubSub(eventTarget),
    async close() {
      await Promise.allSettled([publisher.quit(), subscriber.quit()]);
    },
  };
}
