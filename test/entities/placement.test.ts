import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '../helpers/db.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { databaseSkipReason, TEST_PROVIDER } from '../helpers/database.ts';
import { seedAdvertisement, seedAdvertiser, seedCampaign, seedNetwork, seedPlacement, seedZone } from '../helpers/seed.ts';

const skip = databaseSkipReason();
if (skip) console.warn(`skipped: ${skip}`);

const ERRORS = '__typename ... on Error { message } ... on ValidationError { fieldErrors { path message } }';
const IDS = 'id mongoId broadstreetId';
const PLACEMENT = `${IDS} createdLocally syncedAt restrictions
  campaign { ${IDS} name advertiser { ${IDS} } }
  advertisement { ${IDS} name }
  zone { ${IDS} name }
  network { broadstreetId }`;
const CREATE =
  `mutation ($input: CreatePlacementInput!) { createPlacement(input: $input) { ${ERRORS} ... on ` +
  `CreatePlacementPayload { placement { ${PLACEMENT} } } } }`;
const UPDATE =
  `mutation ($input: UpdatePlacementInput!) { updatePlacement(input: $input) { ${ERRORS} ... on ` +
  `UpdatePlacementPayload { placement { mongoId restrictions } } } }`;
const DELETE =
  `mutation ($input: DeletePlacementInput!) { deletePlacement(input: $input) { ${ERRORS} ... on ` +
  `DeletePlacementPayload { deletedId mongoId } } }`;

const relayId = (type: string, id: number) => Buffer.from(`${type}:${id}`).toString('base64');

