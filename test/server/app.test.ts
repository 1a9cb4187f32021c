import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '../helpers/db.ts';
import { newMongoId } from '../../src/domain/ids.ts';
import { collect, startTestApp, type TestApp } from '../helpers/app.ts';
import { databaseSkipReason, TEST_PROVIDER } from '../helpers/database.ts';

const skip = databaseSkipReason();
if (skip) console.warn(`skipped: ${skip}`);

describe.skipIf(!!skip)(`the server on ${TEST_PROVIDER}`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    await db().network.create({ data: { mongoId: newMongoId(), broadstreetId: 85, name: 'Demo Network' } });
  });
  afterAll(() => t?.stop());

  it('reports the database in /health', async () => {
    const response = await fetch(`${t.url}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok', database: 'ok' });
  });

  it('answers GraphQL over HTTP from the database', async () => {
    const result = await t.graphql('{ networks { name broadstreetId createdLocally syncErrors { code } } }');
    expect(result).toEqual({
      data: { networks: [{ name: 'Demo Network', broadstreetId: 85, createdLocally: false, syncErrors: [] }] },
    });
  });

  it('answers the same operation over graphql-ws on the same port and path', async () => {
    const results = await collect(t.wsClient(), '{ networks { name } }');
    expect(results).toEqual([{ data: { networks: [{ name: 'Demo Network' }] } }]);
  });

  it('serves GraphiQL to browsers', async () => {
    const response = await fetch(`${t.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    expect(await response.text()).toMatch(/graphiql/i);
  });

  it('refuses an invalid operation with a GraphQL error and no data', async () => {
    const result = await t.graphql('{ networks { noSuchField } }');
    expect(result.data).toBeUndefined();
    expect(result.errors?.[0]?.message).toMatch(/Cannot query field "noSuchField"/);
  });
});
