// The access token never appears in an error (message, stack, String, JSON)
// or a log line, whatever class of failure is provoked.
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BroadstreetClient, createRateLimiter, type BroadstreetError } from '../../src/broadstreet/index.ts';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.ts';
import { captureLogs, closedPort, overFetch, rejectionOf } from './helpers.ts';

const SECRET = 'sekrit-7d1e0c4b9a2f';
const WRONG = 'wrong-5c0ffee1d2e3';
let emu: RunningEmulator;
beforeAll(async () => {
  emu = await startEmulator({ size: 'tiny', token: SECRET });
});
afterAll(() => emu.stop());

function leaks(error: BroadstreetError, token: string): string[] {
  const views = { message: error.message, stack: String(error.stack), string: String(error), json: JSON.stringify(error) };
  return Object.entries(views)
    .filter(([, text]) => text.includes(token))
    .map(([view]) => view);
}

describe('token secrecy', () => {
  it('holds for every error class, over a socket', async () => {
    const closed = await closedPort();
    const logs = captureLogs();
    const client = (token = SECRET, extra = {}) =>
      new BroadstreetClient({
        baseUrl: emu.url,
        token,
        limiter: createRateLimiter({ rps: 1000 }),
        logger: logs.logger,
        maxAttempts: 2,
        retry: { baseDelayMs: 1, maxDelayMs: 2 },
        ...extra,
      });
    const failures: [string, Promise<any>, string][] = [];
    const provoke = (label: string, call: () => Promise<unknown>, token = SECRET) => failures.push([label, rejectionOf(call()), token]);

    provoke('AUTH', () => client(WRONG).listNetworks(), WRONG);
    provoke('NOT_FOUND', () => client().getZone(1));
    provoke('VALIDATION', () => client().createZone(85, { name: '' }));
    await Promise.all(failures.map((f) => f[1]));
    emu.faults.script({ kind: '429', retryAfter: 0, count: 2, endpoint: 'GET /zones' });
    provoke('RATE_LIMIT', () => client().listZones(85));
    await failures.at(-1)![1];
    for (const kind of ['reset', 'html', 'malformed', '5xx', 'created-then-dropped'] as const) {
      emu.faults.script({ kind, count: 2, endpoint: 'GET /networks' });
      provoke(`NETWORK ${kind}`, () => client().listNetworks());
      await failures.at(-1)![1];
    }
    emu.faults.script({ kind: 'latency', latencyMs: 200, count: 2, endpoint: 'GET /networks' });
    provoke('NETWORK timeout', () => client(SECRET, { timeoutMs: 50 }).listNetworks());
    provoke('NETWORK refused', () =>
      new BroadstreetClient({
        baseUrl: `http://127.0.0.1:${closed}/api/1`,
        token: SECRET,
        limiter: createRateLimiter({ rps: 1000 }),
        logger: logs.logger,
        maxAttempts: 1,
      }).listNetworks(),
    );

    const codes = new Set<string>();
    for (const [label, promise, token] of failures) {
      const error = await promise;
      codes.add(error.code);
      expect(leaks(error, token), label).toEqual([]);
      expect(error.endpoint, label).not.toContain('?');
    }
    expect(codes).toEqual(new Set(['AUTH', 'NOT_FOUND', 'VALIDATION', 'RATE_LIMIT', 'NETWORK']));
    expect(logs.text()).toContain('Broadstreet call failed');
    expect(logs.text()).not.toContain(SECRET);
    expect(logs.text()).not.toContain(WRONG);
  });

  it('scrubs the token from text the server sends back', async () => {
    const base = 'https://bs.test/api/1';
    const server = setupServer(
      http.get(`${base}/networks`, ({ request }) => {
        const token = new URL(request.url).searchParams.get('access_token');
        return HttpResponse.json({ message: `token ${token} is not valid` }, { status: 403 });
      }),
      http.post(`${base}/zones`, () => HttpResponse.json({ errors: { name: `${SECRET} is taken` } }, { status: 422 })),
    );
    server.listen({ onUnhandledRequest: 'error' });
    try {
      const logs = captureLogs();
      const client = new BroadstreetClient({
        baseUrl: base,
        token: SECRET,
        limiter: createRateLimiter({ rps: 1000 }),
        logger: logs.logger,
        ...overFetch,
      });
      const auth = await rejectionOf(client.listNetworks());
      expect(auth.message).toBe('GET /networks: not allowed for this token (403): token [redacted] is not valid');
      const validation = await rejectionOf(client.createZone(85, { name: 'x' }));
      expect(validation.fieldErrors).toEqual({ name: '[redacted] is taken' });
      for (const error of [auth, validation]) expect(leaks(error, SECRET)).toEqual([]);
      expect(logs.text()).not.toContain(SECRET);
    } finally {
      server.close();
    }
  });
});
