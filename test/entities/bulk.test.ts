// Bulk mutations, all or none: createPlacements (one campaign's ad in many
// zones) and deleteLocalEntities; a refused item refuses the batch, named
// with its typed error, and nothing is written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '../helpers/db.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { databaseSkipReason, TEST_PROVIDER } from '../helpers/database.ts';
import { seedAdvertisement, seedAdvertiser, seedCampaign, seedNetwork, seedPlacement, seedZone } from '../helpers/seed.ts';

const skip = databaseSkipReason();
if (skip) console.warn(`skipped: ${skip}`);

const REFUSED =
  `... on BatchRefusedError { message refused { index broadstreetId mongoId error { __typename message ` +
  `... on NotFoundError { entityType } } } }`;
const ERRORS = `__typename ... on Error { message } ... on ValidationError { fieldErrors { path message } } ${REFUSED}`;
const CREATE = `mutation ($input: CreatePlacementsInput!) { createPlacements(input: $input) {
  ${ERRORS} ... on CreatePlacementsPayload { placements { mongoId restrictions createdLocally campaign { mongoId }
    advertisement { broadstreetId } zone { mongoId broadstreetId } } } } }`;
const DELETE = `mutation ($input: DeleteLocalEntitiesInput!) { deleteLocalEntities(input: $input) {
  ${ERRORS} ... on DeleteLocalEntitiesPayload { deleted { deletedId mongoId entityType } } } }`;

