// Clients wired for tests: fast retries, a generous limiter, logs captured.
import { createServer } from 'node:net';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { BroadstreetClient, createRateLimiter, type BroadstreetClientOptions } from '../../src/broadstreet/index.ts';
import type { Logger } from '../../src/logger.ts';

export const TEST_TOKEN = 'tok-3f9a1c77e2b54d0e8a6f';

export interface LogCapture {
  logger: Logger;
  text(): string;
}

export function captureLogs(): LogCapture {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { logger: pino({ level: 'trace' }, stream), text: () => lines.join('') };
}

/**
 * For msw: the client sends with undici's request API by default, which msw
 * does not see; this sends through the global fetch msw patches (looked up
 * per call, as msw patches it on listen()).
 */
export const overFetch = { fetch: ((input, init) => fetch(input, init)) as typeof fetch };

export function testClient(baseUrl: string, overrides: Partial<BroadstreetClientOptions> = {}): BroadstreetClient {
  return new BroadstreetClient({
    baseUrl,
    token: TEST_TOKEN,
    limiter: createRateLimiter({ rps: 1000 }),
    retry: { baseDelayMs: 1, maxDelayMs: 5 },
    logger: pino({ level: 'silent' }),
    ...overrides,
  });
}

/** The rejection of a promise that must reject. */
export async function rejectionOf(promise: Promise<unknown>): Promise<any> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail, but it succeeded');
}

/** A port nothing listens on. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
