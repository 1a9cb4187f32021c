import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '../helpers/db.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { databaseSkipReason, TEST_PROVIDER } from '../helpers/database.ts';
import { seedAdvertisement, seedAdvertiser, seedCampaign, seedNetwork, seedPlacement, seedZone } from '../helpers/seed.ts';

const skip = databaseSkipReason();
if (skip) console.warn(`skipped: ${skip}`);

const names = (connection: { edges: { node: { name: string } }[] }) => connection.edges.map((e) => e.node.name);

describe.skipIf(!!skip)(`entity lists and lookups on ${TEST_PROVIDER}`, () => {
  let t: TestApp;
  let network: Awaited<ReturnType<typeof seedNetwork>>;

  beforeAll(async () => {
    t = await startTestApp();
    network = await seedNetwork(85, 'Main');
    await seedNetwork(86, 'Other');
  });
  afterAll(() => t?.stop());

  describe('advertisers', () => {
    const LIST = `query ($first: Int, $after: String, $syncState: SyncState, $search: String, $includeRemoved: Boolean) {
      advertisers(networkId: 85, first: $first, after: $after, syncState: $syncState, search: $search, includeRemoved: $includeRemoved) {
        totalCount edges { cursor node { name } } pageInfo { hasNextPage endCursor }
      }
    }`;

    beforeAll(async () => {
      await seedAdvertiser(network.id, { name: 'Alpha Synced' });
      await seedAdvertiser(network.id, { name: 'beta local', broadstreetId: null });
      const gone = await seedAdvertiser(network.id, { name: 'Gamma Removed' });
      await db().advertiser.update({ where: { id: gone.id }, data: { removedAt: new Date() } });
      await seedAdvertiser(network.id, { name: '50% OFF_sale' });
    });

    it('lists a network oldest first with totalCount', async () => {
      const { data } = await t.graphql(LIST, {});
      expect(names(data!.advertisers)).toEqual(['Alpha Synced', 'beta local', 'Gamma Removed', '50% OFF_sale']);
      expect(data!.advertisers.totalCount).toBe(4);
    });

    it('filters by sync state, counting what it filters', async () => {
      const local = await t.graphql(LIST, { syncState: 'LOCAL' });
      const synced = await t.graphql(LIST, { syncState: 'SYNCED' });
      expect(names(local.data!.advertisers)).toEqual(['beta local']);
      expect(local.data!.advertisers.totalCount).toBe(1);
      expect(names(synced.data!.advertisers)).toEqual(['Alpha Synced', 'Gamma Removed', '50% OFF_sale']);
      expect(synced.data!.advertisers.totalCount).toBe(3);
    });

    it('searches names ignoring case', async () => {
      expect(names((await t.graphql(LIST, { search: 'ALPHA' })).data!.advertisers)).toEqual(['Alpha Synced']);
      expect(names((await t.graphql(LIST, { search: 'a s' })).data!.advertisers)).toEqual(['Alpha Synced']);
      expect(names((await t.graphql(LIST, { search: 'BETA' })).data!.advertisers)).toEqual(['beta local']);
      expect((await t.graphql(LIST, { search: 'zzz' })).data!.advertisers.totalCount).toBe(0);
    });

    it(
      TEST_PROVIDER === 'postgres'
        ? 'matches % and _ in a search literally'
        : 'matches % and _ in a search as any one character (SQLite LIKE has no escape)',
      async () => {
        const percent = names((await t.graphql(LIST, { search: '0%' })).data!.advertisers);
        const underscore = names((await t.graphql(LIST, { search: 'F_S' })).data!.advertisers);
        expect(percent).toEqual(['50% OFF_sale']);
        expect(underscore).toEqual(['50% OFF_sale']);
        const loose = names((await t.graphql(LIST, { search: 'P_A' })).data!.advertisers);
        expect(loose).toEqual(TEST_PROVIDER === 'postgres' ? [] : ['Alpha Synced']);
      },
    );

    it('leaves out removed entities only when asked', async () => {
      const { data } = await t.graphql(LIST, { includeRemoved: false });
      expect(names(data!.advertisers)).not.toContain('Gamma Removed');
      expect(data!.advertisers.totalCount).toBe(3);
    });

    it('pages by cursor, and a page survives rows inserted before and after it', async () => {
      const first = (await t.graphql(LIST, { first: 2 })).data!.advertisers;
      expect(names(first)).toEqual(['Alpha Synced', 'beta local']);
      expect(first.pageInfo.hasNextPage).toBe(true);
      await seedAdvertiser(network.id, { name: 'Inserted Between Pages' });
      const second = (await t.graphql(LIST, { first: 2, after: first.pageInfo.endCursor })).data!.advertisers;
      expect(names(second)).toEqual(['Gamma Removed', '50% OFF_sale']);
      const third = (await t.graphql(LIST, { first: 2, after: second.pageInfo.endCursor })).data!.advertisers;
      expect(names(third)).toEqual(['Inserted Between Pages']);
      expect(third.pageInfo.hasNextPage).toBe(false);
      expect(third.totalCount).toBe(5);
    });

    it('a cursor that is not one of this list is a GraphQL error with extensions.code', async () => {
      for (const after of ['not-a-cursor', Buffer.from('GPC:S:x').toString('base64')]) {
        const { data, errors } = await t.graphql(LIST, { first: 10, after });
        expect(data).toBeNull();
        expect(errors?.[0]?.extensions?.code, after).toBe('BAD_USER_INPUT');
      }
    });

    it('a cursor of a deleted row still continues after it', async () => {
      const doomed = await seedAdvertiser(network.id, { name: 'Doomed', broadstreetId: null });
      await seedAdvertiser(network.id, { name: 'After Doomed' });
      const all = (await t.graphql(LIST, { first: 100 })).data!.advertisers;
      const cursor = all.edges.find((e: { node: { name: string } }) => e.node.name === 'Doomed').cursor;
      await db().advertiser.delete({ where: { id: doomed.id } });
      const { data } = await t.graphql(LIST, { first: 10, after: cursor });
      expect(names(data!.advertisers)).toEqual(['After Doomed']);
    });

    it('refuses a cursor that is not one of this list', async () => {
      const result = await t.graphql(LIST, { after: 'bm90IGEgY3Vyc29y' });
      expect(result.errors?.[0]?.message).toMatch(/Invalid cursor/);
    });

    it('refuses a page size over 500, or negative, with a clear error — never a crash', async () => {
      for (const first of [1_000_000, 501, -1]) {
        const result = await t.graphql(LIST, { first });
        expect(result.data?.advertisers ?? null).toBeNull();
        expect(result.errors?.[0]?.message).toMatch(first < 0 ? /first: must not be negative/ : /first: must be at most 500/);
      }
      const ok = await t.graphql(LIST, { first: 500 });
      expect(ok.errors).toBeUndefined();
    });

    it('refuses a search over 255 characters and a 10,000-character one', async () => {
      for (const search of ['s'.repeat(256), 's'.repeat(10_000)]) {
        const result = await t.graphql(LIST, { search });
        expect(result.errors?.[0]?.message).toMatch(/search: must be at most 255 characters/);
      }
    });

    it('refuses an unknown network with a clear error', async () => {
      const result = await t.graphql('{ advertisers(networkId: 4040) { totalCount } }');
      expect(result.errors?.[0]).toMatchObject({
        message: expect.stringMatching(/network 4040 is not in the local database/),
        extensions: { code: 'NOT_FOUND' },
      });
    });

    it('finds one advertiser by either id, and answers null for an unknown one', async () => {
      const row = await seedAdvertiser(network.id, { name: 'Lookup' });
      const query = 'query ($ref: EntityRef!) { advertiser(ref: $ref) { name mongoId broadstreetId } }';
      const byMongo = await t.graphql(query, { ref: { mongoId: row.mongoId } });
      const byBroadstreet = await t.graphql(query, { ref: { broadstreetId: row.broadstreetId } });
      expect(byMongo.data!.advertiser).toEqual({ name: 'Lookup', mongoId: row.mongoId, broadstreetId: row.broadstreetId });
      expect(byBroadstreet.data).toEqual(byMongo.data);
      expect((await t.graphql(query, { ref: { broadstreetId: 1 } })).data).toEqual({ advertiser: null });
    });

    it('refuses a broadstreetId that names advertisers in two networks, asking for the mongoId', async () => {
      const other = await db().network.findUniqueOrThrow({ where: { broadstreetId: 86 } });
      await seedAdvertiser(network.id, { broadstreetId: 5555 });
      await seedAdvertiser(other.id, { broadstreetId: 5555 });
      const result = await t.graphql('{ advertiser(ref: { broadstreetId: 5555 }) { name } }');
      expect(result.errors?.[0]?.message).toMatch(/ref\.broadstreetId: names advertisers in more than one network; name it by mongoId/);
    });
  });

  describe('children, parents and nodes', () => {
    let advertiser: Awaited<ReturnType<typeof seedAdvertiser>>;
    let campaigns: Awaited<ReturnType<typeof seedCampaign>>[];
    let zone: Awaited<ReturnType<typeof seedZone>>;

    beforeAll(async () => {
      advertiser = await seedAdvertiser(network.id, { name: 'Parent' });
      campaigns = [
        await seedCampaign(advertiser, { name: 'C1' }),
        await seedCampaign(advertiser, { name: 'C2', broadstreetId: null }),
        await seedCampaign(advertiser, { name: 'C3' }),
      ];
      zone = await seedZone(network.id, { name: 'Z' });
      const ad = await seedAdvertisement(advertiser, { name: 'Ad' });
      for (const campaign of campaigns)
        await seedPlacement({ campaign, advertisement: ad, zone }, { synced: campaign.broadstreetId !== null });
    });

    it('lists an advertiser’s campaigns and their placements as connections', async () => {
      const { data } = await t.graphql(
        `query ($ref: EntityRef!) { advertiser(ref: $ref) {
          campaigns(first: 2) { totalCount pageInfo { hasNextPage }
            edges { node { name placements { totalCount edges { node { zone { name } } } } } } }
          advertisements { totalCount edges { node { name advertiser { name } } } }
        } }`,
        { ref: { mongoId: advertiser.mongoId } },
      );
      expect(data!.advertiser.campaigns.totalCount).toBe(3);
      expect(data!.advertiser.campaigns.pageInfo.hasNextPage).toBe(true);
      expect(names(data!.advertiser.campaigns)).toEqual(['C1', 'C2']);
      expect(data!.advertiser.campaigns.edges[0].node.placements).toEqual({ totalCount: 1, edges: [{ node: { zone: { name: 'Z' } } }] });
      expect(data!.advertiser.advertisements).toEqual({ totalCount: 1, edges: [{ node: { name: 'Ad', advertiser: { name: 'Parent' } } }] });
    });

    it('filters campaigns by advertiser and placements by campaign, zone and sync state', async () => {
      const byAdvertiser = await t.graphql('query ($a: EntityRef) { campaigns(networkId: 85, advertiser: $a) { totalCount } }', {
        a: { broadstreetId: advertiser.broadstreetId },
      });
      expect(byAdvertiser.data!.campaigns.totalCount).toBe(3);
      const placements = await t.graphql(
        `query ($c: EntityRef, $z: EntityRef, $s: SyncState) {
          placements(networkId: 85, campaign: $c, zone: $z, syncState: $s) { totalCount edges { node { campaign { name } } } }
        }`,
        { z: { mongoId: zone.mongoId }, s: 'LOCAL' },
      );
      expect(placements.data!.placements).toEqual({ totalCount: 1, edges: [{ node: { campaign: { name: 'C2' } } }] });
      const byCampaign = await t.graphql('query ($c: EntityRef) { placements(networkId: 85, campaign: $c) { totalCount } }', {
        c: { broadstreetId: campaigns[0]!.broadstreetId },
      });
      expect(byCampaign.data!.placements.totalCount).toBe(1);
    });

    it('refuses a parent filter that names nothing in the network', async () => {
      const result = await t.graphql('{ campaigns(networkId: 86, advertiser: { broadstreetId: 1 }) { totalCount } }');
      expect(result.errors?.[0]?.message).toMatch(/no advertiser with broadstreetId 1 in this network/);
    });

    it('resolves node(id) for every entity type', async () => {
      const { data } = await t.graphql(`query ($c: EntityRef!) { campaign(ref: $c) { id } }`, { c: { mongoId: campaigns[1]!.mongoId } });
      const node = await t.graphql(
        'query ($id: ID!) { node(id: $id) { __typename id ... on Campaign { name mongoId broadstreetId advertiser { name } } } }',
        { id: data!.campaign.id },
      );
      expect(node.data!.node).toEqual({
        __typename: 'Campaign',
        id: data!.campaign.id,
        name: 'C2',
        mongoId: campaigns[1]!.mongoId,
        broadstreetId: null,
        advertiser: { name: 'Parent' },
      });
      const ids = ['Network', 'Advertiser', 'Zone', 'Advertisement', 'Placement'].map((type) =>
        Buffer.from(`${type}:1`).toString('base64'),
      );
      const nodes = await t.graphql('query ($ids: [ID!]!) { nodes(ids: $ids) { __typename ... on SyncedEntity { mongoId } } }', { ids });
      expect(nodes.data!.nodes.map((n: { __typename: string }) => n.__typename)).toEqual([
        'Network',
        'Advertiser',
        'Zone',
        'Advertisement',
        'Placement',
      ]);
    });

    it('lists a network’s advertisers and zones as connections', async () => {
      const { data } = await t.graphql(
        '{ networks { broadstreetId advertisers(first: 1) { totalCount } zones { totalCount edges { node { name } } } } }',
      );
      const main = data!.networks.find((n: { broadstreetId: number }) => n.broadstreetId === 85);
      expect(main.advertisers.totalCount).toBe(await db().advertiser.count({ where: { networkId: network.id } }));
      expect(main.zones.totalCount).toBe(await db().zone.count({ where: { networkId: network.id } }));
    });
  });
});
