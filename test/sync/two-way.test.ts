// Two-way sync end to end (issue 16), on real sockets against the emulator:
// local edits pushed, Broadstreet's changes pulled, conflicts kept and
// settled, deletes sent children first, remote deletions, placement
// re-creates. Each test asserts what the emulator holds and what the local
// database holds afterwards.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Prisma } from '../../src/db/index.ts';
import { db } from '../helpers/db.ts';
import { databaseSkipReason } from '../helpers/database.ts';
import { editRemote, gqlData, runItems, startSyncEnv, type SyncEnv } from '../helpers/sync.ts';

const skip = databaseSkipReason();
const NETWORK = 85;

const ENTITY =
  'mongoId broadstreetId syncStatus changedFields conflict { remoteDeleted localDeleted runId fields { field base local remote } }';
const CAMPAIGN = `query ($ref: EntityRef!) { campaign(ref: $ref) { name weight endDate paused ${ENTITY} } }`;
const PLACEMENT = `query ($id: ID!) { node(id: $id) { ... on Placement { restrictions ${ENTITY} } } }`;
const RESULT = '__typename ... on Error { message } ... on ValidationError { fieldErrors { path message } }';

describe.skipIf(!!skip)('two-way sync', () => {
  let env: SyncEnv;
  const mutate = async (name: string, inputType: string, input: Record<string, unknown>, payload = '') => {
    const data = await gqlData(env, `mutation ($input: ${inputType}!) { ${name}(input: $input) { ${RESULT} ${payload} } }`, { input });
    return data[name];
  };
  const campaign = async (broadstreetId: number) => (await gqlData(env, CAMPAIGN, { ref: { broadstreetId } })).campaign;
  /** A synced campaign of the network with at least `placements` placements, not used by an earlier test. */
  const used = new Set<number>();
  const pickCampaign = async (placements = 0) => {
    const rows = await db().campaign.findMany({
      where: { network: { broadstreetId: NETWORK }, broadstreetId: { not: null }, removedAt: null },
      include: { placements: true, advertiser: true },
      // Broadstreet's ids, not local ones: a concurrent import inserts in no fixed order, and the pick must not vary.
      orderBy: { broadstreetId: 'asc' },
    });
    const row = rows.find((c) => !used.has(c.id) && c.placements.length >= placements && !used.has(-c.advertiserId))!;
    used.add(row.id);
    return row;
  };

  beforeAll(async () => {
    env = await startSyncEnv({ size: 'small' });
    const { run } = await env.sync({ networkId: NETWORK, direction: 'IMPORT' });
    expect(run.status).toBe('SUCCEEDED');
  });
  afterAll(() => env?.stop());

  it('pushes a synced campaign edited here (end date, weight, paused), and a re-import finds nothing changed', async () => {
    const row = await pickCampaign();
    const edited = await mutate(
      'updateCampaign',
      'UpdateCampaignInput',
      { campaign: { broadstreetId: row.broadstreetId }, endDate: '2031-12-31', weight: 1.5, paused: true },
      `... on UpdateCampaignPayload { campaign { ${ENTITY} } }`,
    );
    expect(edited).toMatchObject({ campaign: { syncStatus: 'CHANGED', changedFields: ['endDate', 'weight', 'paused'] } });

    const { run } = await env.sync({ networkId: NETWORK, direction: 'EXPORT' });
    expect(run.status).toBe('SUCCEEDED');
    expect(env.emulator.store.campaigns.get(row.broadstreetId!)).toMatchObject({ endDate: '2031-12-31', weight: 1.5, paused: true });
    expect(await campaign(row.broadstreetId!)).toMatchObject({ syncStatus: 'SYNCED', changedFields: [], conflict: null });
    const report = (await runItems(env, run.id)).find((i: { mongoId: string }) => i.mongoId === row.mongoId);
    expect(report).toMatchObject({ outcome: 'UPDATED' });
    expect(report!.changes).toEqual(
      expect.arrayContaining([
        { field: 'endDate', from: row.endDate, to: '2031-12-31', driftChecked: true },
        { field: 'weight', from: row.weight, to: 1.5, driftChecked: true },
        // Broadstreet never returns paused: pushed, never drift-checked.
        { field: 'paused', from: false, to: true, driftChecked: false },
      ]),
    );
    expect(run.counts.find((c: { entityType: string }) => c.entityType === 'CAMPAIGN')).toMatchObject({ updated: 1 });

    const again = await env.sync({ networkId: NETWORK, direction: 'IMPORT' });
    expect(again.run.status).toBe('SUCCEEDED');
    expect(await campaign(row.broadstreetId!)).toMatchObject({ endDate: '2031-12-31', weight: 1.5, paused: true, syncStatus: 'SYNCED' });
    const changed = await gqlData(env, `query { campaigns(networkId: ${NETWORK}, syncState: CHANGED) { totalCount } }`, {});
    expect(changed.campaigns.totalCount).toBe(0);
  });

  it('takes a change made in Broadstreet at import: the local row has it and reads SYNCED', async () => {
    const row = await pickCampaign();
    await editRemote(env, 'PUT', `campaign/${row.broadstreetId}`, { name: 'Renamed in Broadstreet', weight: 0.5 });
    const { run } = await env.sync({ networkId: NETWORK, direction: 'IMPORT' });
    expect(run.status).toBe('SUCCEEDED');
    expect(await campaign(row.broadstreetId!)).toMatchObject({ name: 'Renamed in Broadstreet', weight: 0.5, syncStatus: 'SYNCED' });
    expect(await db().campaign.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({
      base: expect.objectContaining({ name: 'Renamed in Broadstreet', weight: 0.5 }),
      changedAt: null,
    });
  });

  it('a field changed on both sides is a conflict with all three values; export leaves both sides; keeping LOCAL pushes', async () => {
    const row = await pickCampaign();
    await mutate('updateCampaign', 'UpdateCampaignInput', { campaign: { broadstreetId: row.broadstreetId }, endDate: '2032-01-31' });
    await editRemote(env, 'PUT', `campaign/${row.broadstreetId}`, { end_date: '2033-03-31' });

    const imported = await env.sync({ networkId: NETWORK, direction: 'IMPORT' });
    expect(imported.run.status).toBe('PARTIAL');
    expect(imported.run.errors).toEqual([expect.objectContaining({ code: 'CONFLICT', mongoId: row.mongoId })]);
    const stored = await campaign(row.broadstreetId!);
    expect(stored).toMatchObject({
      endDate: '2032-01-31',
      syncStatus: 'CONFLICT',
      conflict: {
        remoteDeleted: false,
        runId: imported.run.id,
        fields: [{ field: 'endDate', base: row.endDate, local: '2032-01-31', remote: '2033-03-31' }],
      },
    });
    const listed = await gqlData(env, `query { campaigns(networkId: ${NETWORK}, syncState: CONFLICT) { edges { node { mongoId } } } }`, {});
    expect(listed.campaigns.edges.map((e: { node: { mongoId: string } }) => e.node.mongoId)).toEqual([row.mongoId]);
    const refused = await mutate('updateCampaign', 'UpdateCampaignInput', { campaign: { broadstreetId: row.broadstreetId }, weight: 0.5 });
    expect(refused).toMatchObject({ __typename: 'ConflictError', message: expect.stringMatching(/resolveConflict/) });

    const putsBefore = env.emulator.stats.byEndpoint['PUT /campaigns/{id}'] ?? 0;
    const exported = await env.sync({ networkId: NETWORK, direction: 'EXPORT' });
    expect(exported.run.status).toBe('PARTIAL');
    expect(exported.run.errors).toContainEqual(expect.objectContaining({ code: 'CONFLICT', mongoId: row.mongoId, retryable: false }));
    expect(env.emulator.store.campaigns.get(row.broadstreetId!)!.endDate).toBe('2033-03-31');
    expect((await db().campaign.findUniqueOrThrow({ where: { id: row.id } })).endDate).toBe('2032-01-31');
    expect(env.emulator.stats.byEndpoint['PUT /campaigns/{id}'] ?? 0).toBe(putsBefore);

    const resolved = await mutate(
      'resolveConflict',
      'ResolveConflictInput',
      { entityType: 'CAMPAIGN', entity: { mongoId: row.mongoId }, keep: 'LOCAL' },
      '... on ResolveConflictPayload { campaign { endDate syncStatus changedFields } }',
    );
    expect(resolved.campaign).toEqual({ endDate: '2032-01-31', syncStatus: 'CHANGED', changedFields: ['endDate'] });
    const pushed = await env.sync({ networkId: NETWORK, direction: 'EXPORT' });
    expect(pushed.run.status).toBe('SUCCEEDED');
    expect(env.emulator.store.campaigns.get(row.broadstreetId!)!.endDate).toBe('2032-01-31');
    expect(await campaign(row.broadstreetId!)).toMatchObject({ syncStatus: 'SYNCED', conflict: null });
  });

  it("a conflict found just before the export write; keeping REMOTE makes the local row take Broadstreet's value", async () => {
    const row = await pickCampaign();
    // The network's sync summary counts the entity as changed, then as conflicting, then as neither.
    const summary = async () =>
      (
        await gqlData(env, 'query ($ref: EntityRef!) { network(ref: $ref) { syncSummary { changedCount conflictCount } } }', {
          ref: { broadstreetId: NETWORK },
        })
      ).network.syncSummary as { changedCount: number; conflictCount: number };
    const before = await summary();
    await mutate('updateCampaign', 'UpdateCampaignInput', { campaign: { broadstreetId: row.broadstreetId }, weight: 127 });
    expect(await summary()).toEqual({ changedCount: before.changedCount + 1, conflictCount: before.conflictCount });
    await editRemote(env, 'PUT', `campaign/${row.broadstreetId}`, { weight: 0 });
    const exported = await env.sync({ networkId: NETWORK, direction: 'EXPORT' });
    expect(exported.run.status).toBe('PARTIAL');
    expect(await summary()).toEqual({ changedCount: before.changedCount, conflictCount: before.conflictCount + 1 });
    expect(env.emulator.store.campaigns.get(row.broadstreetId!)!.weight).toBe(0);
    expect(await campaign(row.broadstreetId!)).toMatchObject({
      weight: 127,
      syncStatus: 'CONFLICT',
      conflict: { fields: [{ field: 'weight', base: row.weight, local: 127, remote: 0 }] },
    });
    const bad = await mutate('resolveConflict', 'ResolveConflictInput', {
      entityType: 'CAMPAIGN',
      entity: { mongoId: row.mongoId },
      keep: 'REMOTE',
      fields: [{ field: 'name', keep: 'LOCAL' }],
    });
    expect(bad).toMatchObject({ __typename: 'ValidationError', fieldErrors: [{ path: ['input', 'fields', '0', 'field'] }] });
    const resolved = await mutate(
      'resolveConflict',
      'ResolveConflictInput',
      { entityType: 'CAMPAIGN', entity: { broadstreetId: row.broadstreetId }, keep: 'REMOTE' },
      '... on ResolveConflictPayload { campaign { weight syncStatus } }',
    );
    expect(resolved.campaign).toEqual({ weight: 0, syncStatus: 'SYNCED' });
    expect(await summary()).toEqual(before);
    const putsBefore = env.emulator.stats.byEndpoint['PUT /campaigns/{id}'] ?? 0;
    const next = await env.sync({ networkId: NETWORK, direction: 'EXPORT' });
    expect(next.run.status).toBe('SUCCEEDED');
    // Nothing to push: no PUT was sent, and the local row holds Broadstreet's value.
    expect(env.emulator.stats.byEndpoint['PUT /campaigns/{id}'] ?? 0).toBe(putsBefore);
    expect((await db().campaign.findUniqueOrThrow({ where: { id: row.id } })).weight).toBe(0);
  });

  it('changes to different fields on the two sides merge, with no conflict', async () => {
    const row = await pickCampaign();
    await mutate('updateCampaign', 'UpdateCampaignInput', { campaign: { broadstreetId: row.broadstreetId }, name: 'Renamed here' });
    await editRemote(env, 'PUT', `campaign/${row.broadstreetId}`, { end_date: '2034-04-30' });
    const { run } = await env.sync({ networkId: NETWORK, direction: 'EXPORT' });
    expect(run.status).toBe('SUCCEEDED');
    expect(env.emulator.store.campaigns.get(row.broadstreetId!)).toMatchObject({ name: 'Renamed here', endDate: '2034-04-30' });
    expect(await campaign(row.broadstreetId!)).toMatchObject({ name: 'Renamed here', endDate: '2034-04-30', syncStatus: 'SYNCED' });
  });

  it('deletes a synced placement, then its campaign, children first; a parent with live children is refused', async () => {
    const row = await pickCampaign(1);
    const placements = await db().placement.findMany({ where: { campaignId: row.id }, include: { advertisement: true, zone: true } });
    const refused = await mutate('deleteCampaign', 'DeleteCampaignInput', { campaign: { broadstreetId: row.broadstreetId } });
    expect(refused).toMatchObject({ __typename: 'DependencyError', message: expect.stringMatching(/placement\(s\) not deleted/) });
    expect((await db().campaign.findUniqueOrThrow({ where: { id: row.id } })).deletedAt).toBeNull();

    for (const p of placements) {
      expect((await mutate('deletePlacement', 'DeletePlacementInput', { mongoId: p.mongoId })).__typename).toBe('DeletePlacementPayload');
    }
    // A DELETING placement is hidden from its campaign's, its zone's and its network's placements unless asked for.
    const related = (include: boolean) =>
      gqlData(
        env,
        `query ($ref: EntityRef!, $net: EntityRef!) {
          campaign(ref: $ref) { placements(first: 200, includeDeleting: ${include}) { totalCount edges { node { mongoId } } } }
          network(ref: $net) { placements(first: 500, includeDeleting: ${include}) { edges { node { mongoId } } } } }`,
        { ref: { broadstreetId: row.broadstreetId }, net: { broadstreetId: NETWORK } },
      );
    const hidden = await related(false);
    expect(hidden.campaign.placements).toEqual({ totalCount: 0, edges: [] });
    const shown = await related(true);
    expect(shown.campaign.placements.totalCount).toBe(placements.length);
    const networkIds = (data: any) => data.network.placements.edges.map((e: { node: { mongoId: string } }) => e.node.mongoId);
    for (const p of placements) {
      expect(networkIds(hidden)).not.toContain(p.mongoId);
      expect(networkIds(shown)).toContain(p.mongoId);
    }
    const deleting = await mutate('deleteCampaign', 'DeleteCampaignInput', { campaign: { broadstreetId: row.broadstreetId } });
    expect(deleting.__typename).toBe('DeleteCampaignPayload');
    expect((await campaign(row.broadstreetId!)).syncStatus).toBe('DELETING');
    // Hidden from lists unless asked for.
    const list = (include: boolean) =>
      gqlData(
        env,
        `query { campaigns(networkId: ${NETWORK}, includeDeleting: ${include}, first: 200) { edges { node { mongoId } } } }`,
        {},
      );
    const ids = async (include: boolean) => (await list(include)).campaigns.edges.map((e: { node: { mongoId: string } }) => e.node.mongoId);
    expect(await ids(false)).not.toContain(row.mongoId);
    expect(await ids(true)).toContain(row.mongoId);

    const { run } = await env.sync({ networkId: NETWORK, direction: 'EXPORT' });
    expect(run.status).toBe('SUCCEEDED');
    expect(env.emulator.store.campaigns.has(row.broadstreetId!)).toBe(false);
    expect(env.emulator.store.placementsOf(row.broadstreetId!)).toEqual([]);
    const report = (await runItems(env, run.id)).filter((i: { outcome: string }) => i.outcome === 'DELETED');
    // Child first: every placement's report comes before its campaign's.
    expect(report.map((i: { entityType: string }) => i.entityType)).toEqual([...placements.map(() => 'PLACEMENT'), 'CAMPAIGN']);
    const local = await db().campaign.findUniqueOrThrow({ where: { id: row.id } });
    expect(local.removedAt).not.toBeNull();
    expect(await db().placement.count({ where: { campaignId: row.id, removedAt: null } })).toBe(0);
    expect((await campaign(row.broadstreetId!)).syncStatus).toBe('REMOVED');
    const counts = await gqlData(env, `query ($id: ID!) { syncRun(id: $id) { counts { entityType deleted conflicts } } }`, { id: run.id });
    expect(counts.syncRun.counts).toEqual(
      expect.arrayContaining([
        { entityType: 'PLACEMENT', deleted: placements.length, conflicts: 0 },
        { entityType: 'CAMPAIGN', deleted: 1, conflicts: 0 },
      ]),
    );
  });

  it('a campaign deleted in Broadstreet becomes removed with its placements; one edited here becomes a conflict', async () => {
    const gone = await pickCampaign(1);
    const edited = await pickCampaign();
    await mutate('updateCampaign', 'UpdateCampaignInput', { campaign: { broadstreetId: edited.broadstreetId }, weight: 1.5 });
    await editRemote(env, 'DELETE', `campaign/${gone.broadstreetId}`);
    await editRemote(env, 'DELETE', `campaign/${edited.broadstreetId}`);
    const { run } = await env.sync({ networkId: NETWORK, direction: 'IMPORT' });
    // Honest outcomes: an entity left in conflict makes the import PARTIAL too.
    expect(run.status).toBe('PARTIAL');
    expect(run.errors).toEqual([expect.objectContaining({ code: 'CONFLICT', mongoId: edited.mongoId, retryable: false })]);
    expect((await campaign(gone.broadstreetId!)).syncStatus).toBe('REMOVED');
    expect(await db().placement.count({ where: { campaignId: gone.id, removedAt: null } })).toBe(0);
    expect(await campaign(edited.broadstreetId!)).toMatchObject({
      syncStatus: 'CONFLICT',
      weight: 1.5,
      conflict: { remoteDeleted: true, fields: [{ field: 'weight', local: 1.5, remote: null }] },
    });
    // Keeping REMOTE accepts the removal.
    const resolved = await mutate(
      'resolveConflict',
      'ResolveConflictInput',
      { entityType: 'CAMPAIGN', entity: { mongoId: edited.mongoId }, keep: 'REMOTE' },
      '... on ResolveConflictPayload { campaign { syncStatus } }',
    );
    expect(resolved.campaign.syncStatus).toBe('REMOVED');
  });

  it('an entity deleted on both sides is a conflict (not silently removed); keeping either side makes it REMOVED', async () => {
    const both = await pickCampaign();
    const other = await pickCampaign();
    for (const row of [both, other]) {
      for (const p of row.placements) {
        expect((await mutate('deletePlacement', 'DeletePlacementInput', { mongoId: p.mongoId })).__typename).toBe('DeletePlacementPayload');
      }
      const deleted = await mutate('deleteCampaign', 'DeleteCampaignInput', { campaign: { mongoId: row.mongoId } });
      expect(deleted.__typename).toBe('DeleteCampaignPayload');
      await editRemote(env, 'DELETE', `campaign/${row.broadstreetId}`);
    }
    const posts = env.emulator.stats.byEndpoint['POST /campaigns'] ?? 0;
    const deletes = env.emulator.stats.byEndpoint['DELETE /campaigns/{id}'] ?? 0;
    const { run } = await env.sync({ networkId: NETWORK, direction: 'IMPORT' });
    expect(run.status).toBe('PARTIAL');
    expect(run.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          code: 'CONFLICT',
          mongoId: both.mongoId,
          message: expect.stringContaining('deleted here and in Broadstreet'),
        }),
        expect.objectContaining({ code: 'CONFLICT', mongoId: other.mongoId }),
      ]),
    );
    expect(await campaign(both.broadstreetId!)).toMatchObject({
      syncStatus: 'CONFLICT',
      conflict: { remoteDeleted: true, localDeleted: true, fields: [] },
    });
    // An export meanwhile sends nothing for it (no DELETE of what Broadstreet no longer has) and reports the conflict.
    const exported = await env.sync({ networkId: NETWORK, direction: 'EXPORT', entityTypes: ['CAMPAIGN'] });
    expect(exported.run.errors).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'CONFLICT', mongoId: both.mongoId })]));
    for (const [row, keep] of [
      [both, 'LOCAL'],
      [other, 'REMOTE'],
    ] as const) {
      const resolved = await mutate(
        'resolveConflict',
        'ResolveConflictInput',
        { entityType: 'CAMPAIGN', entity: { mongoId: row.mongoId }, keep },
        '... on ResolveConflictPayload { campaign { syncStatus broadstreetId } }',
      );
      // Keeping LOCAL keeps the local deletion: nothing is re-created.
      expect(resolved.campaign).toEqual({ syncStatus: 'REMOVED', broadstreetId: row.broadstreetId });
    }
    const next = await env.sync({ networkId: NETWORK, direction: 'EXPORT', entityTypes: ['CAMPAIGN'] });
    expect(next.run.errors.filter((e: { mongoId: string }) => e.mongoId === both.mongoId || e.mongoId === other.mongoId)).toEqual([]);
    expect(env.emulator.stats.byEndpoint['POST /campaigns'] ?? 0).toBe(posts);
    expect(env.emulator.stats.byEndpoint['DELETE /campaigns/{id}'] ?? 0).toBe(deletes);
    expect(env.emulator.store.campaigns.has(both.broadstreetId!) || env.emulator.store.campaigns.has(other.broadstreetId!)).toBe(false);
  });

  it('an advertiser deleted in Broadstreet takes its campaigns and their placements along (they no longer stay active)', async () => {
    const advertiser = await db().advertiser.findFirstOrThrow({
      where: { network: { broadstreetId: NETWORK }, removedAt: null, campaigns: { some: { removedAt: null, placements: { some: {} } } } },
      include: { campaigns: { include: { placements: true } } },
      orderBy: { broadstreetId: 'desc' },
    });
    for (const c of advertiser.campaigns) used.add(c.id);
    await editRemote(env, 'DELETE', `advertiser/${advertiser.broadstreetId}`);
    const { run } = await env.sync({ networkId: NETWORK, direction: 'IMPORT' });
    expect(run.errors).toEqual([]);
    expect(run.status).toBe('SUCCEEDED');
    const campaignIds = advertiser.campaigns.map((c) => c.id);
    expect((await db().advertiser.findUniqueOrThrow({ where: { id: advertiser.id } })).removedAt).not.toBeNull();
    expect(await db().campaign.count({ where: { id: { in: campaignIds }, removedAt: null } })).toBe(0);
    expect(await db().placement.count({ where: { campaignId: { in: campaignIds }, removedAt: null } })).toBe(0);
    expect(await db().advertisement.count({ where: { advertiserId: advertiser.id, removedAt: null } })).toBe(0);
  });

  it("a change of a placement's restrictions re-creates its triple: the emulator ends with exactly one, carrying them", async () => {
    const row = await pickCampaign(1);
    const p = (await db().placement.findFirstOrThrow({ where: { campaignId: row.id }, include: { advertisement: true, zone: true } }))!;
    const changed = await mutate(
      'updatePlacement',
      'UpdatePlacementInput',
      { mongoId: p.mongoId, restrictions: ['tablet', 'desktop'] },
      '... on UpdatePlacementPayload { placement { syncStatus changedFields } }',
    );
    expect(changed.placement).toEqual({ syncStatus: 'CHANGED', changedFields: ['restrictions'] });
    const { run } = await env.sync({ networkId: NETWORK, direction: 'EXPORT' });
    expect(run.status).toBe('SUCCEEDED');
    const triple = env.emulator.store
      .placementsOf(row.broadstreetId!)
      .filter((x) => x.advertisementId === p.advertisement.broadstreetId && x.zoneId === p.zone.broadstreetId);
    expect(triple).toEqual([expect.objectContaining({ restrictions: ['tablet', 'desktop'] })]);
    const node = (await gqlData(env, PLACEMENT, { id: Buffer.from(`Placement:${p.id}`).toString('base64') })).node;
    expect(node).toMatchObject({ restrictions: ['tablet', 'desktop'], syncStatus: 'SYNCED', changedFields: [] });
    expect((await db().placement.findUniqueOrThrow({ where: { id: p.id } })).intentRunId).toBeNull();
    // A re-import finds it as it is.
    await env.sync({ networkId: NETWORK, direction: 'IMPORT' });
    expect((await gqlData(env, PLACEMENT, { id: Buffer.from(`Placement:${p.id}`).toString('base64') })).node.syncStatus).toBe('SYNCED');
  });

  it('an edit of a placement marked for deletion restores it; a zone edited here is pushed with its name (PUT requires it)', async () => {
    const row = await pickCampaign(1);
    const p = await db().placement.findFirstOrThrow({ where: { campaignId: row.id }, include: { advertisement: true, zone: true } });
    expect((await mutate('deletePlacement', 'DeletePlacementInput', { mongoId: p.mongoId })).__typename).toBe('DeletePlacementPayload');
    const restored = await mutate(
      'updatePlacement',
      'UpdatePlacementInput',
      { mongoId: p.mongoId, restrictions: ['mobile'] },
      '... on UpdatePlacementPayload { placement { syncStatus changedFields } }',
    );
    expect(restored.placement).toEqual({ syncStatus: 'CHANGED', changedFields: ['restrictions'] });
    const zone = p.zone;
    const alias = await mutate(
      'updateZone',
      'UpdateZoneInput',
      { zone: { mongoId: zone.mongoId }, alias: 'pushed-alias' },
      '... on UpdateZonePayload { zone { syncStatus changedFields } }',
    );
    expect(alias.zone).toEqual({ syncStatus: 'CHANGED', changedFields: ['alias'] });
    const { run } = await env.sync({ networkId: NETWORK, direction: 'EXPORT' });
    expect(run.errors).toEqual([]);
    expect(run.status).toBe('SUCCEEDED');
    expect(env.emulator.store.zones.get(zone.broadstreetId!)).toMatchObject({ name: zone.name, alias: 'pushed-alias' });
    const triple = env.emulator.store
      .placementsOf(row.broadstreetId!)
      .filter((x) => x.advertisementId === p.advertisement.broadstreetId && x.zoneId === zone.broadstreetId);
    expect(triple).toEqual([expect.objectContaining({ restrictions: ['mobile'] })]);
    expect(await db().placement.findUniqueOrThrow({ where: { id: p.id } })).toMatchObject({ deletedAt: null, removedAt: null });
  });

  it('a placement re-create is crash-safe: a lost create answer, and a resume after the delete went through, end with one placement', async () => {
    const row = await pickCampaign(2);
    const [first, second] = await db().placement.findMany({
      where: { campaignId: row.id },
      include: { advertisement: true, zone: true },
      orderBy: { id: 'asc' },
    });
    const tripleOf = (p: typeof first) =>
      env.emulator.store
        .placementsOf(row.broadstreetId!)
        .filter((x) => x.advertisementId === p!.advertisement.broadstreetId && x.zoneId === p!.zone.broadstreetId);
    // The first: Broadstreet creates it but the answer is lost.
    await mutate('updatePlacement', 'UpdatePlacementInput', { mongoId: first!.mongoId, restrictions: ['phone'] });
    const faults = await fetch(`${env.emulator.origin}/__emulator/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ script: [{ kind: 'created-then-dropped', endpoint: 'POST /placements', count: 1 }] }),
    });
    expect(faults.status).toBe(200);
    // The second: as if an earlier export died between its delete and its create (the intent is on the row).
    await mutate('updatePlacement', 'UpdatePlacementInput', { mongoId: second!.mongoId, restrictions: ['non_phone'] });
    await editRemote(
      env,
      'DELETE',
      `placement?campaign_id=${row.broadstreetId}&advertisement_id=${second!.advertisement.broadstreetId}&zone_id=${second!.zone.broadstreetId}`,
    );
    await db().placement.update({ where: { id: second!.id }, data: { intentRunId: 999999 } });

    const { run } = await env.sync({ networkId: NETWORK, direction: 'EXPORT' });
    expect(run.errors).toEqual([]);
    expect(run.status).toBe('SUCCEEDED');
    expect(tripleOf(first)).toEqual([expect.objectContaining({ restrictions: ['phone'] })]);
    expect(tripleOf(second)).toEqual([expect.objectContaining({ restrictions: ['non_phone'] })]);
    for (const p of [first!, second!]) {
      expect(await db().placement.findUniqueOrThrow({ where: { id: p.id } })).toMatchObject({
        intentRunId: null,
        changedAt: null,
        conflict: null,
      });
    }
  });

  it('keeping LOCAL after a remote deletion re-creates the campaign and its placements at the next export', async () => {
    const row = await pickCampaign(1);
    const placements = await db().placement.count({ where: { campaignId: row.id, removedAt: null } });
    await mutate('updateCampaign', 'UpdateCampaignInput', { campaign: { broadstreetId: row.broadstreetId }, name: 'Kept here' });
    await editRemote(env, 'DELETE', `campaign/${row.broadstreetId}`);
    const imported = await env.sync({ networkId: NETWORK, direction: 'IMPORT' });
    expect(imported.run.status).toBe('PARTIAL');
    expect((await campaign(row.broadstreetId!)).conflict).toMatchObject({ remoteDeleted: true });
    const resolved = await mutate(
      'resolveConflict',
      'ResolveConflictInput',
      { entityType: 'CAMPAIGN', entity: { mongoId: row.mongoId }, keep: 'LOCAL' },
      '... on ResolveConflictPayload { campaign { syncStatus broadstreetId } }',
    );
    expect(resolved.campaign).toEqual({ syncStatus: 'LOCAL', broadstreetId: null });
    const { run } = await env.sync({ networkId: NETWORK, direction: 'EXPORT' });
    expect(run.errors).toEqual([]);
    expect(run.status).toBe('SUCCEEDED');
    const local = await db().campaign.findUniqueOrThrow({ where: { id: row.id } });
    expect(local.broadstreetId).not.toBeNull();
    expect(local.broadstreetId).not.toBe(row.broadstreetId);
    expect(env.emulator.store.campaigns.get(local.broadstreetId!)).toMatchObject({ name: 'Kept here' });
    expect(env.emulator.store.placementsOf(local.broadstreetId!)).toHaveLength(placements);
  });

  it('keeping LOCAL after Broadstreet deleted an edited advertiser re-creates it with the campaigns removed along with it', async () => {
    const advertiser = await db().advertiser.findFirstOrThrow({
      where: {
        network: { broadstreetId: NETWORK },
        removedAt: null,
        conflict: { equals: Prisma.DbNull },
        campaigns: { some: { removedAt: null } },
      },
      include: { campaigns: { where: { removedAt: null } } },
      orderBy: { broadstreetId: 'asc' },
    });
    for (const c of advertiser.campaigns) used.add(c.id);
    used.add(-advertiser.id);
    const updated = await mutate('updateAdvertiser', 'UpdateAdvertiserInput', {
      advertiser: { mongoId: advertiser.mongoId },
      name: 'Kept Advertiser',
      // Only what an edit sets is checked: the stored, scheme-less URL Broadstreet has does not stop a rename.
    });
    expect(updated).toEqual({ __typename: 'UpdateAdvertiserPayload' });
    await editRemote(env, 'DELETE', `advertiser/${advertiser.broadstreetId}`);
    const imported = await env.sync({ networkId: NETWORK, direction: 'IMPORT' });
    expect(imported.run.status).toBe('PARTIAL');
    expect(imported.run.errors).toEqual([expect.objectContaining({ code: 'CONFLICT', mongoId: advertiser.mongoId })]);
    const campaignIds = advertiser.campaigns.map((c) => c.id);
    const resolved = await mutate(
      'resolveConflict',
      'ResolveConflictInput',
      { entityType: 'ADVERTISER', entity: { mongoId: advertiser.mongoId }, keep: 'LOCAL' },
      '... on ResolveConflictPayload { advertiser { syncStatus broadstreetId } }',
    );
    expect(resolved.advertiser).toEqual({ syncStatus: 'LOCAL', broadstreetId: null });
    // Re-created, it is sent whole: a create takes only a URL with a scheme.
    const fixed = await mutate('updateAdvertiser', 'UpdateAdvertiserInput', {
      advertiser: { mongoId: advertiser.mongoId },
      webHomeUrl: 'https://kept.example',
    });
    expect(fixed).toEqual({ __typename: 'UpdateAdvertiserPayload' });
    const campaigns = await db().campaign.findMany({ where: { id: { in: campaignIds } } });
    expect(campaigns.map((c) => [c.removedAt, c.broadstreetId, c.syncedAt])).toEqual(campaignIds.map(() => [null, null, null]));
    // Their placements showed the advertiser's advertisements, which Broadstreet deleted with it and its API cannot create.
    expect(await db().placement.count({ where: { campaignId: { in: campaignIds }, removedAt: null } })).toBe(0);

    const { run } = await env.sync({ networkId: NETWORK, direction: 'EXPORT' });
    expect(run.errors).toEqual([]);
    expect(run.status).toBe('SUCCEEDED');
    const local = await db().advertiser.findUniqueOrThrow({ where: { id: advertiser.id } });
    expect(local.broadstreetId).not.toBeNull();
    expect(env.emulator.store.advertisers.get(local.broadstreetId!)).toMatchObject({
      name: 'Kept Advertiser',
      webHomeUrl: 'https://kept.example',
    });
    // Each campaign exactly once, under the re-created advertiser.
    const remoteCampaigns = env.emulator.store.campaignsOf(local.broadstreetId!);
    expect(remoteCampaigns.map((c) => c.name).sort()).toEqual(advertiser.campaigns.map((c) => c.name).sort());
    const exported = await db().campaign.findMany({ where: { id: { in: campaignIds } } });
    expect(new Set(exported.map((c) => c.broadstreetId))).toEqual(new Set(remoteCampaigns.map((c) => c.id)));
  });

  it('an advertisement deleted in Broadstreet becomes removed with its placements, and the import SUCCEEDED', async () => {
    const ad = await db().advertisement.findFirstOrThrow({
      where: { network: { broadstreetId: NETWORK }, removedAt: null, placements: { some: { removedAt: null } } },
      include: { placements: { where: { removedAt: null } } },
      orderBy: { broadstreetId: 'desc' },
    });
    for (const p of ad.placements) used.add(p.campaignId);
    await editRemote(env, 'DELETE', `advertisement/${ad.broadstreetId}`);
    const { run } = await env.sync({ networkId: NETWORK, direction: 'IMPORT' });
    expect(run.errors).toEqual([]);
    expect(run.status).toBe('SUCCEEDED');
    expect((await db().advertisement.findUniqueOrThrow({ where: { id: ad.id } })).removedAt).not.toBeNull();
    expect(await db().placement.count({ where: { advertisementId: ad.id, removedAt: null } })).toBe(0);
  });
});