describe.skipIf(!!skip)(`bulk mutations on ${TEST_PROVIDER}`, () => {
  let t: TestApp;
  let network: { id: number };
  let advertisement: Awaited<ReturnType<typeof seedAdvertisement>>;
  let campaign: Awaited<ReturnType<typeof seedCampaign>>;
  let zones: Awaited<ReturnType<typeof seedZone>>[];

  beforeAll(async () => {
    t = await startTestApp();
    network = await seedNetwork(85);
    const advertiser = await seedAdvertiser(network.id);
    advertisement = await seedAdvertisement(advertiser);
    campaign = await seedCampaign(advertiser, { broadstreetId: null, name: 'Bulk campaign' });
    zones = [];
    // Half synced (named by broadstreetId), half local (named by mongoId).
    for (let i = 0; i < 20; i++)
      zones.push(await seedZone(network.id, i % 2 ? { broadstreetId: null, name: `Local zone ${i}` } : { name: `Zone ${i}` }));
  });
  afterAll(() => t?.stop());

  const refOf = (zone: (typeof zones)[number]) =>
    zone.broadstreetId != null ? { broadstreetId: zone.broadstreetId } : { mongoId: zone.mongoId };
  const input = (zoneRefs: object[], restrictions = ['mobile']) => ({
    campaign: { mongoId: campaign.mongoId },
    advertisementId: advertisement.broadstreetId,
    zones: zoneRefs,
    restrictions,
  });

  it('one bad zone refuses the whole batch, named with its typed error; nothing is written', async () => {
    const other = await seedNetwork();
    const foreign = await seedZone(other.id, { broadstreetId: null, name: 'Zone of another network' });
    const refs = [...zones.slice(0, 18).map(refOf), { broadstreetId: 999_999 }, { mongoId: foreign.mongoId }];
    const { data, errors } = await t.graphql(CREATE, { input: input(refs) });
    expect(errors).toBeUndefined();
    expect(data!.createPlacements).toMatchObject({
      __typename: 'BatchRefusedError',
      message: expect.stringContaining('2 of 20 zones were refused (at 18, 19); nothing was written'),
    });
    expect(data!.createPlacements.refused).toEqual([
      {
        index: 18,
        broadstreetId: 999_999,
        mongoId: null,
        error: { __typename: 'NotFoundError', message: 'no zone with broadstreetId 999999 in this network', entityType: 'ZONE' },
      },
      {
        index: 19,
        broadstreetId: null,
        mongoId: foreign.mongoId,
        error: { __typename: 'ValidationError', message: expect.stringContaining('in another network than the campaign') },
      },
    ]);
    expect(await db().placement.count()).toBe(0);

    // A zone named twice, or one already placed, is refused the same way.
    const placed = await seedPlacement({ campaign, advertisement, zone: zones[5]! }, { synced: false });
    const again = await t.graphql(CREATE, { input: input([refOf(zones[4]!), refOf(zones[5]!), refOf(zones[4]!)]) });
    expect(
      again.data!.createPlacements.refused.map((r: { index: number; error: { __typename: string } }) => [r.index, r.error.__typename]),
    ).toEqual([
      [1, 'ConflictError'],
      [2, 'ConflictError'],
    ]);
    expect(await db().placement.count()).toBe(1);
    await db().placement.delete({ where: { id: placed.id } });
  });

  it('refuses a batch-wide problem as a whole (an unknown campaign, bad restrictions, no zones)', async () => {
    const unknown = await t.graphql(CREATE, { input: { ...input(zones.map(refOf)), campaign: { mongoId: 'f'.repeat(24) } } });
    expect(unknown.data!.createPlacements).toMatchObject({ __typename: 'NotFoundError' });
    const badRestrictions = await t.graphql(CREATE, { input: input(zones.map(refOf), ['']) });
    expect(badRestrictions.data!.createPlacements.__typename).toBe('ValidationError');
    const none = await t.graphql(CREATE, { input: input([]) });
    expect(none.data!.createPlacements).toMatchObject({ __typename: 'ValidationError', fieldErrors: [{ path: ['input', 'zones'] }] });
    expect(await db().placement.count()).toBe(0);
  });

  it('places the ad in 20 zones in one call, in the order given', async () => {
    const { data } = await t.graphql(CREATE, { input: input(zones.map(refOf)) });
    const placements = data!.createPlacements.placements as { mongoId: string; zone: { mongoId: string } }[];
    expect(data!.createPlacements.__typename).toBe('CreatePlacementsPayload');
    expect(placements.map((p) => p.zone.mongoId)).toEqual(zones.map((z) => z.mongoId));
    expect(placements[0]).toMatchObject({
      restrictions: ['mobile'],
      createdLocally: true,
      campaign: { mongoId: campaign.mongoId },
      advertisement: { broadstreetId: advertisement.broadstreetId },
    });
    const stored = await db().placement.findMany({ where: { campaignId: campaign.id }, orderBy: { id: 'asc' } });
    expect(stored.map((p) => p.mongoId)).toEqual(placements.map((p) => p.mongoId));
    expect(stored.every((p) => p.syncedAt === null && p.advertisementId === advertisement.id)).toBe(true);
  });

  it('deletes local-only entities by mongoId, all or none', async () => {
    const placements = await db().placement.findMany({ where: { campaignId: campaign.id }, orderBy: { id: 'asc' } });
    const synced = await seedPlacement({ campaign, advertisement, zone: (await seedZone(network.id))! });
    const refused = await t.graphql(DELETE, {
      input: { entityType: 'PLACEMENT', mongoIds: [...placements.map((p) => p.mongoId), synced.mongoId, 'a'.repeat(24)] },
    });
    expect(refused.data!.deleteLocalEntities.__typename).toBe('BatchRefusedError');
    expect(
      refused.data!.deleteLocalEntities.refused.map((r: { index: number; error: { __typename: string } }) => [r.index, r.error.__typename]),
    ).toEqual([
      [20, 'ReadOnlyError'],
      [21, 'NotFoundError'],
    ]);
    expect(await db().placement.count({ where: { campaignId: campaign.id } })).toBe(21);

    // A zone with a placement cannot go (deleting never cascades).
    const withChild = await t.graphql(DELETE, { input: { entityType: 'ZONE', mongoIds: [zones[1]!.mongoId] } });
    expect(withChild.data!.deleteLocalEntities.refused[0].error.__typename).toBe('DependencyError');

    const { data } = await t.graphql(DELETE, { input: { entityType: 'PLACEMENT', mongoIds: placements.map((p) => p.mongoId) } });
    expect(data!.deleteLocalEntities.deleted.map((d: { mongoId: string }) => d.mongoId)).toEqual(placements.map((p) => p.mongoId));
    expect(data!.deleteLocalEntities.deleted[0]).toMatchObject({
      entityType: 'PLACEMENT',
      deletedId: Buffer.from(`Placement:${placements[0]!.id}`).toString('base64'),
    });
    expect(await db().placement.findMany({ where: { campaignId: campaign.id } })).toEqual([synced]);
    const localZones = zones.filter((z) => z.broadstreetId == null).map((z) => z.mongoId);
    const deletedZones = await t.graphql(DELETE, { input: { entityType: 'ZONE', mongoIds: localZones } });
    expect(deletedZones.data!.deleteLocalEntities.deleted).toHaveLength(10);
    expect(await db().zone.count({ where: { mongoId: { in: localZones } } })).toBe(0);
  });
});
