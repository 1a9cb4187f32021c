import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '../helpers/db.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { databaseSkipReason, TEST_PROVIDER } from '../helpers/database.ts';
import { seedAdvertisement, seedAdvertiser, seedCampaign, seedNetwork, seedPlacement, seedZone } from '../helpers/seed.ts';

const skip = databaseSkipReason();
if (skip) console.warn(`skipped: ${skip}`);

const ERRORS = '__typename ... on Error { message } ... on ValidationError { fieldErrors { path message } }';
const ZONE = 'mongoId broadstreetId createdLocally name alias selfServe network { broadstreetId }';
const CREATE =
  `mutation ($input: CreateZoneInput!) { createZone(input: $input) { ${ERRORS} ... on ` + `CreateZonePayload { zone { ${ZONE} } } } }`;
const UPDATE =
  `mutation ($input: UpdateZoneInput!) { updateZone(input: $input) { ${ERRORS} ... on ` + `UpdateZonePayload { zone { ${ZONE} } } } }`;
const DELETE = `mutation ($input: DeleteZoneInput!) { deleteZone(input: $input) { ${ERRORS} ... on DeleteZonePayload { deletedId mongoId } } }`;

describe.skipIf(!!skip)(`zone mutations on ${TEST_PROVIDER}`, () => {
  let t: TestApp;
  let network: { id: number };

  beforeAll(async () => {
    t = await startTestApp();
    network = await seedNetwork(85);
  });
  afterAll(() => t?.stop());

  it('creates a local-only zone with defaults and stores it', async () => {
    const { data } = await t.graphql(CREATE, { input: { networkId: 85, name: 'Top banner', alias: ' top ' } });
    const zone = data!.createZone.zone;
    expect(zone).toMatchObject({
      name: 'Top banner',
      alias: 'top',
      selfServe: false,
      broadstreetId: null,
      createdLocally: true,
      network: { broadstreetId: 85 },
    });
    expect(await db().zone.findUniqueOrThrow({ where: { mongoId: zone.mongoId } })).toMatchObject({
      networkId: network.id,
      name: 'Top banner',
      alias: 'top',
      selfServe: false,
      broadstreetId: null,
    });
  });

  it.each([
    ['an empty name', { name: '' }, ['input', 'name']],
    ['a 256-character alias', { alias: 'a'.repeat(256) }, ['input', 'alias']],
  ])('refuses %s and writes nothing', async (_what, fields, path) => {
    const before = await db().zone.count();
    const { data } = await t.graphql(CREATE, { input: { networkId: 85, name: 'Z', ...fields } });
    expect(data!.createZone).toMatchObject({ __typename: 'ValidationError', fieldErrors: [{ path }] });
    expect(await db().zone.count()).toBe(before);
  });

  it('refuses an unknown network with NotFoundError and writes nothing', async () => {
    const before = await db().zone.count();
    const { data } = await t.graphql(CREATE, { input: { networkId: 7, name: 'Z' } });
    expect(data!.createZone.__typename).toBe('NotFoundError');
    expect(await db().zone.count()).toBe(before);
  });

  it('updates a local zone by mongoId and refuses a synced one', async () => {
    const local = await seedZone(network.id, { broadstreetId: null });
    const { data } = await t.graphql(UPDATE, { input: { zone: { mongoId: local.mongoId }, selfServe: true, alias: 'side' } });
    expect(data!.updateZone.zone).toMatchObject({ selfServe: true, alias: 'side', name: local.name });
    expect(await db().zone.findUniqueOrThrow({ where: { id: local.id } })).toMatchObject({ selfServe: true, alias: 'side' });

    const synced = await seedZone(network.id);
    const refused = await t.graphql(UPDATE, { input: { zone: { broadstreetId: synced.broadstreetId }, name: 'No', selfServe: true } });
    expect(refused.data!.updateZone).toMatchObject({ __typename: 'ValidationError', fieldErrors: [{ path: ['input', 'selfServe'] }] });
    expect((await db().zone.findUniqueOrThrow({ where: { id: synced.id } })).name).toBe(synced.name);
    const renamed = await t.graphql(UPDATE, { input: { zone: { broadstreetId: synced.broadstreetId }, name: 'Yes' } });
    expect(renamed.data!.updateZone.zone).toMatchObject({ name: 'Yes' });
    expect(await db().zone.findUniqueOrThrow({ where: { id: synced.id } })).toMatchObject({
      name: 'Yes',
      base: { name: synced.name, alias: null },
    });
  });

  it('refuses selfServe: null in an update (it is not optional)', async () => {
    const local = await seedZone(network.id, { broadstreetId: null });
    const { data } = await t.graphql(UPDATE, { input: { zone: { mongoId: local.mongoId }, selfServe: null } });
    expect(data!.updateZone).toMatchObject({ __typename: 'ValidationError', fieldErrors: [{ path: ['input', 'selfServe'] }] });
  });

  it('deletes a local zone, and refuses one that placements use', async () => {
    const free = await seedZone(network.id, { broadstreetId: null });
    const deleted = await t.graphql(DELETE, { input: { zone: { mongoId: free.mongoId } } });
    expect(deleted.data!.deleteZone).toMatchObject({ __typename: 'DeleteZonePayload', mongoId: free.mongoId });
    expect(await db().zone.findUnique({ where: { id: free.id } })).toBeNull();

    const used = await seedZone(network.id, { broadstreetId: null });
    const advertiser = await seedAdvertiser(network.id);
    await seedPlacement(
      { campaign: await seedCampaign(advertiser), advertisement: await seedAdvertisement(advertiser), zone: used },
      { synced: false },
    );
    const refused = await t.graphql(DELETE, { input: { zone: { mongoId: used.mongoId } } });
    expect(refused.data!.deleteZone).toEqual({ __typename: 'DependencyError', message: expect.stringMatching(/has 1 placement\(s\)/) });
    expect(await db().zone.findUnique({ where: { id: used.id } })).not.toBeNull();
  });
});
