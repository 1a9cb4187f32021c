// orderBy on entity lists (name, created, updated; both directions) with
// keyset cursors: pages across ties, rows inserted between pages neither
// repeat nor get skipped, a cursor of another ordering is BAD_USER_INPUT;
// hasSyncErrors; networksConnection beside the deprecated networks list.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newMongoId } from '../../src/domain/ids.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { databaseSkipReason, TEST_PROVIDER } from '../helpers/database.ts';
import { db } from '../helpers/db.ts';
import { seedAdvertisement, seedAdvertiser, seedCampaign, seedNetwork, seedPlacement, seedZone } from '../helpers/seed.ts';

const skip = databaseSkipReason();
if (skip) console.warn(`skipped: ${skip}`);

const NETWORK = 85;
const T0 = new Date('2026-03-01T00:00:00.000Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

interface Page {
  names: string[];
  endCursor: string | null;
  hasNextPage: boolean;
}

describe.skipIf(!!skip)(`orderBy and hasSyncErrors on ${TEST_PROVIDER}`, () => {
  let t: TestApp;
  let networkId: number;
  /** Zone ids by name, in the order they were created. */
  const zones: { id: number; name: string; mongoId: string }[] = [];

  beforeAll(async () => {
    t = await startTestApp();
    networkId = (await seedNetwork(NETWORK, 'Order Network')).id;
    // Names with ties (three "B", two "D"); created and updated at times that tie too.
    const rows = [
      ['D', 5, 1],
      ['B', 1, 9],
      ['A', 3, 3],
      ['B', 3, 3],
      ['E', 0, 7],
      ['D', 5, 1],
      ['B', 2, 2],
      ['C', 4, 4],
    ] as const;
    for (const [name, created, updated] of rows) {
      const zone = await seedZone(networkId, { name });
      await db().zone.update({ where: { id: zone.id }, data: { createdAt: at(created), updatedAt: at(updated) } });
      zones.push({ id: zone.id, name, mongoId: zone.mongoId });
    }
  });
  afterAll(() => t?.stop());

  async function page(orderBy: Record<string, unknown> | null, first: number, after?: string | null, list = 'zones'): Promise<Page> {
    const field =
      list === 'zones'
        ? `zones(networkId: ${NETWORK}, orderBy: $orderBy, first: $first, after: $after)`
        : `network(ref: { broadstreetId: ${NETWORK} }) { zones(orderBy: $orderBy, first: $first, after: $after)`;
    const close = list === 'zones' ? '' : ' }';
    const result = await t.graphql(
      `query ($orderBy: EntityOrder, $first: Int, $after: String) {
        ${field} { edges { cursor node { name } } pageInfo { endCursor hasNextPage } }${close} }`,
      { orderBy, first, after },
    );
    expect(result.errors).toBeUndefined();
    const connection = list === 'zones' ? result.data!.zones : result.data!.network.zones;
    return {
      names: connection.edges.map((e: { node: { name: string } }) => e.node.name),
      endCursor: connection.pageInfo.endCursor,
      hasNextPage: connection.pageInfo.hasNextPage,
    };
  }

  /** Every row, page by page. */
  async function walk(orderBy: Record<string, unknown> | null, first: number, list = 'zones'): Promise<string[]> {
    const all: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 20; i++) {
      const p = await page(orderBy, first, after, list);
      all.push(...p.names);
      if (!p.hasNextPage) return all;
      after = p.endCursor;
    }
    throw new Error('too many pages');
  }

  /** The expected order: by the key, ties by id, in the direction. */
  function expected(key: (z: { id: number; name: string }) => string | number, direction: 'ASC' | 'DESC'): string[] {
    const sorted = [...zones].sort((a, b) => {
      const ka = key(a);
      const kb = key(b);
      return ka < kb ? -1 : ka > kb ? 1 : a.id - b.id;
    });
    return (direction === 'ASC' ? sorted : sorted.reverse()).map((z) => z.name);
  }

  const createdOf = (z: { name: string; id: number }) => {
    const i = zones.findIndex((x) => x.id === z.id);
    return [5, 1, 3, 3, 0, 5, 2, 4][i]!;
  };
  const updatedOf = (z: { name: string; id: number }) => {
    const i = zones.findIndex((x) => x.id === z.id);
    return [1, 9, 3, 3, 7, 1, 2, 4][i]!;
  };

  it.each([
    ['NAME', 'ASC'],
    ['NAME', 'DESC'],
    ['CREATED_AT', 'ASC'],
    ['CREATED_AT', 'DESC'],
    ['UPDATED_AT', 'ASC'],
    ['UPDATED_AT', 'DESC'],
  ] as const)('orders by %s %s, ties broken by id, the same in pages of 1, 2 and 3 as in one page', async (field, direction) => {
    const key = field === 'NAME' ? (z: { name: string }) => z.name : field === 'CREATED_AT' ? createdOf : updatedOf;
    const want = expected(key, direction);
    const orderBy = { field, direction };
    expect(await walk(orderBy, 50)).toEqual(want);
    for (const size of [1, 2, 3]) expect(await walk(orderBy, size)).toEqual(want);
    // Network.zones takes the same ordering.
    expect(await walk(orderBy, 2, 'network')).toEqual(want);
  });

  it('without orderBy keeps creation order and its id cursors', async () => {
    expect(await walk(null, 3)).toEqual(zones.map((z) => z.name));
  });

  it('neither repeats nor skips a row when rows are inserted between pages', async () => {
    const orderBy = { field: 'NAME', direction: 'ASC' };
    const first = await page(orderBy, 4);
    expect(first.names).toEqual(['A', 'B', 'B', 'B']);
    // Inserted before the cursor (never shown in this walk) and after it (shown once, in place).
    const before = await seedZone(networkId, { name: 'AA' });
    const tie = await seedZone(networkId, { name: 'B' });
    const after = await seedZone(networkId, { name: 'CC' });
    try {
      const rest: string[] = [];
      let cursor = first.endCursor;
      for (;;) {
        const p = await page(orderBy, 2, cursor);
        rest.push(...p.names);
        if (!p.hasNextPage) break;
        cursor = p.endCursor;
      }
      // The new "B" has the highest id of the B's: it comes after the cursor, so it is shown.
      expect([...first.names, ...rest]).toEqual(['A', 'B', 'B', 'B', 'B', 'C', 'CC', 'D', 'D', 'E']);
    } finally {
      await db().zone.deleteMany({ where: { id: { in: [before.id, tie.id, after.id] } } });
    }
  });

  it('refuses a cursor of another ordering, or an id cursor with an ordering, as BAD_USER_INPUT', async () => {
    const byName = await page({ field: 'NAME', direction: 'ASC' }, 2);
    const plain = await page(null, 2);
    const query = `query ($orderBy: EntityOrder, $after: String) { zones(networkId: ${NETWORK}, orderBy: $orderBy, first: 2, after: $after) {
      edges { node { name } } } }`;
    for (const [orderBy, after] of [
      [{ field: 'NAME', direction: 'DESC' }, byName.endCursor],
      [{ field: 'CREATED_AT', direction: 'ASC' }, byName.endCursor],
      [null, byName.endCursor],
      [{ field: 'NAME', direction: 'ASC' }, plain.endCursor],
    ] as const) {
      const result = await t.graphql(query, { orderBy, after });
      expect(result.data?.zones ?? null).toBeNull();
      expect(result.errors?.[0]).toMatchObject({ message: expect.stringMatching(/cursor/), extensions: { code: 'BAD_USER_INPUT' } });
    }
  });

  it('hasSyncErrors: entities whose errors came after their last sync, on lists and on Network', async () => {
    const advertiser = await seedAdvertiser(networkId, { name: 'Errored Advertiser' });
    const healed = await seedAdvertiser(networkId, { name: 'Healed Advertiser' });
    const clean = await seedAdvertiser(networkId, { name: 'Clean Advertiser' });
    const run = await db().syncRun.create({
      data: { networkId: NETWORK, direction: 'EXPORT', status: 'PARTIAL', entityTypes: [], counts: {} },
    });
    const error = (mongoId: string, when: Date) => ({
      runId: run.id,
      entityType: 'ADVERTISER',
      mongoId,
      code: 'VALIDATION',
      message: 'refused',
      retryable: false,
      at: when,
    });
    await db().syncError.createMany({ data: [error(advertiser.mongoId, new Date()), error(healed.mongoId, at(-60))] });
    // Healed synced after its error; the errored one before it.
    await db().advertiser.update({ where: { id: healed.id }, data: { syncedAt: at(0) } });
    await db().advertiser.update({ where: { id: advertiser.id }, data: { syncedAt: at(-120) } });
    const names = async (hasSyncErrors: boolean) => {
      const result = await t.graphql(
        `query ($v: Boolean) { advertisers(networkId: ${NETWORK}, hasSyncErrors: $v) { totalCount edges { node { name } } }
          network(ref: { broadstreetId: ${NETWORK} }) { advertisers(hasSyncErrors: $v) { totalCount edges { node { name } } } } }`,
        { v: hasSyncErrors },
      );
      expect(result.errors).toBeUndefined();
      const top = result.data!.advertisers;
      expect(result.data!.network.advertisers).toEqual(top);
      expect(top.totalCount).toBe(top.edges.length);
      return top.edges.map((e: { node: { name: string } }) => e.node.name);
    };
    expect(await names(true)).toEqual(['Errored Advertiser']);
    expect(await names(false)).toEqual(expect.arrayContaining(['Healed Advertiser', 'Clean Advertiser']));
    expect(await names(false)).not.toContain('Errored Advertiser');
    void clean;
  });

  it('hasSyncErrors on zones, campaigns, advertisements and placements', async () => {
    const advertiser = await seedAdvertiser(networkId, { name: 'Parent' });
    const ad = await seedAdvertisement(advertiser, { name: 'Errored Ad' });
    const campaign = await seedCampaign(advertiser, { name: 'Errored Campaign' });
    const placement = await seedPlacement({ campaign, advertisement: ad, zone: zones[0]! });
    const run = await db().syncRun.create({
      data: { networkId: NETWORK, direction: 'EXPORT', status: 'PARTIAL', entityTypes: [], counts: {} },
    });
    const rows = [
      ['ZONE', zones[1]!.mongoId],
      ['CAMPAIGN', campaign.mongoId],
      ['ADVERTISEMENT', ad.mongoId],
      ['PLACEMENT', placement.mongoId],
    ] as const;
    await db().syncError.createMany({
      data: rows.map(([entityType, mongoId]) => ({ runId: run.id, entityType, mongoId, code: 'NETWORK', message: 'x', retryable: true })),
    });
    for (const model of ['zone', 'campaign', 'advertisement', 'placement'] as const) {
      await (db()[model] as unknown as { updateMany(a: object): Promise<unknown> }).updateMany({ data: { syncedAt: at(-1000) } });
    }
    const result = await t.graphql(`{
      zones(networkId: ${NETWORK}, hasSyncErrors: true) { edges { node { mongoId } } }
      campaigns(networkId: ${NETWORK}, hasSyncErrors: true) { edges { node { mongoId } } }
      advertisements(networkId: ${NETWORK}, hasSyncErrors: true) { edges { node { mongoId } } }
      placements(networkId: ${NETWORK}, hasSyncErrors: true) { edges { node { mongoId } } }
    }`);
    expect(result.errors).toBeUndefined();
    const ids = (list: string) => result.data![list].edges.map((e: { node: { mongoId: string } }) => e.node.mongoId);
    expect(ids('zones')).toEqual([zones[1]!.mongoId]);
    expect(ids('campaigns')).toEqual([campaign.mongoId]);
    expect(ids('advertisements')).toEqual([ad.mongoId]);
    expect(ids('placements')).toEqual([placement.mongoId]);
  });

  it('networksConnection pages every network with totalCount and orderBy; the deprecated networks list still answers', async () => {
    await db().network.create({ data: { mongoId: newMongoId(), broadstreetId: 90, name: 'Alpha Network', syncedAt: new Date() } });
    const result = await t.graphql(`{
      byName: networksConnection(orderBy: { field: NAME, direction: ASC }, first: 1) {
        totalCount edges { node { broadstreetId name } } pageInfo { hasNextPage endCursor } }
      networks { broadstreetId }
    }`);
    expect(result.errors).toBeUndefined();
    expect(result.data!.byName).toMatchObject({
      totalCount: 2,
      edges: [{ node: { broadstreetId: 90, name: 'Alpha Network' } }],
      pageInfo: { hasNextPage: true },
    });
    const next = await t.graphql(
      `query ($after: String) { networksConnection(orderBy: { field: NAME, direction: ASC }, first: 1, after: $after) {
        edges { node { broadstreetId } } pageInfo { hasNextPage } } }`,
      { after: result.data!.byName.pageInfo.endCursor },
    );
    expect(next.data!.networksConnection).toEqual({ edges: [{ node: { broadstreetId: NETWORK } }], pageInfo: { hasNextPage: false } });
    expect(result.data!.networks).toEqual([{ broadstreetId: 90 }, { broadstreetId: NETWORK }]);
  });
});
