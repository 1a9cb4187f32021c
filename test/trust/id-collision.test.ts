// Issue 14 #2: a Broadstreet id that now names something else. The emulator is
// restarted on the same port (a fresh process starts its ids over, as the old
// demo did), so an export is given an id a local row already holds. That is a
// per-entity CONFLICT naming both rows: nothing relabelled, nothing created
// twice, and nothing stored or served carries a path, a stack frame or SQL.
// A network whose rows came from another Broadstreet API is refused until it
// is re-linked.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { db } from '../helpers/db.ts';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.ts';
import { RemoteNames } from '../../src/sync/export/names.ts';
import { databaseSkipReason } from '../helpers/database.ts';
import { localAdvertiser, localCampaign, networkRow } from '../helpers/local-entities.ts';
import { countsByType, startSyncEnv, type SyncEnv } from '../helpers/sync.ts';

const skip = databaseSkipReason();
const NETWORK = 85;
/** What must never be stored or served: file paths, stack frames, Prisma or SQL text. */
const INTERNALS = /\/work\/|\/src\/|\.ts:\d+|\bat \S+ \(|invocation|Unique constraint|\bSELECT\b|\bINSERT INTO\b|\bUPDATE "|prisma/i;

async function everythingStored(): Promise<string> {
  const [runs, events, errors, items] = await Promise.all([
    db().syncRun.findMany({ select: { failureReason: true } }),
    db().syncEvent.findMany({ select: { message: true, errors: true, warnings: true } }),
    db().syncError.findMany({ select: { message: true } }),
    db().syncItem.findMany({ select: { message: true } }),
  ]);
  return JSON.stringify({ runs, events, errors, items });
}

describe.skipIf(!!skip)('Broadstreet ids that name something else', () => {
  let env: SyncEnv | undefined;
  let restarted: RunningEmulator | undefined;
  afterEach(async () => {
    vi.restoreAllMocks();
    await env?.server.stop();
    await (restarted ?? env?.emulator)?.stop();
    env = restarted = undefined;
  });

  it('an export given an id a local row holds is a CONFLICT naming both; a retry creates nothing; nothing leaks', async () => {
    env = await startSyncEnv({ size: 'tiny' }, { BROADSTREET_RETRY_BASE_MS: '5' });
    expect((await env.sync({ networkId: NETWORK, direction: 'IMPORT' })).run.status).toBe('SUCCEEDED');
    const network = await networkRow(NETWORK);
    const first = await localAdvertiser(network.id, 'Local One', { webHomeUrl: 'https://one.example/', notes: 'first' });
    expect((await env.sync({ networkId: NETWORK, direction: 'EXPORT' })).run.status).toBe('SUCCEEDED');
    const firstId = (await db().advertiser.findUniqueOrThrow({ where: { id: first.id } })).broadstreetId!;

    await env.emulator.stop();
    restarted = await startEmulator({ size: 'tiny', port: env.emulator.port });
    const second = await localAdvertiser(network.id, 'Local Two');
    const child = await localCampaign(network.id, second.id, 'Child Of Two');
    const { run } = await env.sync({ networkId: NETWORK, direction: 'EXPORT' });
    expect(run.status).toBe('PARTIAL');
    const conflict = run.errors.find((e: { code: string }) => e.code === 'CONFLICT');
    expect(conflict).toMatchObject({ entityType: 'ADVERTISER', mongoId: second.mongoId, broadstreetId: firstId, retryable: false });
    expect(conflict.message).toContain(first.mongoId);
    expect(conflict.message).toContain(second.mongoId);
    expect(run.errors).toContainEqual(expect.objectContaining({ code: 'DEPENDENCY', mongoId: child.mongoId }));
    expect(await db().advertiser.findUniqueOrThrow({ where: { id: first.id } })).toMatchObject({
      name: 'Local One',
      broadstreetId: firstId,
      webHomeUrl: 'https://one.example/',
      notes: 'first',
    });
    expect(await db().advertiser.findUniqueOrThrow({ where: { id: second.id } })).toMatchObject({
      broadstreetId: null,
      intentName: 'Local Two',
    });
    expect(restarted.stats.created.advertiser).toBe(1);
    expect(restarted.stats.created.campaign ?? 0).toBe(0);

    const retry = await env.sync({ networkId: NETWORK, direction: 'EXPORT', retryOf: run.id });
    expect(retry.run.status).toBe('PARTIAL');
    expect(retry.run.errors).toContainEqual(expect.objectContaining({ code: 'CONFLICT', mongoId: second.mongoId }));
    expect(restarted.stats.created.advertiser).toBe(1);
    expect(restarted.stats.created.campaign ?? 0).toBe(0);

    // An unexpected failure is masked in what is stored, with a reference to the log.
    await localAdvertiser(network.id, 'Local Three');
    vi.spyOn(RemoteNames.prototype, 'resolve').mockRejectedValueOnce(
      new Error(
        'Invalid `db().advertiser.update()` invocation in /work/main/src/sync/export/create.ts:131:7 Unique ' +
          'constraint failed on the fields: (`networkId`,`broadstreetId`)',
      ),
    );
    const broken = await env.sync({ networkId: NETWORK, direction: 'EXPORT', entityTypes: ['ADVERTISER'] });
    expect(broken.run.status).toBe('FAILED');
    expect(broken.run.failureReason).toMatch(/^internal error \(reference E-[0-9a-f]{10}\)/);

    const stored = await everythingStored();
    expect(stored).toContain('CONFLICT');
    expect(stored).not.toMatch(INTERNALS);
    const served = JSON.stringify([run, retry.run, broken.run, retry.events, broken.events]);
    expect(served).not.toMatch(INTERNALS);
  });

  it('refuses a network whose rows came from another Broadstreet API until it is re-linked', async () => {
    env = await startSyncEnv({ size: 'tiny' });
    expect((await env.sync({ networkId: NETWORK, direction: 'IMPORT' })).run.status).toBe('SUCCEEDED');
    expect((await networkRow(NETWORK)).broadstreetBaseUrl).toBe(env.emulator.url);
    const elsewhere = 'https://api.other-broadstreet.example/api/1';
    await db().network.update({ where: { broadstreetId: NETWORK }, data: { broadstreetBaseUrl: elsewhere } });
    const names = async () => (await db().advertiser.findMany({ orderBy: { id: 'asc' }, select: { name: true } })).map((a) => a.name);
    const before = await names();
    env.emulator.store.advertisersOf(NETWORK)[0]!.name = 'Someone Else Entirely';

    for (const direction of ['IMPORT', 'EXPORT']) {
      const { run } = await env.sync({ networkId: NETWORK, direction });
      expect(run.status).toBe('FAILED');
      expect(run.failureReason).toContain(elsewhere);
      expect(run.failureReason).toMatch(/relinkNetwork/);
      expect(run.errors).toEqual([expect.objectContaining({ code: 'CONFLICT' })]);
    }
    expect(await names()).toEqual(before);

    const relinked = await env.server.graphql(
      `mutation { relinkNetwork(input: { networkId: ${NETWORK} }) { __typename ... on RelinkNetworkPayload ` +
        `{ network { broadstreetBaseUrl } } } }`,
    );
    expect(relinked.data!.relinkNetwork).toEqual({ __typename: 'RelinkNetworkPayload', network: { broadstreetBaseUrl: null } });
    const missing = await env.server.graphql(`mutation { relinkNetwork(input: { networkId: 999 }) { __typename } }`);
    expect(missing.data!.relinkNetwork.__typename).toBe('NotFoundError');
    const { run } = await env.sync({ networkId: NETWORK, direction: 'IMPORT' });
    expect(run.status).toBe('SUCCEEDED');
    expect(countsByType(run).ADVERTISER).toMatchObject({ updated: 1 });
    expect((await networkRow(NETWORK)).broadstreetBaseUrl).toBe(env.emulator.url);
  });
});
