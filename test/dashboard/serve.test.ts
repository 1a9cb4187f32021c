// The dashboard's files over HTTP: the page at /, its modules under
// /dashboard/, graphql-ws's browser client with every chunk it imports, and
// GraphiQL still at /graphql.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphqlWsClientFiles } from '../../src/dashboard/serve.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';

describe('serving the dashboard', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t?.stop());

  it('serves the page at / with a same-origin Content-Security-Policy', async () => {
    const response = await fetch(`${t.url}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toMatch(/script-src 'self'.*connect-src 'self'/);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    const html = await response.text();
    expect(html).toContain('<script type="module" src="/dashboard/js/main.js"></script>');
  });

  it('serves every module the page imports, transitively, as JavaScript', async () => {
    const seen = new Set<string>();
    const visit = async (url: string) => {
      if (seen.has(url)) return;
      seen.add(url);
      const response = await fetch(`${t.url}${url}`);
      expect(response.status, url).toBe(200);
      expect(response.headers.get('content-type'), url).toBe('text/javascript; charset=utf-8');
      const source = await response.text();
      for (const [, specifier] of source.matchAll(/^(?:import|export)\b[^'";]*?\bfrom\s*['"]([^'"]+)['"]/gm)) {
        // Only paths a browser can load: absolute on this server, or relative.
        expect(specifier, `${url} imports ${specifier}`).toMatch(/^(\/|\.\/|\.\.\/)/);
        await visit(new URL(specifier!, `http://x${url}`).pathname);
      }
    };
    await visit('/dashboard/js/main.js');
    expect(seen).toContain('/dashboard/vendor/graphql-ws/client.js');
    expect([...seen].filter((u) => u.startsWith('/dashboard/vendor/')).length).toBe(graphqlWsClientFiles().length);
  });

  it('answers conditional requests with 304, refuses other methods, and leaves unknown paths to GraphQL (404)', async () => {
    const first = await fetch(`${t.url}/dashboard/style.css`);
    expect(first.status).toBe(200);
    const etag = first.headers.get('etag')!;
    expect((await fetch(`${t.url}/dashboard/style.css`, { headers: { 'if-none-match': etag } })).status).toBe(304);
    expect((await fetch(`${t.url}/`, { method: 'POST' })).status).toBe(405);
    expect((await fetch(`${t.url}/dashboard/nothing.js`)).status).toBe(404);
    expect((await fetch(`${t.url}/dashboard/../package.json`)).status).toBe(404);
    expect((await fetch(`${t.url}/dashboard/vendor/graphql-ws/index.js`)).status).toBe(404);
  });

  it('keeps GraphiQL at /graphql', async () => {
    const response = await fetch(`${t.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    expect(await response.text()).toMatch(/graphiql/i);
  });

  it('serves graphql-ws exactly as installed', async () => {
    const [client] = graphqlWsClientFiles();
    const served = await (await fetch(`${t.url}/dashboard/vendor/graphql-ws/client.js`)).text();
    expect(served).toBe(readFileSync(client!, 'utf8'));
  });
});