describe.skipIf(!!skip)(`placement mutations on ${TEST_PROVIDER}`, () => {
  let t: TestApp;
  let network: { id: number };
  let advertiser: Awaited<ReturnType<typeof seedAdvertiser>>;
  let advertisement: Awaited<ReturnType<typeof seedAdvertisement>>;
  const count = () => db().placement.count();

  beforeAll(async () => {
    t = await startTestApp();
    network = await seedNetwork(85);
    advertiser = await seedAdvertiser(network.id);
    advertisement = await seedAdvertisement(advertiser, { name: 'Banner 300x250' });
  });
  afterAll(() => t?.stop());

  async function localParents() {
    const localAdvertiser = await seedAdvertiser(network.id, { broadstreetId: null });
    const campaign = await seedCampaign(localAdvertiser, { broadstreetId: null, name: 'Local campaign' });
    const zone = await seedZone(network.id, { broadstreetId: null, name: 'Local zone' });
    return { localAdvertiser, campaign, zone };
  }

  it(
    'creates a placement of a local campaign and zone (by mongoId) and a synced advertisement (by ' +
      'broadstreetId); it reads back with all three parents and both ids of each',
    async () => {
      const { localAdvertiser, campaign, zone } = await localParents();
      const { data } = await t.graphql(CREATE, {
        input: {
          campaign: { mongoId: campaign.mongoId },
          advertisementId: advertisement.broadstreetId,
          zone: { mongoId: zone.mongoId },
          restrictions: [' mobile ', 'desktop'],
        },
      });
      const placement = data!.createPlacement.placement;
      expect(placement).toEqual({
        id: expect.any(String),
        mongoId: expect.stringMatching(/^[0-9a-f]{24}$/),
        broadstreetId: null,
        createdLocally: true,
        syncedAt: null,
        restrictions: ['mobile', 'desktop'],
        campaign: {
          id: relayId('Campaign', campaign.id),
          mongoId: campaign.mongoId,
          broadstreetId: null,
          name: 'Local campaign',
          advertiser: { id: relayId('Advertiser', localAdvertiser.id), mongoId: localAdvertiser.mongoId, broadstreetId: null },
        },
        advertisement: {
          id: relayId('Advertisement', advertisement.id),
          mongoId: advertisement.mongoId,
          broadstreetId: advertisement.broadstreetId,
          name: 'Banner 300x250',
        },
        zone: { id: relayId('Zone', zone.id), mongoId: zone.mongoId, broadstreetId: null, name: 'Local zone' },
        network: { broadstreetId: 85 },
      });
      expect(await db().placement.findUniqueOrThrow({ where: { mongoId: placement.mongoId } })).toMatchObject({
        networkId: network.id,
        campaignId: campaign.id,
        advertisementId: advertisement.id,
        zoneId: zone.id,
        restrictions: ['mobile', 'desktop'],
        syncedAt: null,
        createdLocally: true,
      });
      const read = await t.graphql(`query ($m: String!) { placement(mongoId: $m) { ${PLACEMENT} } }`, { m: placement.mongoId });
      expect(read.data!.placement).toEqual(placement);
    },
  );

  it('refuses a triple that is already placed with ConflictError and writes nothing', async () => {
    const campaign = await seedCampaign(advertiser);
    const zone = await seedZone(network.id);
    const existing = await seedPlacement({ campaign, advertisement, zone });
    const before = await count();
    const { data } = await t.graphql(CREATE, {
      input: {
        campaign: { broadstreetId: campaign.broadstreetId },
        advertisementId: advertisement.broadstreetId,
        zone: { broadstreetId: zone.broadstreetId },
      },
    });
    expect(data!.createPlacement).toEqual({ __typename: 'ConflictError', message: expect.stringContaining(existing.mongoId) });
    expect(await count()).toBe(before);
  });

  it.each([
    ['campaign', (p: Parents) => ({ ...p, campaign: { mongoId: 'b'.repeat(24) } }), 'CAMPAIGN'],
    ['advertisement', (p: Parents) => ({ ...p, advertisementId: 777_777 }), 'ADVERTISEMENT'],
    ['zone', (p: Parents) => ({ ...p, zone: { broadstreetId: 777_777 } }), 'ZONE'],
  ])('refuses an unknown %s with NotFoundError and writes nothing', async (_which, change, entityType) => {
    const { campaign, zone } = await localParents();
    const before = await count();
    const input = change({
      campaign: { mongoId: campaign.mongoId },
      advertisementId: advertisement.broadstreetId!,
      zone: { mongoId: zone.mongoId },
    });
    const { data } = await t.graphql(
      CREATE.replace('... on Error { message }', '... on Error { message } ... on NotFoundError { entityType }'),
      { input },
    );
    expect(data!.createPlacement).toMatchObject({ __typename: 'NotFoundError', entityType });
    expect(await count()).toBe(before);
  });

  it('refuses a zone of another network with a field error and writes nothing', async () => {
    const other = await seedNetwork(86);
    const foreignZone = await seedZone(other.id);
    const { campaign } = await localParents();
    const before = await count();
    const { data } = await t.graphql(CREATE, {
      input: {
        campaign: { mongoId: campaign.mongoId },
        advertisementId: advertisement.broadstreetId,
        zone: { mongoId: foreignZone.mongoId },
      },
    });
    expect(data!.createPlacement).toMatchObject({
      __typename: 'ValidationError',
      fieldErrors: [{ path: ['input', 'zone'], message: expect.stringMatching(/another network than the campaign/) }],
    });
    expect(await count()).toBe(before);
  });

  it('refuses an advertisement Broadstreet no longer has', async () => {
    const gone = await seedAdvertisement(advertiser, { removedAt: new Date() });
    const { campaign, zone } = await localParents();
    const { data } = await t.graphql(CREATE, {
      input: { campaign: { mongoId: campaign.mongoId }, advertisementId: gone.broadstreetId, zone: { mongoId: zone.mongoId } },
    });
    expect(data!.createPlacement).toMatchObject({ __typename: 'ValidationError', fieldErrors: [{ path: ['input', 'advertisementId'] }] });
  });

  it('accepts 1,000 restrictions and stores them all', async () => {
    const { campaign, zone } = await localParents();
    const restrictions = Array.from({ length: 1_000 }, (_, i) => `r${i}`);
    const { data } = await t.graphql(CREATE, {
      input: {
        campaign: { mongoId: campaign.mongoId },
        advertisementId: advertisement.broadstreetId,
        zone: { mongoId: zone.mongoId },
        restrictions,
      },
    });
    expect(data!.createPlacement.placement.restrictions).toEqual(restrictions);
    const row = await db().placement.findUniqueOrThrow({ where: { mongoId: data!.createPlacement.placement.mongoId } });
    expect(row.restrictions).toEqual(restrictions);
  });

  it.each([
    ['1,001 restrictions', Array.from({ length: 1_001 }, (_, i) => `r${i}`), ['input', 'restrictions'], /at most 1000/],
    ['an empty restriction', ['ok', '  '], ['input', 'restrictions', '1'], /empty/],
    ['a 256-character restriction', ['x'.repeat(256)], ['input', 'restrictions', '0'], /at most 255/],
  ])('refuses %s and writes nothing', async (_what, restrictions, path, message) => {
    const { campaign, zone } = await localParents();
    const before = await count();
    const { data } = await t.graphql(CREATE, {
      input: {
        campaign: { mongoId: campaign.mongoId },
        advertisementId: advertisement.broadstreetId,
        zone: { mongoId: zone.mongoId },
        restrictions,
      },
    });
    expect(data!.createPlacement).toMatchObject({
      __typename: 'ValidationError',
      fieldErrors: [{ path, message: expect.stringMatching(message) }],
    });
    expect(await count()).toBe(before);
  });

  it('replaces the restrictions of a local placement, and refuses a synced one', async () => {
    const { campaign, zone } = await localParents();
    const local = await seedPlacement({ campaign, advertisement, zone }, { synced: false });
    const { data } = await t.graphql(UPDATE, { input: { mongoId: local.mongoId, restrictions: ['tablet'] } });
    expect(data!.updatePlacement.placement).toEqual({ mongoId: local.mongoId, restrictions: ['tablet'] });
    expect((await db().placement.findUniqueOrThrow({ where: { id: local.id } })).restrictions).toEqual(['tablet']);

    const synced = await seedPlacement({ campaign: await seedCampaign(advertiser), advertisement, zone: await seedZone(network.id) });
    const changed = await t.graphql(UPDATE, { input: { mongoId: synced.mongoId, restrictions: ['mobile'] } });
    expect(changed.data!.updatePlacement.placement).toEqual({ mongoId: synced.mongoId, restrictions: ['mobile'] });
    expect(await db().placement.findUniqueOrThrow({ where: { id: synced.id } })).toMatchObject({
      restrictions: ['mobile'],
      base: { restrictions: [] },
    });
  });

  it('deletes a local placement and refuses a synced one, an unknown one and a malformed id', async () => {
    const { campaign, zone } = await localParents();
    const local = await seedPlacement({ campaign, advertisement, zone }, { synced: false });
    const deleted = await t.graphql(DELETE, { input: { mongoId: local.mongoId } });
    expect(deleted.data!.deletePlacement).toEqual({
      __typename: 'DeletePlacementPayload',
      deletedId: relayId('Placement', local.id),
      mongoId: local.mongoId,
    });
    expect(await db().placement.findUnique({ where: { id: local.id } })).toBeNull();

    const synced = await seedPlacement({ campaign: await seedCampaign(advertiser), advertisement, zone: await seedZone(network.id) });
    expect((await t.graphql(DELETE, { input: { mongoId: synced.mongoId } })).data!.deletePlacement.__typename).toBe(
      'DeletePlacementPayload',
    );
    expect((await db().placement.findUniqueOrThrow({ where: { id: synced.id } })).deletedAt).not.toBeNull();
    expect((await t.graphql(DELETE, { input: { mongoId: 'c'.repeat(24) } })).data!.deletePlacement.__typename).toBe('NotFoundError');
    expect((await t.graphql(DELETE, { input: { mongoId: 'nope' } })).data!.deletePlacement).toMatchObject({
      __typename: 'ValidationError',
      fieldErrors: [{ path: ['input', 'mongoId'] }],
    });
  });
});

interface Parents {
  campaign: { mongoId?: string; broadstreetId?: number };
  advertisementId: number;
  zone: { mongoId?: string; broadstreetId?: number };
}
