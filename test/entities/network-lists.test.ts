// Network's own connections (campaigns, advertisements, placements, beside
// advertisers and zones) and the campaign list's filters: active, paused,
// startsBefore, endsAfter.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '../helpers/db.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { databaseSkipReason, TEST_PROVIDER } from '../helpers/database.ts';
import { seedAdvertisement, seedAdvertiser, seedCampaign, seedNetwork, seedPlacement, seedZone } from '../helpers/seed.ts';

const skip = databaseSkipReason();
if (skip) console.warn(`skipped: ${skip}`);

describe.skipIf(!!skip)(`network lists and campaign filters on ${TEST_PROVIDER}`, () => {
  let t: TestApp;
  const names: Record<string, string> = {};
  beforeAll(async () => {
    t = await startTestApp();
    const network = await seedNetwork(85);
    const other = await seedNetwork(86);
    const advertiser = await seedAdvertiser(network.id);
    const ad = await seedAdvertisement(advertiser, { name: 'Only ad' });
    const zone = await seedZone(network.id);
    const rows = [
      { name: 'Spring', startDate: '2026-03-01', endDate: '2026-05-31', paused: false, active: true },
      { name: 'Summer', startDate: '2026-06-01', endDate: '2026-08-31', paused: true, active: false },
      { name: 'Evergreen', startDate: '2026-01-01', endDate: null, paused: false, active: null },
    ];
    for (const row of rows) {
      const campaign = await seedCampaign(advertiser, { name: row.name });
      await db().campaign.update({
        where: { id: campaign.id },
        data: { startDate: row.startDate, endDate: row.endDate, paused: row.paused, active: row.active },
      });
      names[campaign.mongoId] = row.name;
      if (row.name === 'Spring') await seedPlacement({ campaign, advertisement: ad, zone });
    }
    // Another network's campaign is in neither list.
    await seedCampaign(await seedAdvertiser(other.id), { name: 'Elsewhere' });
  });
  afterAll(() => t?.stop());

  it('Network.campaigns, advertisements and placements are connections of that network only', async () => {
    const { data, errors } = await t.graphql(`{ network(ref: { broadstreetId: 85 }) {
      campaigns(first: 2) { totalCount edges { node { name } } pageInfo { hasNextPage } }
      advertisements { totalCount edges { node { name } } }
      placements { totalCount edges { node { campaign { name } } } }
    } }`);
    expect(errors).toBeUndefined();
    expect(data!.network.campaigns).toEqual({
      totalCount: 3,
      edges: [{ node: { name: 'Spring' } }, { node: { name: 'Summer' } }],
      pageInfo: { hasNextPage: true },
    });
    expect(data!.network.advertisements).toEqual({ totalCount: 1, edges: [{ node: { name: 'Only ad' } }] });
    expect(data!.network.placements).toEqual({ totalCount: 1, edges: [{ node: { campaign: { name: 'Spring' } } }] });
  });

  const listed = async (filters: string) => {
    const { data, errors } = await t.graphql(`{ campaigns(networkId: 85, ${filters}) { totalCount edges { node { name } } } }`);
    expect(errors, filters).toBeUndefined();
    expect(data!.campaigns.totalCount).toBe(data!.campaigns.edges.length);
    return data!.campaigns.edges.map((e: { node: { name: string } }) => e.node.name);
  };

  it('filters campaigns by active, paused and dates, together too', async () => {
    expect(await listed('active: true')).toEqual(['Spring']);
    expect(await listed('active: false')).toEqual(['Summer', 'Evergreen']);
    expect(await listed('paused: true')).toEqual(['Summer']);
    expect(await listed('paused: false')).toEqual(['Spring', 'Evergreen']);
    expect(await listed('startsBefore: "2026-03-01"')).toEqual(['Evergreen']);
    expect(await listed('endsAfter: "2026-06-15"')).toEqual(['Summer', 'Evergreen']);
    expect(await listed('startsBefore: "2026-07-01", endsAfter: "2026-06-15", paused: false')).toEqual(['Evergreen']);
  });

  it('refuses a date that is not one', async () => {
    const { data, errors } = await t.graphql(`{ campaigns(networkId: 85, endsAfter: "2026-13-01") { totalCount } }`);
    expect(data).toBeNull();
    expect(errors![0]!.message).toMatch(/endsAfter.*YYYY-MM-DD|YYYY-MM-DD/);
  });
});
