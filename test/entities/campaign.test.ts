import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '../helpers/db.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { databaseSkipReason, TEST_PROVIDER } from '../helpers/database.ts';
import { seedAdvertisement, seedAdvertiser, seedCampaign, seedNetwork, seedPlacement, seedZone } from '../helpers/seed.ts';

const skip = databaseSkipReason();
if (skip) console.warn(`skipped: ${skip}`);

const ERRORS = '__typename ... on Error { message } ... on ValidationError { fieldErrors { path message } }';
const CAMPAIGN = `mongoId broadstreetId createdLocally name startDate endDate weight paused archived displayType pacingType
  impressionMaxType maxImpressionCount notes advertiser { mongoId broadstreetId } network { broadstreetId }`;
const CREATE =
  `mutation ($input: CreateCampaignInput!) { createCampaign(input: $input) { ${ERRORS} ... on ` +
  `CreateCampaignPayload { campaign { ${CAMPAIGN} } } } }`;
const UPDATE =
  `mutation ($input: UpdateCampaignInput!) { updateCampaign(input: $input) { ${ERRORS} ... on ` +
  `UpdateCampaignPayload { campaign { ${CAMPAIGN} } } } }`;
const DELETE =
  `mutation ($input: DeleteCampaignInput!) { deleteCampaign(input: $input) { ${ERRORS} ... on ` +
  `DeleteCampaignPayload { deletedId mongoId } } }`;

