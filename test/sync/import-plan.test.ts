// An import's plan and its apply (issue 16, DESIGN.md §2b "Plan and apply"),
// on real sockets against the emulator: a dry run of an import stores per
// entity what it would do and writes nothing; applyPlan does exactly that, and
// skips as CONFLICT what changed on either side since the plan was made.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '../helpers/db.ts';
import { databaseSkipReason } from '../helpers/database.ts';
import { allCounts, editRemote, gqlData, runItems, startSyncEnv, type SyncEnv } from '../helpers/sync.ts';

const skip = databaseSkipReason();
const NETWORK = 85;

describe.skipIf(!!skip)('import plan and apply', () => {
  let env: SyncEnv;
  const campaigns = async () =>
    db().campaign.findMany({
      where: { network: { broadstreetId: NETWORK }, broadstreetId: { not: null }, removedAt: null },
      include: { placements: true },
      orderBy: { broadstreetId: 'asc' },
    });

  beforeAll(async () => {
    env = await startSyncEnv({ size: 'small' });
    const { run } = await env.sync({ networkId: NETWORK, direction: 'IMPORT' });
    expect(run.status).toBe('SUCCEEDED');
  });
  afterAll(() => env?.stop());

  it('a dry run plans every action and writes nothing; the apply does exactly the plan and skips what changed since', async () => {
    const [renamed, movedAgain, deleted, changedAfter, bothSides] = await campaigns();
    // Broadstreet's side before the plan: a rename, a change that moves again after the plan, a deletion, a new advertiser.
    await editRemote(env, 'PUT', `campaign/${renamed!.broadstreetId}`, { name: `${renamed!.name} (renamed)` });
    await editRemote(env, 'PUT', `campaign/${movedAgain!.broadstreetId}`, { weight: 2 });
    await editRemote(env, 'DELETE', `campaign/${deleted!.broadstreetId}`);
    const created = await fetch(`${env.emulator.url}/advertisers?network_id=${NETWORK}&access_token=${env.emulator.config.token}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Planned Newcomer' }),
    });
    expect(created.status).toBeLessThan(300);
    const newcomer = ((await created.json()) as { advertiser: { id: number } }).advertiser;
    // Both sides change the same field: the plan reports the conflict.
    await gqlData(env, `mutation ($input: UpdateCampaignInput!) { updateCampaign(input: $input) { __typename } }`, {
      input: { campaign: { broadstreetId: bothSides!.broadstreetId }, weight: 3 },
    });
    await editRemote(env, 'PUT', `campaign/${bothSides!.broadstreetId}`, { weight: 4 });

    const before = await db().campaign.findMany({ orderBy: { id: 'asc' } });
    const advertisersBefore = await db().advertiser.count();
    const dry = await env.sync({ networkId: NETWORK, direction: 'IMPORT', dryRun: true });
    expect(dry.run.failureReason).toBeNull();
    expect(dry.run.status).toBe('PARTIAL'); // the conflict
    expect(dry.events.at(-1)!.message).not.toMatch(/created/i);
    // Nothing written: the rows read as before, no advertiser created, no conflict stored.
    expect(await db().campaign.findMany({ orderBy: { id: 'asc' } })).toEqual(before);
    expect(await db().advertiser.count()).toBe(advertisersBefore);

    const plan = await runItems(env, dry.run.id);
    const byBsId = (type: string, id: number | null) => plan.find((i) => i.entityType === type && i.broadstreetId === id);
    expect(byBsId('CAMPAIGN', renamed!.broadstreetId)).toMatchObject({
      outcome: 'PLANNED_UPDATE',
      mongoId: renamed!.mongoId,
      changes: [{ field: 'name', from: renamed!.name, to: `${renamed!.name} (renamed)`, driftChecked: true }],
    });
    expect(byBsId('CAMPAIGN', movedAgain!.broadstreetId)).toMatchObject({ outcome: 'PLANNED_UPDATE' });
    expect(byBsId('CAMPAIGN', deleted!.broadstreetId)).toMatchObject({ outcome: 'PLANNED_DELETE', mongoId: deleted!.mongoId });
    expect(byBsId('CAMPAIGN', bothSides!.broadstreetId)).toMatchObject({ outcome: 'CONFLICT' });
    const plannedNewcomer = byBsId('ADVERTISER', newcomer.id)!;
    expect(plannedNewcomer).toMatchObject({ outcome: 'PLANNED_CREATE' });
    // The deleted campaign's placements go with it.
    for (const p of deleted!.placements) {
      expect(plan.find((i) => i.mongoId === p.mongoId)).toMatchObject({ entityType: 'PLACEMENT', outcome: 'PLANNED_DELETE' });
    }
    // Nothing else: the rest of the network is unchanged.
    const unchangedCampaigns = (await allCounts(env, dry.run.id)).CAMPAIGN!.unchanged!;
    expect(unchangedCampaigns).toBeGreaterThan(0);
    expect(plan.every((i) => ['PLANNED_CREATE', 'PLANNED_UPDATE', 'PLANNED_DELETE', 'CONFLICT'].includes(i.outcome))).toBe(true);

    // Broadstreet moves after the plan: one planned change moves again, one entity the plan left unchanged changes.
    await editRemote(env, 'PUT', `campaign/${movedAgain!.broadstreetId}`, { weight: 2.5 });
    await editRemote(env, 'PUT', `campaign/${changedAfter!.broadstreetId}`, { weight: 1.75 });

    const apply = await env.sync({ networkId: NETWORK, direction: 'IMPORT', applyPlan: dry.run.id });
    expect(apply.run.status).toBe('PARTIAL');
    const done = await runItems(env, apply.run.id);
    const sinceErrors = apply.run.errors.filter((e: { message: string }) => /changed since the plan/.test(e.message));
    expect(sinceErrors.map((e: { mongoId: string }) => e.mongoId).sort()).toEqual([movedAgain!.mongoId, changedAfter!.mongoId].sort());
    // Exactly the plan: every planned action was taken, under the same mongoId, except the two that moved since.
    const DONE: Record<string, string> = {
      PLANNED_CREATE: 'CREATED',
      PLANNED_UPDATE: 'UPDATED',
      PLANNED_DELETE: 'DELETED',
      CONFLICT: 'CONFLICT',
    };
    const expected = plan
      .filter((i) => i.mongoId !== movedAgain!.mongoId)
      .map((i) => `${i.entityType}:${i.mongoId}:${DONE[i.outcome]}`)
      .concat([`CAMPAIGN:${movedAgain!.mongoId}:CONFLICT`, `CAMPAIGN:${changedAfter!.mongoId}:CONFLICT`])
      .sort();
    expect(done.map((i) => `${i.entityType}:${i.mongoId}:${i.outcome}`).sort()).toEqual(expected);

    // The database holds exactly that.
    const row = (id: number) => db().campaign.findUniqueOrThrow({ where: { id } });
    expect((await row(renamed!.id)).name).toBe(`${renamed!.name} (renamed)`);
    expect((await row(deleted!.id)).removedAt).not.toBeNull();
    expect(await db().placement.count({ where: { campaignId: deleted!.id, removedAt: null } })).toBe(0);
    expect((await row(movedAgain!.id)).weight).toBe(movedAgain!.weight); // skipped: neither value taken
    expect((await row(changedAfter!.id)).weight).toBe(changedAfter!.weight);
    expect((await row(bothSides!.id)).conflict).toMatchObject({ fields: [{ field: 'weight', local: 3, remote: 4 }] });
    const newRow = await db().advertiser.findUniqueOrThrow({ where: { mongoId: plannedNewcomer.mongoId } });
    expect(newRow).toMatchObject({ broadstreetId: newcomer.id, name: 'Planned Newcomer' });

    // A plan is applied once; an ordinary import then takes what was skipped.
    const again = await env.startSync({ networkId: NETWORK, direction: 'IMPORT', applyPlan: dry.run.id });
    expect(again).toMatchObject({ __typename: 'ConflictError', message: expect.stringMatching(/already applied/) });
    const next = await env.sync({ networkId: NETWORK, direction: 'IMPORT' });
    expect(next.run.errors.map((e: { mongoId: string }) => e.mongoId)).toEqual([bothSides!.mongoId]);
    expect((await row(movedAgain!.id)).weight).toBe(2.5);
    expect((await row(changedAfter!.id)).weight).toBe(1.75);
    // An ordinary import keeps no per-entity report (a 100,000-entity import would write as many rows).
    expect(await runItems(env, next.run.id)).toEqual([]);
  });

  it('a dry run plans as removed what hangs off an advertiser and a zone Broadstreet deleted, and writes nothing', async () => {
    const network = await db().network.findUniqueOrThrow({ where: { broadstreetId: NETWORK } });
    const live = { removedAt: null, broadstreetId: { not: null } };
    // An advertiser whose campaigns have placements and nothing changed here (a change here would plan a conflict).
    const advertisers = await db().advertiser.findMany({
      where: { networkId: network.id, ...live },
      include: { campaigns: { where: live, include: { placements: { where: { removedAt: null } } } } },
      orderBy: { broadstreetId: 'desc' },
    });
    const advertiser = advertisers.find(
      (a) => a.campaigns.some((c) => c.placements.length > 0) && a.campaigns.every((c) => c.changedAt === null && c.conflict === null),
    )!;
    // A zone with placements outside that advertiser's campaigns.
    const campaignIds = new Set(advertiser.campaigns.map((c) => c.id));
    const elsewhere = await db().placement.findFirstOrThrow({
      where: { networkId: network.id, removedAt: null, syncedAt: { not: null }, campaignId: { notIn: [...campaignIds] } },
      include: { zone: true },
      orderBy: { id: 'asc' },
    });
    const zone = elsewhere.zone;
    const ads = await db().advertisement.findMany({ where: { advertiserId: advertiser.id, removedAt: null }, select: { id: true } });
    const hanging = await db().placement.findMany({
      where: {
        networkId: network.id,
        removedAt: null,
        syncedAt: { not: null },
        OR: [{ campaignId: { in: [...campaignIds] } }, { advertisementId: { in: ads.map((a) => a.id) } }, { zoneId: zone.id }],
      },
    });
    expect(hanging.length).toBeGreaterThan(1);
    await editRemote(env, 'DELETE', `advertiser/${advertiser.broadstreetId}`);
    await editRemote(env, 'DELETE', `zone/${zone.broadstreetId}`);

    const placementsBefore = await db().placement.findMany({ orderBy: { id: 'asc' } });
    const dry = await env.sync({ networkId: NETWORK, direction: 'IMPORT', dryRun: true });
    expect(dry.run.failureReason).toBeNull();
    expect(await db().placement.findMany({ orderBy: { id: 'asc' } })).toEqual(placementsBefore);
    expect(await db().advertiser.findUniqueOrThrow({ where: { id: advertiser.id } })).toMatchObject({ removedAt: null });

    // Exactly these are planned as removed: the two, every campaign of the advertiser, every placement under any of them.
    const deletes = (await runItems(env, dry.run.id)).filter((i) => i.outcome === 'PLANNED_DELETE');
    const expected = [
      `ADVERTISER:${advertiser.mongoId}`,
      `ZONE:${zone.mongoId}`,
      ...advertiser.campaigns.map((c) => `CAMPAIGN:${c.mongoId}`),
      ...hanging.map((p) => `PLACEMENT:${p.mongoId}`),
    ];
    expect(deletes.map((i) => `${i.entityType}:${i.mongoId}`).sort()).toEqual(expected.sort());
  });

  it('applyPlan of an import refuses a run of the other direction, a non-dry run and an unfinished one', async () => {
    const dry = await env.sync({ networkId: NETWORK, direction: 'IMPORT', dryRun: true });
    const asExport = await env.startSync({ networkId: NETWORK, direction: 'EXPORT', applyPlan: dry.run.id });
    expect(asExport).toMatchObject({ __typename: 'ValidationError', message: expect.stringMatching(/planned an import/) });
    const real = await env.sync({ networkId: NETWORK, direction: 'IMPORT' });
    const notDry = await env.startSync({ networkId: NETWORK, direction: 'IMPORT', applyPlan: real.run.id });
    expect(notDry).toMatchObject({ __typename: 'ValidationError', message: expect.stringMatching(/not a dry run/) });
  });
});
