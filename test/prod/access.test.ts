// API_TOKENS: a missing or wrong token gets 401 over HTTP and close code 4403
// over WebSocket; a read token runs queries and subscriptions but no
// mutation; a write token runs everything. Refused operations write nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { seedNetwork } from '../helpers/seed.ts';
import {
  advertiserCount,
  bearer,
  CREATE_ADVERTISER,
  postGraphQL,
  READ_TOKEN,
  runCount,
  TOKENS_ENV,
  WRITE_TOKEN,
  wsClient,
  wsRun,
} from './helpers.ts';

const START_SYNC = `mutation { startSync(input: { networkId: 85, direction: IMPORT }) { __typename } }`;

describe('access tokens', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(TOKENS_ENV);
    await seedNetwork(85, 'Demo Network');
  });
  afterAll(() => t?.stop());

  describe('over HTTP', () => {
    it('refuses a request without a token with 401, a clear error and nothing written', async () => {
      const before = await advertiserCount();
      const response = await postGraphQL(t.url, CREATE_ADVERTISER, { name: 'No Token' });
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer realm="broadsync"');
      expect(response.body).toEqual({
        errors: [{ message: 'an access token is required: send Authorization: Bearer <token>', extensions: { code: 'UNAUTHENTICATED' } }],
      });
      expect(await advertiserCount()).toBe(before);
    });

    it('refuses a wrong token (and a token that is not a Bearer one) with 401', async () => {
      const before = await advertiserCount();
      for (const authorization of [`Bearer ${WRITE_TOKEN}x`, `Bearer ${WRITE_TOKEN.slice(0, -1)}`, WRITE_TOKEN, `Basic ${WRITE_TOKEN}`]) {
        const response = await postGraphQL(t.url, CREATE_ADVERTISER, { name: 'Wrong Token' }, { authorization });
        expect(response.status, authorization).toBe(401);
        expect(response.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
      }
      expect(await advertiserCount()).toBe(before);
      const query = await postGraphQL(t.url, '{ networks { name } }', undefined, bearer('nope'));
      expect(query.status).toBe(401);
      expect(query.body.errors[0].message).toBe('the access token is not valid');
      expect(query.body.data).toBeUndefined();
    });

    it('lets a read token query', async () => {
      const response = await postGraphQL(t.url, '{ networks { name } }', undefined, bearer(READ_TOKEN));
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ data: { networks: [{ name: 'Demo Network' }] } });
    });

    it('refuses a mutation with a read token: 403, FORBIDDEN, no resolver ran', async () => {
      const [advertisers, runs] = [await advertiserCount(), await runCount()];
      for (const mutation of [CREATE_ADVERTISER, START_SYNC]) {
        const response = await postGraphQL(t.url, mutation, { name: 'Read Only' }, bearer(READ_TOKEN));
        expect(response.status).toBe(403);
        expect(response.body.data).toBeUndefined();
        expect(response.body.errors).toEqual([
          expect.objectContaining({
            message: 'this access token is read-only: mutations need a token with the write scope',
            extensions: { code: 'FORBIDDEN' },
          }),
        ]);
      }
      expect(await advertiserCount()).toBe(advertisers);
      expect(await runCount()).toBe(runs);
    });

    it('picks the operation by operationName: a read token may run the query of a document that also holds a mutation', async () => {
      const document = `query Read { networks { name } } ${CREATE_ADVERTISER.replace('mutation (', 'mutation Write (')}`;
      const before = await advertiserCount();
      const response = await fetch(`${t.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...bearer(READ_TOKEN) },
        body: JSON.stringify({ query: document, operationName: 'Read' }),
      });
      expect(response.status).toBe(200);
      const write = await fetch(`${t.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...bearer(READ_TOKEN) },
        body: JSON.stringify({ query: document, operationName: 'Write', variables: { name: 'Sneaky' } }),
      });
      expect(write.status).toBe(403);
      expect(await advertiserCount()).toBe(before);
    });

    it('lets a write token mutate (the scheme is case-insensitive)', async () => {
      const before = await advertiserCount();
      const response = await postGraphQL(t.url, CREATE_ADVERTISER, { name: 'Written' }, { authorization: `bearer ${WRITE_TOKEN}` });
      expect(response.status).toBe(200);
      expect(response.body.data.createAdvertiser).toEqual({ __typename: 'CreateAdvertiserPayload', advertiser: { name: 'Written' } });
      expect(await advertiserCount()).toBe(before + 1);
    });

    it('keeps /health open and echoes the request id', async () => {
      expect((await fetch(`${t.url}/health`)).status).toBe(200);
      const response = await postGraphQL(t.url, '{ networks { name } }', undefined, { ...bearer(READ_TOKEN), 'x-request-id': 'req-123' });
      expect(response.headers.get('x-request-id')).toBe('req-123');
      const refused = await postGraphQL(t.url, '{ networks { name } }');
      expect(refused.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    });
  });

  describe('over WebSocket', () => {
    it('closes a connection without a token, or with a wrong one, with 4403 before any operation', async () => {
      const before = await advertiserCount();
      for (const params of [undefined, {}, bearer('nope'), { authorization: READ_TOKEN }]) {
        const outcome = await wsRun(wsClient(t.url, params), CREATE_ADVERTISER, { name: 'WS No Token' });
        expect(outcome, JSON.stringify(params)).toEqual({ kind: 'closed', code: 4403, reason: 'Forbidden' });
      }
      expect(await advertiserCount()).toBe(before);
    });

    it('lets a read token query and subscribe, and refuses its mutations with FORBIDDEN', async () => {
      const client = wsClient(t.url, bearer(READ_TOKEN));
      expect(await wsRun(client, '{ networks { name } }')).toEqual({
        kind: 'results',
        results: [{ data: { networks: [{ name: 'Demo Network' }] } }],
      });
      const subscription = await wsRun(client, 'subscription { syncProgress(runId: "999999") { seq } }');
      // The subscription's own resolver answered: the read token got through.
      expect(subscription).toEqual({
        kind: 'results',
        results: [{ errors: [expect.objectContaining({ message: 'run 999999 does not exist' })] }],
      });
      const before = await advertiserCount();
      const mutation = await wsRun(client, CREATE_ADVERTISER, { name: 'WS Read Only' });
      expect(mutation).toEqual({
        kind: 'results',
        results: [
          { errors: [expect.objectContaining({ message: 'this access token is read-only: mutations need a token with the write scope' })] },
        ],
      });
      expect(await advertiserCount()).toBe(before);
      await client.dispose();
    });

    it('lets a write token mutate, from the connection_init payload or the upgrade request header', async () => {
      const before = await advertiserCount();
      for (const client of [wsClient(t.url, bearer(WRITE_TOKEN)), wsClient(t.url, undefined, bearer(WRITE_TOKEN))]) {
        const outcome = await wsRun(client, CREATE_ADVERTISER, { name: 'WS Written' });
        expect(outcome).toEqual({
          kind: 'results',
          results: [{ data: { createAdvertiser: { __typename: 'CreateAdvertiserPayload', advertiser: { name: 'WS Written' } } } }],
        });
        await client.dispose();
      }
      expect(await advertiserCount()).toBe(before + 2);
    });
  });
});
