// Issue 14 #10: ids that name nothing answer null; text that is not valid
// Unicode, or holds control characters where a name or URL cannot, is a
// ValidationError on its field and is never stored (nor exported).
import { afterEach, describe, expect, it } from 'vitest';
import { db } from '../helpers/db.ts';
import { databaseSkipReason } from '../helpers/database.ts';
import { startSyncEnv, type SyncEnv } from '../helpers/sync.ts';

const skip = databaseSkipReason();
const NETWORK = 85;
const globalId = (type: string, id: number | string) => Buffer.from(`${type}:${id}`).toString('base64');
const CREATE = `mutation ($input: CreateAdvertiserInput!) { createAdvertiser(input: $input) {
  __typename ... on ValidationError { fieldErrors { path message } } } }`;

describe.skipIf(!!skip)('ids that name nothing, and text that is not text', () => {
  let env: SyncEnv | undefined;
  afterEach(async () => {
    await env?.stop();
    env = undefined;
  });

  async function imported() {
    env = await startSyncEnv({ size: 'tiny' });
    expect((await env.sync({ networkId: NETWORK, direction: 'IMPORT' })).run.status).toBe('SUCCEEDED');
    return env;
  }

  it('node and nodes answer null for an id that does not exist, and keep the rest', async () => {
    const e = await imported();
    const existing = await db().advertiser.findFirstOrThrow({ orderBy: { id: 'asc' } });
    const missing = globalId('Advertiser', 99_999_999);
    const one = await e.server.graphql(`query ($id: ID!) { node(id: $id) { id } }`, { id: missing });
    expect(one).toEqual({ data: { node: null } });
    const many = await e.server.graphql(`query ($ids: [ID!]!) { nodes(ids: $ids) { id ... on Advertiser { name } } }`, {
      ids: [globalId('Advertiser', existing.id), missing, globalId('Zone', 99_999_999)],
    });
    expect(many.errors).toBeUndefined();
    expect(many.data!.nodes).toEqual([{ id: globalId('Advertiser', existing.id), name: existing.name }, null, null]);
  });

  it.each([
    ['a lone surrogate in a name', { name: 'Bad \ud800 Name' }, ['input', 'name'], /valid Unicode/],
    ['a NUL in a name', { name: 'Bad\u0000Name' }, ['input', 'name'], /NUL|control/],
    ['a line break in a name', { name: 'Two\nLines' }, ['input', 'name'], /control/],
    ['a NUL in notes', { name: 'Fine', notes: 'x\u0000y' }, ['input', 'notes'], /NUL/],
    ['a control character in a URL', { name: 'Fine', webHomeUrl: 'https://exa\u0007mple.com/' }, ['input', 'webHomeUrl'], /control/],
  ])('refuses %s with a ValidationError on its field, storing nothing', async (_label, fields, path, message) => {
    const e = await imported();
    const before = await db().advertiser.count();
    const result = await e.server.graphql(CREATE, { input: { networkId: NETWORK, ...fields } });
    expect(result.errors).toBeUndefined();
    expect(result.data!.createAdvertiser).toMatchObject({
      __typename: 'ValidationError',
      fieldErrors: [{ path, message: expect.stringMatching(message) }],
    });
    expect(await db().advertiser.count()).toBe(before);
  });

  it('a NUL in search is refused as bad input, not an unexpected error; notes keep their line breaks', async () => {
    const e = await imported();
    const searched = await e.server.graphql(`query { advertisers(networkId: ${NETWORK}, search: "a\\u0000b") { totalCount } }`);
    expect(searched.errors?.[0]?.message).toMatch(/NUL/);
    expect(searched.errors?.[0]?.message).not.toMatch(/Unexpected error/);
    const created = await e.server.graphql(CREATE, { input: { networkId: NETWORK, name: 'Multi-line Notes', notes: 'one\ntwo' } });
    expect(created.data!.createAdvertiser.__typename).toBe('CreateAdvertiserPayload');
    const { run } = await e.sync({ networkId: NETWORK, direction: 'EXPORT' });
    expect(run.status).toBe('SUCCEEDED');
    expect(e.emulator.store.advertisersOf(NETWORK).find((a) => a.name === 'Multi-line Notes')?.notes).toBe('one\ntwo');
  });
});
