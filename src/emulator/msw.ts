// msw handlers that answer from the emulator's own core (store, serialisers,
// faults), so unit tests of the client see exactly what the emulator would
// send over a socket. msw is a dev dependency: import this from tests only.
import { http, HttpResponse, type RequestHandler } from 'msw';
import type { EmulatorCore } from './core.ts';

export const BROADSTREET_BASE_URL = 'https://api.broadstreetads.com/api/1';

/** Handlers for every path below baseUrl (default: the real Broadstreet base). */
export function broadstreetHandlers(core: EmulatorCore, baseUrl = BROADSTREET_BASE_URL): RequestHandler[] {
  const basePath = new URL(baseUrl).pathname.replace(/\/+$/, '');
  return [
    http.all(`${baseUrl.replace(/\/+$/, '')}/*`, async ({ request }) => {
      const url = new URL(request.url);
      const outcome = await core.handle({
        method: request.method,
        path: url.pathname.slice(basePath.length),
        query: url.searchParams,
        contentType: request.headers.get('content-type') ?? '',
        body: new Uint8Array(await request.arrayBuffer()),
      });
      // msw's stand-in for a reset connection: fetch rejects with a TypeError.
      if (outcome.type === 'drop') return HttpResponse.error();
      return new HttpResponse(outcome.body === '' ? null : outcome.body, { status: outcome.status, headers: outcome.headers });
    }),
  ];
}
