// Two apps in one process, each on its own database: every request, write and
// list goes to the app's own database (services.db), never to the other's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDatabase, openDatabase } from '../../src/db/index.ts';
import { newMongoId } from '../../src/domain/ids.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { databaseSkipReason, TEST_PROVIDER } from '../helpers/database.ts';

const skip = databaseSkipReason();
if (skip) console.warn(`skipped: ${skip}`);

describe.skipIf(!!skip)(`two apps in one process on ${TEST_PROVIDER}`, () => {
  let first: TestApp;
  let second: TestApp;
  beforeAll(async () => {
    [first, second] = await Promise.all([startTestApp(), startTestApp()]);
    await first.services.db.network.create({
      data: { mongoId: newMongoId(), broadstreetId: 11, name: 'First Network', syncedAt: new Date() },
    });
    await second.services.db.network.create({
      data: { mongoId: newMongoId(), broadstreetId: 22, name: 'Second Network', syncedAt: new Date() },
    });
  });
  afterAll(async () => {
    await first?.stop();
    await second?.stop();
  });

  it('open two databases, not one', () => {
    expect(first.database.url).not.toBe(second.database.url);
    expect(first.services.db).not.toBe(second.services.db);
  });

  it('each list only its own rows', async () => {
    expect(await first.graphql('{ networks { broadstreetId name } }')).toEqual({
      data: { networks: [{ broadstreetId: 11, name: 'First Network' }] },
    });
    expect(await second.graphql('{ networks { broadstreetId name } }')).toEqual({
      data: { networks: [{ broadstreetId: 22, name: 'Second Network' }] },
    });
  });

  it('write through a mutation into their own database only', async () => {
    const create = `mutation ($networkId: Int!) { createAdvertiser(input: { networkId: $networkId, name: "Own Advertiser" }) {
      __typename ... on CreateAdvertiserPayload { advertiser { mongoId } } ... on Error { message } } }`;
    const made = await first.graphql(create, { networkId: 11 });
    expect(made.data?.createAdvertiser.__typename).toBe('CreateAdvertiserPayload');
    const mongoId = made.data!.createAdvertiser.advertiser.mongoId as string;
    expect(await first.services.db.advertiser.count({ where: { mongoId } })).toBe(1);
    expect(await second.services.db.advertiser.count()).toBe(0);

    // Network 11 exists only in the first database: the second app does not find it.
    const refused = await second.graphql(create, { networkId: 11 });
    expect(refused.data?.createAdvertiser).toMatchObject({ __typename: 'NotFoundError' });
    expect(await second.services.db.advertiser.count()).toBe(0);
    expect(await second.graphql('{ advertisers(networkId: 22) { totalCount } }')).toEqual({ data: { advertisers: { totalCount: 0 } } });
    expect(await first.graphql('{ advertisers(networkId: 11) { totalCount } }')).toEqual({ data: { advertisers: { totalCount: 1 } } });
  });

  it('share one client per URL: opening the same URL again reuses it, and it stays open until both have closed it', async () => {
    const again = await openDatabase(first.database.url);
    expect(again).toBe(first.services.db);
    await closeDatabase(again);
    // Still open for the app that opened it first: the registry hands out the same client again.
    const third = await openDatabase(first.database.url);
    expect(third).toBe(first.services.db);
    await closeDatabase(third);
    expect(await first.services.db.network.count()).toBe(1);
    expect((await fetch(`${first.url}/health`)).status).toBe(200);
  });
});
