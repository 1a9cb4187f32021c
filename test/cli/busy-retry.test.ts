// The CLI waits out a server busy with queries (503 SERVER_BUSY + Retry-After,
// from its operation cap) and sends a refused query again; a mutation is never
// sent twice.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { request } from '../../src/cli/api.ts';

let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

/** A stub GraphQL server answering `busy` requests with 503 + Retry-After: 0, then 200; returns its URL and request count. */
async function stub(busy: number) {
  const seen = { requests: 0 };
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      seen.requests++;
      if (seen.requests <= busy) {
        res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '0' });
        res.end(JSON.stringify({ errors: [{ message: 'The server is busy', extensions: { code: 'SERVER_BUSY' } }] }));
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ data: { ok: true } }));
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server!.address() as AddressInfo).port}/graphql`, seen };
}

describe('CLI request against a busy server', () => {
  it('retries a query after Retry-After', async () => {
    const { url, seen } = await stub(2);
    await expect(request({ url, token: undefined }, 'query Q { ok }')).resolves.toEqual({ ok: true });
    expect(seen.requests).toBe(3);
  });

  it('gives up after a few tries', async () => {
    const { url, seen } = await stub(100);
    await expect(request({ url, token: undefined }, '{ ok }')).rejects.toThrow(/The server is busy/);
    expect(seen.requests).toBe(4);
  });

  it('never sends a mutation twice', async () => {
    const { url, seen } = await stub(1);
    await expect(request({ url, token: undefined }, 'mutation M { ok }')).rejects.toThrow(/The server is busy/);
    expect(seen.requests).toBe(1);
  });
});