describe.skipIf(!!skip)(`campaign mutations on ${TEST_PROVIDER}`, () => {
  let t: TestApp;
  let network: { id: number };
  let synced: Awaited<ReturnType<typeof seedAdvertiser>>;
  const count = () => db().campaign.count();

  beforeAll(async () => {
    t = await startTestApp();
    network = await seedNetwork(85);
    synced = await seedAdvertiser(network.id);
  });
  afterAll(() => t?.stop());

  it('creates a campaign for a synced advertiser named by broadstreetId, with the documented defaults', async () => {
    const { data } = await t.graphql(CREATE, { input: { advertiser: { broadstreetId: synced.broadstreetId }, name: 'Spring' } });
    const campaign = data!.createCampaign.campaign;
    expect(campaign).toMatchObject({
      name: 'Spring',
      broadstreetId: null,
      createdLocally: true,
      weight: 1,
      displayType: 'no_repeat',
      pacingType: 'asap',
      impressionMaxType: 'cap',
      paused: false,
      archived: false,
      startDate: null,
      endDate: null,
      advertiser: { mongoId: synced.mongoId, broadstreetId: synced.broadstreetId },
      network: { broadstreetId: 85 },
    });
    expect(await db().campaign.findUniqueOrThrow({ where: { mongoId: campaign.mongoId } })).toMatchObject({
      advertiserId: synced.id,
      networkId: network.id,
      weight: 1,
      displayType: 'no_repeat',
    });
  });

  it('creates a campaign for a local advertiser named by mongoId, storing every field given', async () => {
    const local = await seedAdvertiser(network.id, { broadstreetId: null });
    const input = {
      advertiser: { mongoId: local.mongoId },
      name: 'Summer',
      startDate: '2026-06-01',
      endDate: '2026-06-01',
      weight: 1.5,
      paused: true,
      displayType: 'allow_repeat_campaign',
      pacingType: 'even',
      impressionMaxType: 'goal',
      maxImpressionCount: 10_000,
      notes: 'n',
    };
    const { data } = await t.graphql(CREATE, { input });
    const { advertiser: _ref, ...fields } = input;
    expect(data!.createCampaign.campaign).toMatchObject({ ...fields, advertiser: { mongoId: local.mongoId, broadstreetId: null } });
    expect(await db().campaign.findUniqueOrThrow({ where: { mongoId: data!.createCampaign.campaign.mongoId } })).toMatchObject({
      ...fields,
      advertiserId: local.id,
      networkId: network.id,
    });
  });

  it.each([
    [
      'an end date before the start date',
      { startDate: '2026-06-02', endDate: '2026-06-01' },
      ['input', 'endDate'],
      /not be before startDate \(2026-06-02\)/,
    ],
    ['a weight of zero', { weight: 0 }, ['input', 'weight'], /positive/],
    ['a negative weight', { weight: -1 }, ['input', 'weight'], /positive/],
    ['a weight above 127', { weight: 128 }, ['input', 'weight'], /at most 127/],
    ['a null weight (leave it out for the default)', { weight: null }, ['input', 'weight'], /must be a number/],
    ['an empty name', { name: ' ' }, ['input', 'name'], /empty/],
    ['an unknown display type', { displayType: 'sometimes' }, ['input', 'displayType'], /one of no_repeat/],
    ['an unknown pacing type', { pacingType: 'fast' }, ['input', 'pacingType'], /one of asap, even/],
    ['a negative impression count', { maxImpressionCount: -5 }, ['input', 'maxImpressionCount'], /negative/],
  ])('refuses %s with a field error and writes nothing', async (_what, fields, path, message) => {
    const before = await count();
    const { data } = await t.graphql(CREATE, { input: { advertiser: { mongoId: synced.mongoId }, name: 'C', ...fields } });
    expect(data!.createCampaign).toMatchObject({
      __typename: 'ValidationError',
      fieldErrors: [{ path, message: expect.stringMatching(message) }],
    });
    expect(await count()).toBe(before);
  });

  it.each([['2026-02-30'], ['2026-13-01'], ['tomorrow'], ['2026-6-1']])(
    'refuses the date %s with a field error, writing nothing',
    async (date) => {
      const before = await count();
      const { data } = await t.graphql(CREATE, { input: { advertiser: { mongoId: synced.mongoId }, name: 'C', startDate: date } });
      expect(data!.createCampaign).toMatchObject({
        __typename: 'ValidationError',
        fieldErrors: [{ path: ['input', 'startDate'], message: 'must be a calendar date written YYYY-MM-DD' }],
      });
      expect(await count()).toBe(before);
    },
  );

  it('refuses a date that is not a string with a request error, writing nothing', async () => {
    const before = await count();
    const result = await t.graphql(CREATE, { input: { advertiser: { mongoId: synced.mongoId }, name: 'C', startDate: 20260101 } });
    expect(result.data).toBeUndefined();
    expect(result.errors?.[0]?.message).toMatch(/Date must be a string written YYYY-MM-DD/);
    expect(await count()).toBe(before);
  });

  it('refuses an unknown advertiser with NotFoundError and writes nothing', async () => {
    const before = await count();
    const { data } = await t.graphql(CREATE, { input: { advertiser: { broadstreetId: 99_999 }, name: 'C' } });
    expect(data!.createCampaign).toEqual({ __typename: 'NotFoundError', message: 'no advertiser with broadstreetId 99999' });
    expect(await count()).toBe(before);
  });

  it('refuses an advertiser that Broadstreet no longer has', async () => {
    const gone = await seedAdvertiser(network.id);
    await db().advertiser.update({ where: { id: gone.id }, data: { removedAt: new Date() } });
    const before = await count();
    const { data } = await t.graphql(CREATE, { input: { advertiser: { mongoId: gone.mongoId }, name: 'C' } });
    expect(data!.createCampaign).toMatchObject({
      __typename: 'ValidationError',
      fieldErrors: [{ path: ['input', 'advertiser'], message: expect.stringMatching(/removed from Broadstreet/) }],
    });
    expect(await count()).toBe(before);
  });

  it('updates a local campaign, checking the end date against the stored start date', async () => {
    const local = await seedCampaign(synced, { broadstreetId: null });
    await db().campaign.update({ where: { id: local.id }, data: { startDate: '2026-05-10' } });
    const refused = await t.graphql(UPDATE, { input: { campaign: { mongoId: local.mongoId }, endDate: '2026-05-01' } });
    expect(refused.data!.updateCampaign).toMatchObject({ __typename: 'ValidationError', fieldErrors: [{ path: ['input', 'endDate'] }] });
    expect((await db().campaign.findUniqueOrThrow({ where: { id: local.id } })).endDate).toBeNull();

    const { data } = await t.graphql(UPDATE, {
      input: { campaign: { mongoId: local.mongoId }, endDate: '2026-05-31', weight: 0.5, notes: null },
    });
    expect(data!.updateCampaign.campaign).toMatchObject({ startDate: '2026-05-10', endDate: '2026-05-31', weight: 0.5, notes: null });
    expect(await db().campaign.findUniqueOrThrow({ where: { id: local.id } })).toMatchObject({ endDate: '2026-05-31', weight: 0.5 });
  });

  it('updates a synced campaign (CHANGED) with the same rules as create, and marks it DELETING on delete', async () => {
    const remote = await seedCampaign(synced);
    const bad = await t.graphql(UPDATE, { input: { campaign: { broadstreetId: remote.broadstreetId }, weight: -1 } });
    expect(bad.data!.updateCampaign.__typename).toBe('ValidationError');
    expect(await db().campaign.findUniqueOrThrow({ where: { id: remote.id } })).toMatchObject({ weight: 1, base: null });
    const update = await t.graphql(UPDATE, { input: { campaign: { broadstreetId: remote.broadstreetId }, name: 'X', paused: true } });
    expect(update.data!.updateCampaign.__typename).toBe('UpdateCampaignPayload');
    expect(await db().campaign.findUniqueOrThrow({ where: { id: remote.id } })).toMatchObject({
      name: 'X',
      paused: true,
      base: expect.objectContaining({ name: remote.name, paused: false }),
    });
    const remove = await t.graphql(DELETE, { input: { campaign: { broadstreetId: remote.broadstreetId } } });
    expect(remove.data!.deleteCampaign.__typename).toBe('DeleteCampaignPayload');
    expect((await db().campaign.findUniqueOrThrow({ where: { id: remote.id } })).deletedAt).not.toBeNull();
  });

  it('deletes a local campaign, and refuses one with placements', async () => {
    const free = await seedCampaign(synced, { broadstreetId: null });
    const deleted = await t.graphql(DELETE, { input: { campaign: { mongoId: free.mongoId } } });
    expect(deleted.data!.deleteCampaign).toMatchObject({ __typename: 'DeleteCampaignPayload', mongoId: free.mongoId });
    expect(await db().campaign.findUnique({ where: { id: free.id } })).toBeNull();

    const busy = await seedCampaign(synced, { broadstreetId: null });
    await seedPlacement(
      { campaign: busy, advertisement: await seedAdvertisement(synced), zone: await seedZone(network.id) },
      { synced: false },
    );
    const refused = await t.graphql(DELETE, { input: { campaign: { mongoId: busy.mongoId } } });
    expect(refused.data!.deleteCampaign).toMatchObject({ __typename: 'DependencyError', message: expect.stringMatching(/1 placement/) });
    expect(await db().campaign.findUnique({ where: { id: busy.id } })).not.toBeNull();
  });
});
