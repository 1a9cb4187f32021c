// Production mode (NODE_ENV=production) hides the schema: no introspection,
// no field suggestions, no GraphiQL. In every mode an unexpected error is
// masked for the client and logged, with its request id, for the operator;
// expected errors (typed results, GraphQL validation) keep their messages.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '../helpers/db.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { seedNetwork } from '../helpers/seed.ts';
import { captureLogs, postGraphQL, wsClient, wsRun, type LogCapture } from './helpers.ts';

const INTROSPECTION = '{ __schema { queryType { name } } }';
const TYPE_INTROSPECTION = '{ __type(name: "Network") { fields { name } } }';
const MISSPELT = '{ networkz { name } }';

describe('production mode', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ NODE_ENV: 'production' });
  });
  afterAll(() => t?.stop());

  it('refuses introspection over HTTP and WebSocket', async () => {
    for (const query of [INTROSPECTION, TYPE_INTROSPECTION]) {
      const response = await postGraphQL(t.url, query);
      expect(response.status).toBe(400);
      expect(response.body.errors[0].message).toMatch(
        /^GraphQL introspection has been disabled, but the requested query contained the field "__(schema|type)"\.$/,
      );
      const outcome = await wsRun(wsClient(t.url), query);
      expect(outcome.kind).toBe('errors');
      const messages = outcome.kind === 'errors' ? outcome.errors.map((e) => e.message) : [];
      expect(messages.length).toBeGreaterThan(0);
      for (const message of messages) expect(message).toMatch(/^GraphQL introspection has been disabled/);
    }
    expect((await postGraphQL(t.url, '{ __typename }')).body).toEqual({ data: { __typename: 'Query' } });
  });

  it('does not suggest field names', async () => {
    const response = await postGraphQL(t.url, MISSPELT);
    expect(response.body.errors[0].message).toBe('Cannot query field "networkz" on type "Query". [Suggestion hidden]');
    expect(JSON.stringify(response.body)).not.toContain('networks');
  });

  it('serves no GraphiQL', async () => {
    const response = await fetch(`${t.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(await response.text()).not.toMatch(/graphiql/i);
  });
});

describe('outside production', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ NODE_ENV: 'development' });
  });
  afterAll(() => t?.stop());

  it('answers introspection and suggests fields', async () => {
    expect((await postGraphQL(t.url, INTROSPECTION)).body).toEqual({ data: { __schema: { queryType: { name: 'Query' } } } });
    expect((await postGraphQL(t.url, MISSPELT)).body.errors[0].message).toBe(
      'Cannot query field "networkz" on type "Query". Did you mean "network" or "networks"?',
    );
  });
});

describe('masked errors', () => {
  let t: TestApp;
  let logs: LogCapture;
  beforeAll(async () => {
    logs = captureLogs();
    t = await startTestApp({ NODE_ENV: 'development' }, { logger: logs.logger });
    await seedNetwork(85);
  });
  afterAll(() => t?.stop());

  it('keep expected errors as they are: typed results and GraphQL validation', async () => {
    const typed = await postGraphQL(
      t.url,
      'mutation { createAdvertiser(input: { networkId: 85, name: " " }) { __typename ... on Error { message } } }',
    );
    expect(typed.body.data.createAdvertiser).toEqual({ __typename: 'ValidationError', message: expect.stringMatching(/name/) });
    const invalid = await postGraphQL(t.url, '{ networks { nope } }');
    expect(invalid.body.errors[0].message).toBe('Cannot query field "nope" on type "Network". Did you mean "name"?');
  });

  it('hide an unexpected error behind a generic message, and log it with the request id, over HTTP and WebSocket', async () => {
    // Break the database under the running server: every query of networks now fails inside Prisma.
    await db().$executeRawUnsafe('ALTER TABLE "Network" RENAME TO "NetworkGone"');
    const response = await postGraphQL(t.url, '{ networks { name } }', undefined, { 'x-request-id': 'masked-1' });
    expect(response.body).toEqual({
      data: null,
      errors: [
        {
          message: 'Unexpected error.',
          locations: [{ line: 1, column: 3 }],
          path: ['networks'],
          extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: 'masked-1' },
        },
      ],
    });
    const logged = logs.lines().filter((line) => line.requestId === 'masked-1' && line.level === 50);
    expect(logged.length).toBeGreaterThan(0);
    expect(JSON.stringify(logged)).toMatch(/table `[^`]*Network` does not exist/);
    const overWebSocket = await wsRun(wsClient(t.url), '{ networks { name } }');
    expect(overWebSocket).toEqual({
      kind: 'results',
      results: [
        {
          data: null,
          errors: [
            expect.objectContaining({
              message: 'Unexpected error.',
              extensions: { code: 'INTERNAL_SERVER_ERROR', unexpected: true, requestId: expect.stringMatching(/^[0-9a-f-]{36}$/) },
            }),
          ],
        },
      ],
    });
    const wsRequestId = overWebSocket.kind === 'results' ? overWebSocket.results[0].errors[0].extensions.requestId : '';
    expect(logs.lines().some((line) => line.requestId === wsRequestId && line.level === 50)).toBe(true);
    await db().$executeRawUnsafe('ALTER TABLE "NetworkGone" RENAME TO "Network"');
  });
});
