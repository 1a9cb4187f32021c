import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { db } from '../helpers/db.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { databaseSkipReason, TEST_PROVIDER } from '../helpers/database.ts';
import { seedAdvertiser, seedCampaign, seedNetwork } from '../helpers/seed.ts';

const skip = databaseSkipReason();
if (skip) console.warn(`skipped: ${skip}`);

const CREATE_RESULT = `
  __typename
  ... on Error { message }
  ... on ValidationError { fieldErrors { path message } }
  ... on NotFoundError { entityType }
`;
const RESULT = `${CREATE_RESULT} ... on ReadOnlyError { entityType mongoId }`;
const ADVERTISER = 'id mongoId broadstreetId createdLocally syncedAt name webHomeUrl notes admins { name email } network { broadstreetId }';

const CREATE = `mutation ($input: CreateAdvertiserInput!) {
  createAdvertiser(input: $input) { ${CREATE_RESULT} ... on CreateAdvertiserPayload { advertiser { ${ADVERTISER} } } }
}`;
const UPDATE = `mutation ($input: UpdateAdvertiserInput!) {
  updateAdvertiser(input: $input) { ${RESULT} ... on UpdateAdvertiserPayload { advertiser { ${ADVERTISER} } } }
}`;
const DELETE = `mutation ($input: DeleteAdvertiserInput!) {
  deleteAdvertiser(input: $input) { ${RESULT} ... on DeleteAdvertiserPayload { deletedId mongoId } }
}`;

