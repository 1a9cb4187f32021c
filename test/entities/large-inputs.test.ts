// Large inputs get an answer within documented limits or a clear error:
// never a crash, a hang or a partial write.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '../helpers/db.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { databaseSkipReason, TEST_PROVIDER } from '../helpers/database.ts';
import { seedAdvertisement, seedAdvertiser, seedCampaign, seedNetwork, seedZone } from '../helpers/seed.ts';

const skip = databaseSkipReason();
if (skip) console.warn(`skipped: ${skip}`);

async function timed<T>(work: () => Promise<T>): Promise<T> {
  const started = Date.now();
  const result = await work();
  expect(Date.now() - started).toBeLessThan(5_000);
  return result;
}

describe.skipIf(!!skip)(`large inputs on ${TEST_PROVIDER}`, () => {
  let t: TestApp;
  let parents: { campaign: string; zone: string; advertisementId: number };

  beforeAll(async () => {
    t = await startTestApp();
    const network = await seedNetwork(85);
    const advertiser = await seedAdvertiser(network.id);
    const campaign = await seedCampaign(advertiser);
    const zone = await seedZone(network.id);
    const ad = await seedAdvertisement(advertiser);
    parents = { campaign: campaign.mongoId, zone: zone.mongoId, advertisementId: ad.broadstreetId! };
  });
  afterAll(() => t?.stop());

  it('a 10,000-character name in every create is a field error naming the limit (255)', async () => {
    const name = 'n'.repeat(10_000);
    const before = await Promise.all([db().advertiser.count(), db().zone.count(), db().campaign.count()]);
    const advertiser = { mongoId: (await db().advertiser.findFirstOrThrow()).mongoId };
    const result = await timed(() =>
      t.graphql(
        `mutation ($name: String!, $advertiser: EntityRef!) {
          a: createAdvertiser(input: { networkId: 85, name: $name }) { __typename ... on ValidationError { fieldErrors { path message } } }
          z: createZone(input: { networkId: 85, name: $name }) { __typename ... on ValidationError { fieldErrors { path message } } }
          c: createCampaign(input: { advertiser: $advertiser, name: $name }) {
            __typename ... on ValidationError { fieldErrors { path message } } }
        }`,
        { name, advertiser },
      ),
    );
    for (const key of ['a', 'z', 'c']) {
      expect(result.data![key]).toEqual({
        __typename: 'ValidationError',
        fieldErrors: [{ path: ['input', 'name'], message: 'must be at most 255 characters' }],
      });
    }
    expect(await Promise.all([db().advertiser.count(), db().zone.count(), db().campaign.count()])).toEqual(before);
  });

  it('1,000 restrictions are accepted (the documented maximum); 10,000 are refused', async () => {
    const create = `mutation ($input: CreatePlacementInput!) { createPlacement(input: $input) {
      __typename ... on CreatePlacementPayload { placement { restrictions } } ... on ValidationError { fieldErrors { path message } } } }`;
    const many = (n: number) => Array.from({ length: n }, (_, i) => `zip:${10_000 + i}`);
    const refused = await timed(() =>
      t.graphql(create, {
        input: {
          campaign: { mongoId: parents.campaign },
          zone: { mongoId: parents.zone },
          advertisementId: parents.advertisementId,
          restrictions: many(10_000),
        },
      }),
    );
    expect(refused.data!.createPlacement).toEqual({
      __typename: 'ValidationError',
      fieldErrors: [{ path: ['input', 'restrictions'], message: 'must have at most 1000 restrictions' }],
    });
    expect(await db().placement.count()).toBe(0);
    const accepted = await timed(() =>
      t.graphql(create, {
        input: {
          campaign: { mongoId: parents.campaign },
          zone: { mongoId: parents.zone },
          advertisementId: parents.advertisementId,
          restrictions: many(1_000),
        },
      }),
    );
    expect(accepted.data!.createPlacement.placement.restrictions).toHaveLength(1_000);
    expect((await db().placement.findFirstOrThrow()).restrictions).toEqual(many(1_000));
  });

  it('a page size of 1,000,000 is refused with the maximum (500) named, on every list', async () => {
    for (const list of ['advertisers', 'zones', 'campaigns', 'advertisements', 'placements']) {
      const result = await timed(() => t.graphql(`{ ${list}(networkId: 85, first: 1000000) { totalCount } }`));
      expect(result.errors?.[0]?.message).toBe('Invalid input: first: must be at most 500; page through larger lists with after');
    }
    const nested = await t.graphql('{ networks { advertisers(first: 1000000) { totalCount } } }');
    expect(nested.errors?.[0]?.message).toMatch(/first: must be at most 500/);
    const summary = await t.graphql('{ localEntities(networkId: 85) { placements(last: 1000000) { totalCount } } }');
    expect(summary.errors?.[0]?.message).toMatch(/last: must be at most 500/);
  });
});
