// Plan and apply over real sockets against the emulator: a dry run stores the
// plan (what it would create, under which names, what is blocked and what is
// unchanged) and sends nothing; startSync(applyPlan) executes exactly that
// plan, skipping as CONFLICT what changed on either side since.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '../helpers/db.ts';
import { parseRunId } from '../../src/sync/sync.schema.ts';
import { databaseSkipReason } from '../helpers/database.ts';
import { anyAdvertisement, localAdvertiser, localCampaign, localPlacement, localZone, networkRow } from '../helpers/local-entities.ts';
import { allCounts, startSyncEnv, type SyncEnv } from '../helpers/sync.ts';

const skip = databaseSkipReason();
const NETWORK = 85;
const OTHER_NETWORK = 131;

const items = (runId: string) => db().syncItem.findMany({ where: { runId: parseRunId(runId)! }, orderBy: { id: 'asc' } });
const posts = (before: Record<string, number>, after: Record<string, number>) =>
  Object.entries(after).filter(([k, n]) => /^(POST|PUT|DELETE)/.test(k) && n !== (before[k] ?? 0));

describe.skipIf(!!skip)('plan and apply', () => {
  let env: SyncEnv;
  beforeAll(async () => {
    env = await startSyncEnv({ size: 'tiny' }, { BROADSTREET_RETRY_BASE_MS: '5' });
    expect((await env.sync({ networkId: NETWORK, direction: 'IMPORT' })).run.status).toBe('SUCCEEDED');
    expect((await env.sync({ networkId: OTHER_NETWORK, direction: 'IMPORT' })).run.status).toBe('SUCCEEDED');
  }, 60_000);
  afterAll(() => env?.stop());

  it('the plan lists exactly what the apply did; what changed since on either side is skipped as CONFLICT; nothing else is touched', async () => {
    const network = await networkRow(NETWORK);
    const ad = await anyAdvertisement(network.id);
    const taken = env.emulator.store.advertisersOf(NETWORK)[0]!.name;
    // Kept as planned: an advertiser with a campaign and a placement on a new zone, and one renamed for a name clash.
    const kept = await localAdvertiser(network.id, 'Plan Kept Co');
    const keptCampaign = await localCampaign(network.id, kept.id, 'Plan Kept Campaign');
    const keptZone = await localZone(network.id, 'Plan Kept Zone');
    const keptPlacement = await localPlacement(network.id, { campaignId: keptCampaign.id, advertisementId: ad.id, zoneId: keptZone.id });
    const twin = await localAdvertiser(network.id, taken);
    // Changed in Broadstreet after the plan (its name gets taken there), with a child that depends on it.
    const remote = await localAdvertiser(network.id, 'Plan Remote Co');
    const remoteChild = await localCampaign(network.id, remote.id, 'Plan Remote Child');
    // Edited here after the plan.
    const edited = await localZone(network.id, 'Plan Edited Zone');
    // Blocked by the rules: the plan says so and the apply leaves it.
    const broken = await localCampaign(network.id, kept.id, 'Plan Backwards', { startDate: '2027-05-01', endDate: '2027-04-01' });
    const requestsBefore = { ...env.emulator.stats.byEndpoint };

    const { run: plan, events } = await env.sync({ networkId: NETWORK, direction: 'EXPORT', dryRun: true });
    expect(plan).toMatchObject({ dryRun: true, status: 'PARTIAL', percentage: 100 });
    expect(posts(requestsBefore, env.emulator.stats.byEndpoint)).toEqual([]);
    // The plan speaks of planned work, never of work done.
    expect(events.at(-1)!.message).toMatch(/^dry run finished: .*1 failed, 8 to create$/);
    for (const event of events) expect(event.message).not.toMatch(/\bcreated\b/);
    const counts = await allCounts(env, plan.id);
    expect(counts.ADVERTISER).toMatchObject({ plannedCreates: 3, created: 0 });
    expect(counts.ZONE).toMatchObject({ plannedCreates: 2, created: 0 });
    expect(counts.CAMPAIGN).toMatchObject({ plannedCreates: 2, created: 0, failed: 1 });
    expect(counts.PLACEMENT).toMatchObject({ plannedCreates: 1, created: 0 });
    expect(counts.ADVERTISER!.unchanged).toBeGreaterThan(0);

    const planned = await items(plan.id);
    const byMongo = new Map(planned.map((i) => [i.mongoId, i]));
    for (const row of [kept, keptCampaign, keptZone, keptPlacement, remote, remoteChild, edited]) {
      expect(byMongo.get(row.mongoId), row.mongoId).toMatchObject({ outcome: 'PLANNED_CREATE', resolvedName: null });
    }
    expect(byMongo.get(twin.mongoId)).toMatchObject({ outcome: 'PLANNED_CREATE', resolvedName: `${taken} (1)` });
    expect(byMongo.get(broken.mongoId)).toMatchObject({ outcome: 'BLOCKED', message: expect.stringMatching(/endDate/) });
    const unchanged = planned.filter((i) => i.outcome === 'UNCHANGED');
    expect(unchanged.length).toBe(await countSynced(network.id));
    for (const row of await db().advertiser.findMany({ where: { id: { in: [kept.id, twin.id, remote.id] } } })) {
      expect(row).toMatchObject({ broadstreetId: null, intentName: null, syncedAt: null });
    }

    // Between plan and apply: Broadstreet gets an advertiser of the planned name, a planned zone is edited here,
    // and a new local entity appears that the plan never saw.
    env.emulator.store.addAdvertiser({
      id: env.emulator.store.nextId('advertiser'),
      networkId: NETWORK,
      name: 'Plan Remote Co',
      webHomeUrl: null,
      notes: null,
      logoUrl: null,
      admins: [],
      origin: 'api',
    });
    await db().zone.update({ where: { id: edited.id }, data: { alias: 'edited-after-plan' } });
    const unplanned = await localAdvertiser(network.id, 'Plan Not In Plan');

    const { run: applied } = await env.sync({ networkId: NETWORK, direction: 'EXPORT', applyPlan: plan.id });
    expect(applied).toMatchObject({ dryRun: false, status: 'PARTIAL' });
    const done = await items(applied.id);
    const outcome = new Map(done.map((i) => [i.mongoId, i]));
    // Only the plan's entities, only its actions: every item of the apply was a planned create.
    const plannedCreates = new Set(planned.filter((i) => i.outcome === 'PLANNED_CREATE').map((i) => i.mongoId));
    expect(done.map((i) => i.mongoId).sort()).toEqual([...plannedCreates].sort());
    for (const row of [kept, keptCampaign, keptZone, keptPlacement]) {
      expect(outcome.get(row.mongoId), row.mongoId).toMatchObject({ outcome: 'CREATED', resolvedName: null });
    }
    expect(outcome.get(twin.mongoId)).toMatchObject({ outcome: 'CREATED', resolvedName: `${taken} (1)` });
    expect(outcome.get(remote.mongoId)).toMatchObject({ outcome: 'CONFLICT', message: expect.stringMatching(/changed since the plan/) });
    expect(outcome.get(edited.mongoId)).toMatchObject({ outcome: 'CONFLICT', message: expect.stringMatching(/changed since the plan/) });
    expect(outcome.get(remoteChild.mongoId)).toMatchObject({ outcome: 'SKIPPED' });
    expect(outcome.has(broken.mongoId)).toBe(false);
    expect(outcome.has(unplanned.mongoId)).toBe(false);
    const conflicts = applied.errors.filter((e: { code: string }) => e.code === 'CONFLICT').map((e: { mongoId: string }) => e.mongoId);
    expect(conflicts.sort()).toEqual([remote.mongoId, edited.mongoId].sort());

    // What Broadstreet holds: the kept entities once each; nothing of the conflicted ones, the blocked or the unplanned.
    const advertisers = env.emulator.store.advertisersOf(NETWORK);
    expect(advertisers.filter((a) => a.name === 'Plan Kept Co')).toHaveLength(1);
    expect(advertisers.filter((a) => a.name === `${taken} (1)`)).toHaveLength(1);
    expect(advertisers.filter((a) => a.name.startsWith('Plan Remote Co'))).toHaveLength(1);
    expect(advertisers.filter((a) => a.name === 'Plan Not In Plan')).toHaveLength(0);
    const zones = env.emulator.store.zonesOf(NETWORK);
    expect(zones.filter((z) => z.name === 'Plan Kept Zone')).toHaveLength(1);
    expect(zones.filter((z) => z.name === 'Plan Edited Zone')).toHaveLength(0);
    const keptRow = await db().advertiser.findUniqueOrThrow({ where: { id: kept.id } });
    const campaigns = env.emulator.store.campaignsOf(keptRow.broadstreetId!);
    expect(campaigns.map((c) => c.name)).toEqual(['Plan Kept Campaign']);
    expect(env.emulator.store.placementsOf(campaigns[0]!.id)).toHaveLength(1);
    expect(await db().advertiser.findUniqueOrThrow({ where: { id: unplanned.id } })).toMatchObject({ broadstreetId: null });
    expect(await db().zone.findUniqueOrThrow({ where: { id: edited.id } })).toMatchObject({
      broadstreetId: null,
      alias: 'edited-after-plan',
    });

    // A plan is applied once.
    const again = await env.startSync({ networkId: NETWORK, direction: 'EXPORT', applyPlan: plan.id });
    expect(again).toMatchObject({ __typename: 'ConflictError', message: expect.stringMatching(/already applied by run/) });
    const linked = await env.server.graphql(`query ($id: ID!) { syncRun(id: $id) { appliedBy { id } } }`, { id: plan.id });
    expect(linked.data!.syncRun.appliedBy.id).toBe(applied.id);

    await db().placement.deleteMany({ where: { id: keptPlacement.id } });
    await db().campaign.deleteMany({ where: { id: { in: [keptCampaign.id, remoteChild.id, broken.id] } } });
    await db().zone.deleteMany({ where: { id: { in: [keptZone.id, edited.id] } } });
    await db().advertiser.deleteMany({ where: { id: { in: [kept.id, twin.id, remote.id, unplanned.id] } } });
  }, 60_000);

  it('plans edits and deletes of synced entities field by field, and applies them unless Broadstreet changed since', async () => {
    const network = await networkRow(NETWORK);
    const campaigns = await db().campaign.findMany({
      where: { networkId: network.id, broadstreetId: { not: null }, removedAt: null, placements: { some: {} } },
      include: { placements: { include: { zone: true, advertisement: true } } },
      orderBy: { id: 'asc' },
      take: 2,
    });
    const [edited, drifted] = campaigns;
    const placement = edited!.placements[0]!;
    const inBroadstreet = () =>
      env.emulator.store
        .placementsOf(edited!.broadstreetId!)
        .some((p) => p.zoneId === placement.zone.broadstreetId && p.advertisementId === placement.advertisement.broadstreetId);
    const gql = (query: string, variables: Record<string, unknown>) => env.server.graphql(query, variables);
    const update = await gql(
      `mutation ($input: UpdateCampaignInput!) { updateCampaign(input: $input) { __typename ... on Error { message } } }`,
      { input: { campaign: { mongoId: edited!.mongoId }, weight: 1.5, paused: true } },
    );
    expect(update.data!.updateCampaign.__typename).toBe('UpdateCampaignPayload');
    const other = await gql(
      `mutation ($input: UpdateCampaignInput!) { updateCampaign(input: $input) { __typename ... on Error { message } } }`,
      { input: { campaign: { mongoId: drifted!.mongoId }, name: 'Plan Drifted Here' } },
    );
    expect(other.data!.updateCampaign.__typename).toBe('UpdateCampaignPayload');
    const removal = await gql(
      `mutation ($input: DeletePlacementInput!) { deletePlacement(input: $input) { __typename ... on Error { message } } }`,
      { input: { mongoId: placement.mongoId } },
    );
    expect(removal.data!.deletePlacement.__typename).toBe('DeletePlacementPayload');
    const writesBefore = { ...env.emulator.stats.byEndpoint };
    const weightBefore = env.emulator.store.campaigns.get(edited!.broadstreetId!)!.weight;

    const { run: plan } = await env.sync({ networkId: NETWORK, direction: 'EXPORT', dryRun: true, entityTypes: ['CAMPAIGN', 'PLACEMENT'] });
    expect(plan.status).toBe('SUCCEEDED');
    expect(posts(writesBefore, env.emulator.stats.byEndpoint)).toEqual([]);
    const planned = new Map((await items(plan.id)).map((i) => [i.mongoId, i]));
    expect(planned.get(edited!.mongoId)).toMatchObject({ outcome: 'PLANNED_UPDATE' });
    expect(planned.get(edited!.mongoId)!.changes).toEqual(
      expect.arrayContaining([
        { field: 'weight', from: weightBefore, to: 1.5, driftChecked: true },
        { field: 'paused', from: false, to: true, driftChecked: false },
      ]),
    );
    expect(planned.get(edited!.mongoId)!.message).toMatch(/paused: Broadstreet never returns this, so not drift-checked/);
    expect(planned.get(drifted!.mongoId)).toMatchObject({ outcome: 'PLANNED_UPDATE' });
    expect(planned.get(placement.mongoId)).toMatchObject({ outcome: 'PLANNED_DELETE' });
    const counts = await allCounts(env, plan.id);
    expect(counts.CAMPAIGN).toMatchObject({ plannedUpdates: 2, updated: 0 });
    expect(counts.PLACEMENT).toMatchObject({ plannedDeletes: 1, deleted: 0 });
    // Nothing local moved: still CHANGED and DELETING, as before the plan.
    expect(await db().campaign.findUniqueOrThrow({ where: { id: edited!.id } })).toMatchObject({
      weight: 1.5,
      changedAt: expect.any(Date),
    });
    expect(inBroadstreet()).toBe(true);

    // Broadstreet changes the other campaign (as its UI would) between the plan and the apply.
    env.emulator.store.campaigns.get(drifted!.broadstreetId!)!.endDate = '2031-12-31';

    const { run: applied } = await env.sync({ networkId: NETWORK, direction: 'EXPORT', applyPlan: plan.id });
    expect(applied.status).toBe('PARTIAL');
    const done = new Map((await items(applied.id)).map((i) => [i.mongoId, i]));
    expect(done.get(edited!.mongoId)).toMatchObject({ outcome: 'UPDATED' });
    expect(done.get(placement.mongoId)).toMatchObject({ outcome: 'DELETED' });
    expect(done.get(drifted!.mongoId)).toMatchObject({ outcome: 'CONFLICT', message: expect.stringMatching(/changed since the plan/) });
    expect([...done.keys()].sort()).toEqual([edited!.mongoId, drifted!.mongoId, placement.mongoId].sort());
    const remoteEdited = env.emulator.store.campaigns.get(edited!.broadstreetId!)!;
    expect(remoteEdited).toMatchObject({ weight: 1.5, paused: true });
    expect(inBroadstreet()).toBe(false);
    // Neither side of the drifted campaign was overwritten.
    expect(env.emulator.store.campaigns.get(drifted!.broadstreetId!)).toMatchObject({ name: drifted!.name, endDate: '2031-12-31' });
    expect(await db().campaign.findUniqueOrThrow({ where: { id: drifted!.id } })).toMatchObject({ name: 'Plan Drifted Here' });
  }, 60_000);

  it('refuses, with a typed error and no run started, what is not a finished dry run of this network and direction', async () => {
    const network = await networkRow(NETWORK);
    const local = await localAdvertiser(network.id, 'Plan Refusals');
    const { run: plan } = await env.sync({ networkId: NETWORK, direction: 'EXPORT', dryRun: true });
    const { run: real } = await env.sync({ networkId: OTHER_NETWORK, direction: 'EXPORT' });
    const runsBefore = await db().syncRun.count();
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ networkId: NETWORK, direction: 'EXPORT', applyPlan: '999999' }, 'NotFoundError', /run 999999 does not exist/],
      [{ networkId: NETWORK, direction: 'EXPORT', applyPlan: 'nonsense' }, 'ValidationError', /not a run id/],
      [{ networkId: OTHER_NETWORK, direction: 'EXPORT', applyPlan: real.id }, 'ValidationError', /is not a dry run/],
      [{ networkId: OTHER_NETWORK, direction: 'EXPORT', applyPlan: plan.id }, 'ValidationError', /planned network 85/],
      [{ networkId: NETWORK, direction: 'IMPORT', applyPlan: plan.id }, 'ValidationError', /planned an export/],
      [{ networkId: NETWORK, direction: 'EXPORT', applyPlan: plan.id, dryRun: true }, 'ValidationError', /cannot be a dry run/],
      [{ networkId: NETWORK, direction: 'EXPORT', applyPlan: plan.id, retryOf: real.id }, 'ValidationError', /either retryOf or applyPlan/],
      [
        { networkId: NETWORK, direction: 'EXPORT', applyPlan: plan.id, entityTypes: ['ADVERTISER'] },
        'ValidationError',
        /entity types from the plan/,
      ],
    ];
    for (const [input, type, message] of cases) {
      const refused = await env.startSync(input);
      expect(refused, JSON.stringify(input)).toMatchObject({ __typename: type, message: expect.stringMatching(message) });
      if (type === 'ValidationError') expect(refused.fieldErrors[0].path).toEqual(['input', 'applyPlan']);
    }
    expect(await db().syncRun.count()).toBe(runsBefore);
    expect(await db().advertiser.findUniqueOrThrow({ where: { id: local.id } })).toMatchObject({ broadstreetId: null });
    await db().advertiser.delete({ where: { id: local.id } });
  }, 60_000);
});

async function countSynced(networkId: number): Promise<number> {
  const where = { networkId, removedAt: null };
  const [a, z, c, p] = await Promise.all([
    db().advertiser.count({ where: { ...where, broadstreetId: { not: null } } }),
    db().zone.count({ where: { ...where, broadstreetId: { not: null } } }),
    db().campaign.count({ where: { ...where, broadstreetId: { not: null } } }),
    db().placement.count({ where: { ...where, syncedAt: { not: null } } }),
  ]);
  return a + z + c + p;
}
