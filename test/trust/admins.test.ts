// Issue 14 #6: advertiser admins cannot reach Broadstreet (its API takes none),
// so local creation refuses them; and an import never wipes a value that
// Broadstreet's payload does not carry.
import { describe, expect, it } from 'vitest';
import { db } from '../helpers/db.ts';
import { databaseSkipReason } from '../helpers/database.ts';
import { networkRow } from '../helpers/local-entities.ts';
import { syncEnvPerTest } from '../helpers/sync.ts';

const skip = databaseSkipReason();
const NETWORK = 85;
const CREATE = `mutation ($input: CreateAdvertiserInput!) { createAdvertiser(input: $input) {
  __typename ... on ValidationError { message fieldErrors { path message } } } }`;

describe.skipIf(!!skip)('advertiser admins', () => {
  const startEnv = syncEnvPerTest();

  it('createAdvertiser with admins is refused with a clear message, and nothing reaches the export', async () => {
    const env = await startEnv({ size: 'tiny' });
    expect((await env.sync({ networkId: NETWORK, direction: 'IMPORT' })).run.status).toBe('SUCCEEDED');
    const result = await env.server.graphql(CREATE, {
      input: { networkId: NETWORK, name: 'Admin Holder', admins: [{ name: 'Ann', email: 'ann@example.com' }] },
    });
    expect(result.data!.createAdvertiser).toMatchObject({
      __typename: 'ValidationError',
      fieldErrors: [{ path: ['input', 'admins'], message: expect.stringMatching(/add them in Broadstreet/) }],
    });
    expect(await db().advertiser.count({ where: { name: 'Admin Holder' } })).toBe(0);
  });

  it('an import keeps the admins of an advertiser whose payload has no admins key', async () => {
    const env = await startEnv({ size: 'tiny' });
    expect((await env.sync({ networkId: NETWORK, direction: 'IMPORT' })).run.status).toBe('SUCCEEDED');
    const network = await networkRow(NETWORK);
    const remote =
      env.emulator.store.advertisersOf(NETWORK).find((a) => a.admins.length > 0) ?? env.emulator.store.advertisersOf(NETWORK)[0]!;
    const admins = [{ name: 'Kept Admin', email: 'kept@example.com' }];
    await db().advertiser.updateMany({ where: { networkId: network.id, broadstreetId: remote.id }, data: { admins } });
    // The payload leaves admins out (JSON drops an undefined key); the name changes so the row is updated.
    Object.assign(remote, { admins: undefined, name: `${remote.name} Renamed` });
    const { run } = await env.sync({ networkId: NETWORK, direction: 'IMPORT', entityTypes: ['ADVERTISER'] });
    expect(run.status).toBe('SUCCEEDED');
    const row = await db().advertiser.findFirstOrThrow({ where: { networkId: network.id, broadstreetId: remote.id } });
    expect(row).toMatchObject({ name: remote.name, admins });
  });
});
