// Each operation limit refuses, over HTTP and over WebSocket, with a clear
// error — and the refused mutation wrote nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { seedNetwork } from '../helpers/seed.ts';
import { advertiserCount, CREATE_ADVERTISER, postGraphQL, wsClient, wsRun } from './helpers.ts';

const create = (alias: string, name: string, selection = '__typename') =>
  `${alias}createAdvertiser(input: { networkId: 85, name: "${name}" }) { ${selection} }`;

/** Too deep: 13 levels (fragments do not count), the limit is 12. */
const TOO_DEEP = `mutation { ${create(
  '',
  'Too Deep',
  `... on CreateAdvertiserPayload { advertiser { network { advertisers {
  edges { node { network { advertisers { edges { node { network { advertisers { totalCount } } } } } } } } } } } }`,
)} }`;

/** 16 aliases, the limit is 15. */
const TOO_MANY_ALIASES = `mutation { ${Array.from({ length: 16 }, (_, i) => create(`a${i}: `, `Alias ${i}`)).join(' ')} }`;

/** Over 2000 tokens. */
const TOO_MANY_TOKENS = `mutation { ${create('', 'Many Tokens', Array.from({ length: 2000 }, () => '__typename').join(' '))} }`;

/** Two nested full pages: 500 × 500 rows, far over the cost limit, within the depth limit. */
const TOO_COSTLY = `mutation { ${create(
  '',
  'Too Costly',
  `... on CreateAdvertiserPayload { advertiser { network {
  advertisers(first: 500) { edges { node { campaigns(first: 500) { edges { node { name } } } } } } } } }`,
)} }`;

const LIMITS: { name: string; document: string; message: RegExp }[] = [
  { name: 'depth', document: TOO_DEEP, message: /^Query depth limit of 12 exceeded, found 13\.$/ },
  { name: 'aliases', document: TOO_MANY_ALIASES, message: /^Aliases limit of 15 exceeded, found 16\.$/ },
  { name: 'tokens', document: TOO_MANY_TOKENS, message: /^Syntax Error: Token limit of 2000 exceeded\.$/ },
  { name: 'cost', document: TOO_COSTLY, message: /^Query Cost limit of 6000000 exceeded, found \d+(\.\d+)?\.$/ },
];

