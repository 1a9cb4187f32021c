// Stopping while Redis misbehaves: a BullMQ Queue or Worker closed before its
// connection ever became ready leaves no unhandled rejection behind (BullMQ
// drops its listeners on close while the connection's start-up is pending),
// and the connection it was handed is closed too.
import net from 'node:net';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeBullMQ } from '../../src/scaleout/redis.ts';

describe('closeBullMQ', () => {
  let server: net.Server;
  let port: number;
  let accepted = 0;
  beforeAll(async () => {
    // A "Redis" that accepts and resets every connection after 30 ms: each start-up fails with ECONNRESET.
    server = net.createServer((socket) => {
      accepted++;
      setTimeout(() => socket.resetAndDestroy(), 30).unref();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as net.AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('closes Queues and Workers whose connection never became ready without an unhandled rejection', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    const clients: Redis[] = [];
    try {
      for (let i = 0; i < 20; i++) {
        const client = new Redis(port, '127.0.0.1', { maxRetriesPerRequest: null, retryStrategy: () => 5 });
        client.on('error', () => {});
        clients.push(client);
        let target: Queue | Worker;
        if (i % 2) {
          const queue = new Queue('close-test', { connection: client });
          queue.on('error', () => {});
          target = queue;
        } else {
          const worker = new Worker('close-test', async () => {}, { connection: client });
          worker.on('error', () => {});
          target = worker;
        }
        // Close at different moments of the connect / reset cycle.
        await new Promise((resolve) => setTimeout(resolve, 20 + ((i * 7) % 60)));
        await closeBullMQ(target, client);
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
      const acceptedAfterClose = accepted;
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect(unhandled).toEqual([]);
      // The connections handed to BullMQ are closed, not left reconnecting (they would every 5 ms).
      expect(accepted).toBe(acceptedAfterClose);
    } finally {
      process.off('unhandledRejection', onUnhandled);
      for (const client of clients) client.disconnect();
    }
  });
});
