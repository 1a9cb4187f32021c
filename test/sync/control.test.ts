// Controlling runs: dry run, cancel, one active run per network, retry of
// what failed, and replaying the event stream after a reconnect.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '../helpers/db.ts';
import { parseRunId } from '../../src/sync/sync.schema.ts';
import { databaseSkipReason } from '../helpers/database.ts';
import { localAdvertiser, localCampaign, localZone, networkRow } from '../helpers/local-entities.ts';
import { countsByType, RUN_FIELDS, startSyncEnv, type SyncEnv } from '../helpers/sync.ts';

const skip = databaseSkipReason();
const NETWORK = 85;

describe.skipIf(!!skip)('controlling runs', () => {
  let env: SyncEnv;
  beforeAll(async () => {
    env = await startSyncEnv({ size: 'tiny' }, { BROADSTREET_RETRY_BASE_MS: '5' });
    expect((await env.sync({ networkId: NETWORK, direction: 'IMPORT' })).run.status).toBe('SUCCEEDED');
  });
  afterAll(() => env?.stop());

  it('a dry run reports what an export would create, rename or block, and sends nothing', async () => {
    const network = await networkRow(NETWORK);
    const taken = env.emulator.store.advertisersOf(NETWORK)[0]!.name;
    const fresh = await localAdvertiser(network.id, 'Dry Fresh');
    const twin = await localAdvertiser(network.id, taken);
    const broken = await localCampaign(network.id, fresh.id, 'Backwards', { startDate: '2027-05-01', endDate: '2027-04-01' });
    const requestsBefore = { ...env.emulator.stats.byEndpoint };

    const { run } = await env.sync({ networkId: NETWORK, direction: 'EXPORT', dryRun: true });
    expect(run).toMatchObject({ dryRun: true, status: 'PARTIAL', percentage: 100 });
    const posts = Object.entries(env.emulator.stats.byEndpoint).filter(([k, n]) => k.startsWith('POST') && n !== (requestsBefore[k] ?? 0));
    expect(posts).toEqual([]);
    const items = await db().syncItem.findMany({ where: { runId: parseRunId(run.id)! }, orderBy: { id: 'asc' } });
    expect(items.map((i) => [i.mongoId, i.outcome, i.resolvedName])).toEqual(
      expect.arrayContaining([
        [fresh.mongoId, 'PLANNED_CREATE', null],
        [twin.mongoId, 'PLANNED_CREATE', `${taken} (1)`],
        [broken.mongoId, 'BLOCKED', null],
      ]),
    );
    for (const row of await db().advertiser.findMany({ where: { id: { in: [fresh.id, twin.id] } } })) {
      expect(row).toMatchObject({ broadstreetId: null, intentName: null, syncedAt: null });
    }
    await db().campaign.delete({ where: { id: broken.id } });
    await db().advertiser.deleteMany({ where: { id: { in: [fresh.id, twin.id] } } });
  });

  it('two concurrent startSync for one network: exactly one run executes', async () => {
    const network = await networkRow(NETWORK);
    await localAdvertiser(network.id, 'Concurrent One');
    const [a, b] = await Promise.all([
      env.startSync({ networkId: NETWORK, direction: 'EXPORT' }),
      env.startSync({ networkId: NETWORK, direction: 'EXPORT' }),
    ]);
    const types = [a.__typename, b.__typename].sort();
    expect(types).toEqual(['StartSyncPayload', 'SyncAlreadyRunningError']);
    const started = a.__typename === 'StartSyncPayload' ? a : b;
    const refused = a.__typename === 'StartSyncPayload' ? b : a;
    expect(refused.run.id).toBe(started.run.id);
    expect(refused.message).toMatch(new RegExp(`run ${parseRunId(started.run.id)} in progress`));
    await env.follow(started.run.id);
    expect(await db().syncRun.count({ where: { networkId: NETWORK, direction: 'EXPORT', dryRun: false } })).toBe(1);
    expect(env.emulator.stats.created.advertiser).toBe(1);
  });

  it('cancelSync stops at an entity boundary and keeps what was done', async () => {
    const network = await networkRow(NETWORK);
    for (let i = 0; i < 30; i++) await localZone(network.id, `Slow Zone ${i}`);
    env.emulator.config.latencyMs = 50;
    const started = await env.startSync({ networkId: NETWORK, direction: 'EXPORT', entityTypes: ['ZONE'] });
    const runId = started.run.id;
    const events = env.follow(runId);
    while ((await db().zone.count({ where: { name: { startsWith: 'Slow Zone' }, broadstreetId: { not: null } } })) < 3) {
      await new Promise((r) => setTimeout(r, 20));
    }
    const cancelled = await env.server.graphql(
      `mutation ($id: ID!) { cancelSync(input: { runId: $id }) { __typename ... on CancelSyncPayload { run { id cancelRequested } } } }`,
      { id: runId },
    );
    expect(cancelled.data!.cancelSync).toMatchObject({ __typename: 'CancelSyncPayload', run: { cancelRequested: true } });
    const all = await events;
    env.emulator.config.latencyMs = 0;
    expect(all.at(-1)!.status).toBe('CANCELLED');
    const run = await env.run(runId);
    const exported = await db().zone.count({ where: { name: { startsWith: 'Slow Zone' }, broadstreetId: { not: null } } });
    expect(exported).toBeGreaterThanOrEqual(3);
    expect(exported).toBeLessThan(30);
    expect(countsByType(run).ZONE!.created).toBe(exported);
    expect(env.emulator.store.zonesOf(NETWORK).filter((z) => z.name.startsWith('Slow Zone'))).toHaveLength(exported);

    // The deprecated form, cancelSync(runId:), still answers.
    const again = await env.server.graphql(`mutation ($id: ID!) { cancelSync(runId: $id) { __typename ... on Error { message } } }`, {
      id: runId,
    });
    expect(again.data!.cancelSync).toMatchObject({
      __typename: 'ConflictError',
      message: expect.stringMatching(/already finished \(CANCELLED\)/),
    });
    const unnamed = await env.server.graphql(`mutation { cancelSync { __typename ... on ValidationError { fieldErrors { path } } } }`);
    expect(unnamed.data!.cancelSync).toEqual({ __typename: 'ValidationError', fieldErrors: [{ path: ['input', 'runId'] }] });
    const twice = await env.server.graphql(`mutation ($id: ID!) { cancelSync(input: { runId: $id }, runId: $id) { __typename } }`, {
      id: runId,
    });
    expect(twice.data!.cancelSync).toEqual({ __typename: 'ValidationError' });
    const rest = await env.sync({ networkId: NETWORK, direction: 'EXPORT', entityTypes: ['ZONE'] });
    expect(countsByType(rest.run).ZONE!.created).toBe(30 - exported);
  });

  it('retryOf re-runs only what failed or was skipped', async () => {
    const network = await networkRow(NETWORK);
    const bad = await localAdvertiser(network.id, '');
    const child = await localCampaign(network.id, bad.id, 'Waits For Parent');
    const first = await env.sync({ networkId: NETWORK, direction: 'EXPORT' });
    expect(first.run.status).toBe('PARTIAL');
    await db().advertiser.update({ where: { id: bad.id }, data: { name: 'Fixed Name' } });
    const other = await localAdvertiser(network.id, 'Not Part Of The Retry');

    const retry = await env.sync({ networkId: NETWORK, direction: 'EXPORT', retryOf: first.run.id });
    expect(retry.run.status).toBe('SUCCEEDED');
    expect(countsByType(retry.run)).toEqual({
      ADVERTISER: { created: 1, updated: 0, unchanged: 0, failed: 0, skipped: 0 },
      CAMPAIGN: { created: 1, updated: 0, unchanged: 0, failed: 0, skipped: 0 },
    });
    expect((await db().campaign.findUniqueOrThrow({ where: { id: child.id } })).broadstreetId).not.toBeNull();
    expect((await db().advertiser.findUniqueOrThrow({ where: { id: other.id } })).broadstreetId).toBeNull();
    const stored = await db().syncRun.findUniqueOrThrow({ where: { id: parseRunId(retry.run.id)! } });
    expect(stored.retryOfId).toBe(parseRunId(first.run.id));

    const nothing = await env.startSync({ networkId: NETWORK, direction: 'EXPORT', retryOf: retry.run.id });
    expect(nothing).toMatchObject({ __typename: 'ValidationError', message: expect.stringMatching(/nothing to retry/) });
  });

  it('syncProgress replays after afterSeq, so a reconnecting client misses nothing', async () => {
    const runs = await env.server.graphql(`{ syncRuns(first: 1) { edges { node { ${RUN_FIELDS} } } } }`);
    const last = runs.data!.syncRuns.edges[0].node;
    const all = await env.follow(last.id);
    expect(all.length).toBeGreaterThan(3);
    const tail = await env.follow(last.id, 2);
    expect(tail).toEqual(all.slice(2));
    const none = await env.follow(last.id, all.at(-1)!.seq);
    expect(none).toEqual([]);
  });

  it('startSync refuses bad input clearly and starts nothing', async () => {
    const before = await db().syncRun.count();
    expect(await env.startSync({ networkId: 999999, direction: 'EXPORT' })).toMatchObject({
      __typename: 'NotFoundError',
      message: expect.stringMatching(/network 999999 is not in the local database/),
    });
    expect(await env.startSync({ networkId: NETWORK, direction: 'EXPORT', entityTypes: ['NETWORK'] })).toMatchObject({
      __typename: 'ValidationError',
      fieldErrors: [{ path: ['input', 'entityTypes'], message: expect.stringMatching(/cannot include NETWORK/) }],
    });
    expect(await env.startSync({ networkId: NETWORK, direction: 'EXPORT', retryOf: 'nonsense' })).toMatchObject({
      __typename: 'ValidationError',
    });
    expect(await db().syncRun.count()).toBe(before);
  });
});
