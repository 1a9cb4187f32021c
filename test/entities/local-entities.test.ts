import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { databaseSkipReason, TEST_PROVIDER } from '../helpers/database.ts';
import { seedAdvertisement, seedAdvertiser, seedCampaign, seedNetwork, seedPlacement, seedZone } from '../helpers/seed.ts';

const skip = databaseSkipReason();
if (skip) console.warn(`skipped: ${skip}`);

const SUMMARY = `query ($networkId: Int!) { localEntities(networkId: $networkId) {
  network { broadstreetId }
  total
  advertisers { totalCount edges { node { name broadstreetId } } }
  zones { totalCount edges { node { name } } }
  campaigns(first: 1) { totalCount pageInfo { hasNextPage } edges { node { name advertiser { name } } } }
  placements { totalCount edges { node { campaign { name } zone { name } } } }
} }`;

describe.skipIf(!!skip)(`localEntities on ${TEST_PROVIDER}`, () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
    const network = await seedNetwork(85);
    const other = await seedNetwork(86);
    const synced = await seedAdvertiser(network.id, { name: 'Synced A' });
    const local = await seedAdvertiser(network.id, { name: 'Local A', broadstreetId: null });
    await seedAdvertiser(other.id, { name: 'Elsewhere', broadstreetId: null });
    const localZone = await seedZone(network.id, { name: 'Local Z', broadstreetId: null });
    const syncedZone = await seedZone(network.id, { name: 'Synced Z' });
    const c1 = await seedCampaign(local, { name: 'Local C1', broadstreetId: null });
    await seedCampaign(synced, { name: 'Local C2', broadstreetId: null });
    const syncedCampaign = await seedCampaign(synced, { name: 'Synced C' });
    const ad = await seedAdvertisement(synced);
    await seedPlacement({ campaign: c1, advertisement: ad, zone: localZone }, { synced: false });
    await seedPlacement({ campaign: syncedCampaign, advertisement: ad, zone: syncedZone });
  });
  afterAll(() => t?.stop());

  it('lists what an export would upload, per type, with counts', async () => {
    const { data } = await t.graphql(SUMMARY, { networkId: 85 });
    expect(data!.localEntities).toEqual({
      network: { broadstreetId: 85 },
      total: 5,
      advertisers: { totalCount: 1, edges: [{ node: { name: 'Local A', broadstreetId: null } }] },
      zones: { totalCount: 1, edges: [{ node: { name: 'Local Z' } }] },
      campaigns: {
        totalCount: 2,
        pageInfo: { hasNextPage: true },
        edges: [{ node: { name: 'Local C1', advertiser: { name: 'Local A' } } }],
      },
      placements: { totalCount: 1, edges: [{ node: { campaign: { name: 'Local C1' }, zone: { name: 'Local Z' } } }] },
    });
  });

  it('is empty for a network with nothing local beyond one advertiser, and refuses an unknown network', async () => {
    const { data } = await t.graphql('{ localEntities(networkId: 86) { total zones { totalCount } } }');
    expect(data!.localEntities).toEqual({ total: 1, zones: { totalCount: 0 } });
    const unknown = await t.graphql('{ localEntities(networkId: 999) { total } }');
    expect(unknown.errors?.[0]?.message).toMatch(/network 999 is not in the local database/);
  });
});