describe.skipIf(!!skip)(`advertiser mutations on ${TEST_PROVIDER}`, () => {
  let t: TestApp;
  let network: { id: number };
  const count = () => db().advertiser.count();

  beforeAll(async () => {
    t = await startTestApp();
    network = await seedNetwork(85);
  });
  afterAll(() => t?.stop());

  describe('createAdvertiser', () => {
    it('creates a local-only advertiser in the network and stores exactly what it returns', async () => {
      const { data } = await t.graphql(CREATE, {
        input: {
          networkId: 85,
          name: '  Acme Corp ',
          webHomeUrl: 'https://acme.example.com/home',
          notes: 'first',
          admins: [],
        },
      });
      const advertiser = data!.createAdvertiser.advertiser;
      expect(data!.createAdvertiser.__typename).toBe('CreateAdvertiserPayload');
      expect(advertiser).toMatchObject({
        name: 'Acme Corp',
        broadstreetId: null,
        createdLocally: true,
        syncedAt: null,
        webHomeUrl: 'https://acme.example.com/home',
        notes: 'first',
        admins: [],
        network: { broadstreetId: 85 },
      });
      expect(advertiser.mongoId).toMatch(/^[0-9a-f]{24}$/);
      const row = await db().advertiser.findUniqueOrThrow({ where: { mongoId: advertiser.mongoId } });
      expect(row).toMatchObject({
        networkId: network.id,
        name: 'Acme Corp',
        broadstreetId: null,
        createdLocally: true,
        webHomeUrl: 'https://acme.example.com/home',
        admins: [],
      });
    });

    it("refuses admins, which Broadstreet's API cannot receive (issue 14 #6), and writes nothing", async () => {
      const before = await db().advertiser.count();
      const { data } = await t.graphql(CREATE, {
        input: { networkId: 85, name: 'With Admins', admins: [{ name: 'Ann', email: 'ann@acme.example.com' }] },
      });
      expect(data!.createAdvertiser).toMatchObject({
        __typename: 'ValidationError',
        fieldErrors: [{ path: ['input', 'admins'], message: expect.stringMatching(/cannot set an advertiser's admins/) }],
      });
      expect(await db().advertiser.count()).toBe(before);
    });

    it.each([
      ['an empty name', { name: '   ' }, ['input', 'name'], /must not be empty/],
      ['a 10,000-character name', { name: 'x'.repeat(10_000) }, ['input', 'name'], /at most 255 characters/],
      ['a URL that is not a URL', { webHomeUrl: 'not a url' }, ['input', 'webHomeUrl'], /http/],
      ['a scheme-less URL', { webHomeUrl: 'example.de' }, ['input', 'webHomeUrl'], /absolute http/],
      ['an ftp URL', { webHomeUrl: 'ftp://example.com' }, ['input', 'webHomeUrl'], /absolute http/],
      ['notes over 10,000 characters', { notes: 'n'.repeat(10_001) }, ['input', 'notes'], /at most 10000/],
      ['an admin without a valid email', { admins: [{ name: 'Bo', email: 'bo-at-example' }] }, ['input', 'admins', '0', 'email'], /email/],
      ['an admin with an empty name', { admins: [{ name: '', email: 'bo@example.com' }] }, ['input', 'admins', '0', 'name'], /empty/],
      [
        'more than 100 admins',
        { admins: Array.from({ length: 101 }, (_, i) => ({ name: `A${i}`, email: `a${i}@example.com` })) },
        ['input', 'admins'],
        /at most 100/,
      ],
    ])('refuses %s with a field error and writes nothing', async (_what, fields, path, message) => {
      const before = await count();
      const { data } = await t.graphql(CREATE, { input: { networkId: 85, name: 'Valid', ...fields } });
      const result = data!.createAdvertiser;
      expect(result.__typename).toBe('ValidationError');
      expect(result.fieldErrors).toEqual([{ path, message: expect.stringMatching(message) }]);
      expect(result.message).toContain(path.join('.'));
      expect(await count()).toBe(before);
    });

    it('reports every refused field at once', async () => {
      const { data } = await t.graphql(CREATE, { input: { networkId: 85, name: '', webHomeUrl: 'nope' } });
      expect(data!.createAdvertiser.fieldErrors.map((e: { path: string[] }) => e.path.join('.'))).toEqual([
        'input.name',
        'input.webHomeUrl',
      ]);
    });

    it('refuses a network Broadstreet no longer has', async () => {
      await seedNetwork(87);
      await db().network.update({ where: { broadstreetId: 87 }, data: { removedAt: new Date() } });
      const before = await count();
      const { data } = await t.graphql(CREATE, { input: { networkId: 87, name: 'Late' } });
      expect(data!.createAdvertiser).toMatchObject({ __typename: 'ValidationError', fieldErrors: [{ path: ['input', 'networkId'] }] });
      expect(await count()).toBe(before);
    });

    it('refuses a network that is not in the local database with NotFoundError', async () => {
      const before = await count();
      const { data } = await t.graphql(CREATE, { input: { networkId: 999, name: 'Nowhere' } });
      expect(data!.createAdvertiser).toEqual({
        __typename: 'NotFoundError',
        message: expect.stringMatching(/network 999 is not in the local database/),
        entityType: 'NETWORK',
      });
      expect(await count()).toBe(before);
    });
  });

  describe('updateAdvertiser', () => {
    let local: Awaited<ReturnType<typeof seedAdvertiser>>;
    beforeEach(async () => {
      local = await seedAdvertiser(network.id, { broadstreetId: null, name: 'Local One' });
    });

    it('changes the fields given, keeps the others, and clears those set to null', async () => {
      await db().advertiser.update({ where: { id: local.id }, data: { notes: 'keep me', webHomeUrl: 'https://old.example.com' } });
      const { data } = await t.graphql(UPDATE, {
        input: { advertiser: { mongoId: local.mongoId }, name: 'Renamed', webHomeUrl: null },
      });
      expect(data!.updateAdvertiser.advertiser).toMatchObject({ name: 'Renamed', webHomeUrl: null, notes: 'keep me' });
      const row = await db().advertiser.findUniqueOrThrow({ where: { id: local.id } });
      expect(row).toMatchObject({ name: 'Renamed', webHomeUrl: null, notes: 'keep me', mongoId: local.mongoId });
    });

    it('changes a synced advertiser at once; it reads CHANGED with its changed fields, its base the values before', async () => {
      const synced = await seedAdvertiser(network.id, { name: 'From Broadstreet' });
      const { data } = await t.graphql(
        `mutation ($input: UpdateAdvertiserInput!) { updateAdvertiser(input: $input) { __typename
          ... on UpdateAdvertiserPayload { advertiser { name syncStatus changedFields } } ... on Error { message } } }`,
        { input: { advertiser: { broadstreetId: synced.broadstreetId }, name: 'Renamed here' } },
      );
      expect(data!.updateAdvertiser.advertiser).toEqual({ name: 'Renamed here', syncStatus: 'CHANGED', changedFields: ['name'] });
      const row = await db().advertiser.findUniqueOrThrow({ where: { id: synced.id } });
      expect(row).toMatchObject({ name: 'Renamed here', base: { name: 'From Broadstreet', webHomeUrl: null, notes: null } });
      expect(row.changedAt).not.toBeNull();
    });

    it('refuses admins on a synced advertiser (Broadstreet cannot set them) and one removed from Broadstreet, changing nothing', async () => {
      const synced = await seedAdvertiser(network.id, { name: 'From Broadstreet' });
      const admins = await t.graphql(UPDATE, { input: { advertiser: { mongoId: synced.mongoId }, admins: [] } });
      expect(admins.data!.updateAdvertiser).toMatchObject({ __typename: 'ValidationError', fieldErrors: [{ path: ['input', 'admins'] }] });
      await db().advertiser.update({ where: { id: synced.id }, data: { removedAt: new Date() } });
      const { data } = await t.graphql(UPDATE, { input: { advertiser: { broadstreetId: synced.broadstreetId }, name: 'Hacked' } });
      expect(data!.updateAdvertiser).toEqual({
        __typename: 'ReadOnlyError',
        message: expect.stringMatching(/no longer in Broadstreet/),
        entityType: 'ADVERTISER',
        mongoId: synced.mongoId,
      });
      const row = await db().advertiser.findUniqueOrThrow({ where: { id: synced.id } });
      expect(row).toMatchObject({ name: 'From Broadstreet', base: null, changedAt: null });
    });

    it('refuses an empty name and a null name, changing nothing', async () => {
      for (const name of ['', null]) {
        const { data } = await t.graphql(UPDATE, { input: { advertiser: { mongoId: local.mongoId }, name } });
        expect(data!.updateAdvertiser.__typename).toBe('ValidationError');
        expect(data!.updateAdvertiser.fieldErrors[0].path).toEqual(['input', 'name']);
      }
      expect((await db().advertiser.findUniqueOrThrow({ where: { id: local.id } })).name).toBe('Local One');
    });

    it('refuses changes while an export of the network is in progress, and allows them after', async () => {
      const run = await db().syncRun.create({
        data: { networkId: 85, direction: 'EXPORT', status: 'RUNNING', activeKey: '85', entityTypes: [], counts: {} },
      });
      const refused = await t.graphql(UPDATE, { input: { advertiser: { mongoId: local.mongoId }, name: 'During export' } });
      const refusedDelete = await t.graphql(DELETE, { input: { advertiser: { mongoId: local.mongoId } } });
      await db().syncRun.update({ where: { id: run.id }, data: { status: 'SUCCEEDED', activeKey: null } });
      for (const result of [refused.data!.updateAdvertiser, refusedDelete.data!.deleteAdvertiser]) {
        expect(result).toEqual({
          __typename: 'ConflictError',
          message: `an export of network 85 is in progress (run ${run.id}); try again when it has finished`,
        });
      }
      expect(await db().advertiser.findUniqueOrThrow({ where: { id: local.id } })).toMatchObject({ name: 'Local One' });
      const allowed = await t.graphql(UPDATE, { input: { advertiser: { mongoId: local.mongoId }, name: 'After export' } });
      expect(allowed.data!.updateAdvertiser.advertiser.name).toBe('After export');
    });

    it('refuses admins: null (an empty list clears them)', async () => {
      const { data } = await t.graphql(UPDATE, { input: { advertiser: { mongoId: local.mongoId }, admins: null } });
      expect(data!.updateAdvertiser).toMatchObject({ __typename: 'ValidationError', fieldErrors: [{ path: ['input', 'admins'] }] });
      const cleared = await t.graphql(UPDATE, { input: { advertiser: { mongoId: local.mongoId }, admins: [] } });
      expect(cleared.data!.updateAdvertiser.advertiser.admins).toEqual([]);
    });

    it('answers NotFoundError for an unknown advertiser', async () => {
      const { data } = await t.graphql(UPDATE, { input: { advertiser: { mongoId: 'a'.repeat(24) }, name: 'X' } });
      expect(data!.updateAdvertiser).toMatchObject({ __typename: 'NotFoundError', entityType: 'ADVERTISER' });
    });

    it('refuses a malformed mongoId as a field error', async () => {
      const { data } = await t.graphql(UPDATE, { input: { advertiser: { mongoId: 'not-an-id' }, name: 'X' } });
      expect(data!.updateAdvertiser).toMatchObject({
        __typename: 'ValidationError',
        fieldErrors: [{ path: ['input', 'advertiser', 'mongoId'], message: expect.stringMatching(/24-character hexadecimal/) }],
      });
    });
  });

  describe('deleteAdvertiser', () => {
    it('deletes a local advertiser and returns its ids', async () => {
      const local = await seedAdvertiser(network.id, { broadstreetId: null });
      const { data } = await t.graphql(DELETE, { input: { advertiser: { mongoId: local.mongoId } } });
      expect(data!.deleteAdvertiser).toEqual({
        __typename: 'DeleteAdvertiserPayload',
        deletedId: Buffer.from(`Advertiser:${local.id}`).toString('base64'),
        mongoId: local.mongoId,
      });
      expect(await db().advertiser.findUnique({ where: { id: local.id } })).toBeNull();
    });

    it('refuses a local advertiser with local campaigns, naming how many, and deletes nothing', async () => {
      const local = await seedAdvertiser(network.id, { broadstreetId: null });
      await seedCampaign(local, { broadstreetId: null });
      await seedCampaign(local, { broadstreetId: null });
      const { data } = await t.graphql(DELETE, { input: { advertiser: { mongoId: local.mongoId } } });
      expect(data!.deleteAdvertiser).toEqual({
        __typename: 'DependencyError',
        message: expect.stringMatching(/has 2 campaign\(s\); delete them first/),
      });
      expect(await db().advertiser.findUnique({ where: { id: local.id } })).not.toBeNull();
      expect(await db().campaign.count({ where: { advertiserId: local.id } })).toBe(2);
    });

    it('marks a synced advertiser DELETING (kept until the export deletes it), and refuses one removed from Broadstreet', async () => {
      const synced = await seedAdvertiser(network.id);
      const { data } = await t.graphql(DELETE, { input: { advertiser: { broadstreetId: synced.broadstreetId } } });
      expect(data!.deleteAdvertiser).toMatchObject({ __typename: 'DeleteAdvertiserPayload', mongoId: synced.mongoId });
      expect((await db().advertiser.findUniqueOrThrow({ where: { id: synced.id } })).deletedAt).not.toBeNull();
      const removed = await seedAdvertiser(network.id);
      await db().advertiser.update({ where: { id: removed.id }, data: { removedAt: new Date() } });
      const refused = await t.graphql(DELETE, { input: { advertiser: { broadstreetId: removed.broadstreetId } } });
      expect(refused.data!.deleteAdvertiser).toMatchObject({ __typename: 'ReadOnlyError', mongoId: removed.mongoId });
      expect((await db().advertiser.findUniqueOrThrow({ where: { id: removed.id } })).deletedAt).toBeNull();
    });

    it('answers NotFoundError for an unknown broadstreetId', async () => {
      const { data } = await t.graphql(DELETE, { input: { advertiser: { broadstreetId: 424242 } } });
      expect(data!.deleteAdvertiser).toMatchObject({ __typename: 'NotFoundError', message: expect.stringMatching(/broadstreetId 424242/) });
    });
  });

  describe('EntityRef names exactly one id (@oneOf)', () => {
    it.each([
      ['both ids', { mongoId: 'a'.repeat(24), broadstreetId: 1 }],
      ['neither id', {}],
      ['an explicit null beside an id', { mongoId: null, broadstreetId: 1 }],
    ])('refuses %s as a GraphQL request error before anything runs', async (_what, ref) => {
      const local = await seedAdvertiser(network.id, { broadstreetId: null, name: 'Untouched' });
      const result = await t.graphql(UPDATE, { input: { advertiser: ref, name: 'Changed' } });
      expect(result.data).toBeUndefined();
      expect(result.errors?.[0]?.message).toMatch(/EntityRef/);
      expect((await db().advertiser.findUniqueOrThrow({ where: { id: local.id } })).name).toBe('Untouched');
    });

    it('refuses both ids written inline in the document too', async () => {
      const result = await t.graphql(
        `mutation { deleteAdvertiser(input: { advertiser: { mongoId: "${'a'.repeat(24)}", broadstreetId: 1 } }) { __typename } }`,
      );
      expect(result.data).toBeUndefined();
      expect(result.errors?.[0]?.message).toMatch(/OneOf Input Object "EntityRef" must specify exactly one key/);
    });
  });
});