describe('operation limits', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ WS_CONNECTION_INIT_TIMEOUT_MS: '400' });
    await seedNetwork(85);
  });
  afterAll(() => t?.stop());

  it('admit an ordinary mutation (the documents below differ from it only in size)', async () => {
    const response = await postGraphQL(t.url, `mutation { ${create('', 'Ordinary')} }`);
    expect(response.body).toEqual({ data: { createAdvertiser: { __typename: 'CreateAdvertiserPayload' } } });
  });

  for (const limit of LIMITS) {
    it(`${limit.name}: refused over HTTP with 400 and a clear error, nothing written`, async () => {
      const before = await advertiserCount();
      const response = await postGraphQL(t.url, limit.document);
      expect(response.status).toBe(400);
      expect(response.body.data).toBeUndefined();
      expect(response.body.errors).toHaveLength(1);
      expect(response.body.errors[0].message).toMatch(limit.message);
      expect(await advertiserCount()).toBe(before);
    });

    it(`${limit.name}: with Accept: application/json alone, HTTP 200 carrying only the error, as the README says`, async () => {
      const response = await postGraphQL(t.url, limit.document, undefined, { accept: 'application/json' });
      expect(response.status).toBe(200);
      expect(response.body.data).toBeUndefined();
      expect(response.body.errors[0].message).toMatch(limit.message);
    });

    it(`${limit.name}: refused over WebSocket with the same error, nothing written, the socket still open`, async () => {
      const before = await advertiserCount();
      const client = wsClient(t.url);
      const outcome = await wsRun(client, limit.document);
      expect(outcome.kind).toBe('errors');
      expect(outcome.kind === 'errors' && outcome.errors.map((e) => e.message)).toEqual([expect.stringMatching(limit.message)]);
      expect(await advertiserCount()).toBe(before);
      expect(await wsRun(client, '{ networks { broadstreetId } }')).toEqual({
        kind: 'results',
        results: [{ data: { networks: [{ broadstreetId: 85 }] } }],
      });
      await client.dispose();
    });
  }

  describe('request body size', () => {
    const huge = 'x'.repeat(1_100_000);

    it('a body over 1 MiB gets 413 over HTTP, nothing written', async () => {
      const before = await advertiserCount();
      const response = await postGraphQL(t.url, CREATE_ADVERTISER, { name: huge });
      expect(response.status).toBe(413);
      expect(response.body.errors).toEqual([
        expect.objectContaining({ message: 'Request body too large', extensions: { code: 'REQUEST_ENTITY_TOO_LARGE' } }),
      ]);
      expect(await advertiserCount()).toBe(before);
    });

    it('so does a chunked body that declares no length', async () => {
      const before = await advertiserCount();
      const payload = new TextEncoder().encode(JSON.stringify({ query: CREATE_ADVERTISER, variables: { name: huge } }));
      const body = new ReadableStream({
        start(controller) {
          for (let i = 0; i < payload.length; i += 64 * 1024) controller.enqueue(payload.slice(i, i + 64 * 1024));
          controller.close();
        },
      });
      const response = await fetch(`${t.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
        duplex: 'half',
      } as RequestInit);
      expect(response.status).toBe(413);
      expect((await response.json()).errors[0].message).toBe('Request body too large');
      expect(await advertiserCount()).toBe(before);
    });

    it('a WebSocket message over 1 MiB closes the socket with 1009, nothing written', async () => {
      const before = await advertiserCount();
      const outcome = await wsRun(wsClient(t.url), CREATE_ADVERTISER, { name: huge });
      expect(outcome).toMatchObject({ kind: 'closed', code: 1009 });
      expect(await advertiserCount()).toBe(before);
    });
  });

  describe('CSRF prevention', () => {
    it('refuses a mutation sent as a simple (non-preflighted) request with 403, nothing written', async () => {
      const before = await advertiserCount();
      const body = JSON.stringify({ query: CREATE_ADVERTISER, variables: { name: 'Cross Site' } });
      for (const contentType of ['text/plain', 'application/x-www-form-urlencoded']) {
        const form =
          contentType === 'text/plain'
            ? body
            : new URLSearchParams({ query: CREATE_ADVERTISER, variables: JSON.stringify({ name: 'Cross Site' }) }).toString();
        const response = await fetch(`${t.url}/graphql`, { method: 'POST', headers: { 'content-type': contentType }, body: form });
        expect(response.status, contentType).toBe(403);
        expect((await response.json()).errors[0].message).toBe('Required CSRF header(s) not present');
      }
      expect(await advertiserCount()).toBe(before);
    });

    it('answers a GET query only with the CSRF header', async () => {
      const url = `${t.url}/graphql?query=${encodeURIComponent('{ networks { broadstreetId } }')}`;
      const refused = await fetch(url, { headers: { accept: 'application/json' } });
      expect(refused.status).toBe(403);
      const answered = await fetch(url, { headers: { accept: 'application/json', 'x-graphql-yoga-csrf': '1' } });
      expect(answered.status).toBe(200);
      expect(await answered.json()).toEqual({ data: { networks: [{ broadstreetId: 85 }] } });
    });
  });

  it('a WebSocket that never sends connection_init is closed with 4408 when WS_CONNECTION_INIT_TIMEOUT_MS passes', async () => {
    const socket = new WebSocket(`${t.url.replace(/^http/, 'ws')}/graphql`, 'graphql-transport-ws');
    const opened = Date.now();
    const [code, reason] = await new Promise<[number, string]>((resolve) => socket.on('close', (c, r) => resolve([c, String(r)])));
    expect([code, reason]).toEqual([4408, 'Connection initialisation timeout']);
    expect(Date.now() - opened).toBeGreaterThanOrEqual(350);
    expect(Date.now() - opened).toBeLessThan(5_000);
  });
});
