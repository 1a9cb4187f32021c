// The sync core without a server: the import reconciler and the export plan,
// each given a run context over a test database (services passed in).
import { describe, expect, it } from 'vitest';
import { db, useTestDatabase } from '../helpers/db.ts';
import type { EntityType } from '../../src/domain/enums.ts';
import { createLogger } from '../../src/logger.ts';
import { createMemoryPubSub } from '../../src/pubsub.ts';
import { systemClock } from '../../src/sync/clock.ts';
import type { RunContext } from '../../src/sync/context.ts';
import { buildPlan } from '../../src/sync/export/plan.ts';
import { PhaseReconciler } from '../../src/sync/import/reconcile.ts';
import { RunProgress } from '../../src/sync/progress.ts';
import { databaseSkipReason, TEST_PROVIDER } from '../helpers/database.ts';
import { localAdvertiser, localCampaign, localPlacement, localZone } from '../helpers/local-entities.ts';
import { seedAdvertisement, seedAdvertiser, seedNetwork, seedZone } from '../helpers/seed.ts';

const skip = databaseSkipReason();
if (skip) console.warn(`skipped: ${skip}`);

function contextFor(entityTypes: EntityType[], options: { dryRun?: boolean; mongoIds?: string[] } = {}): RunContext {
  const runs = { appendEvent: async () => {} };
  const progress = new RunProgress(
    { runs, pubsub: createMemoryPubSub(), logger: createLogger('silent'), clock: systemClock },
    { id: 1, lastSeq: 1, percentage: 0, counts: {} },
    [['VALIDATION', 1]],
  );
  return {
    run: { id: 1, dryRun: options.dryRun ?? false, direction: 'IMPORT' },
    entityTypes,
    scope: options.mongoIds ? { mongoIds: options.mongoIds } : null,
    db: db(),
    progress,
    checkpoint: async () => {},
    concurrency: 1,
  } as unknown as RunContext;
}

describe.skipIf(!!skip)(`the sync core on ${TEST_PROVIDER}`, () => {
  useTestDatabase();

  describe('import reconciliation', () => {
    it('upserts by broadstreetId, marks what a fetched scope no longer lists, and never touches local-only rows', async () => {
      const network = await seedNetwork();
      const kept = await seedZone(network.id, { name: 'Kept', broadstreetId: 501 });
      const renamed = await seedZone(network.id, { name: 'Old name', broadstreetId: 502 });
      const gone = await seedZone(network.id, { name: 'Gone', broadstreetId: 503 });
      const local = await localZone(network.id, 'Local only');
      const localBefore = await db().zone.findUniqueOrThrow({ where: { id: local.id } });

      const ctx = contextFor(['ZONE']);
      const reconciler = new PhaseReconciler(ctx, { entityType: 'ZONE', model: 'zone', networkId: network.id, scopeColumn: 'networkId' });
      await reconciler.load();
      const zone = (broadstreetId: number, name: string) => ({ broadstreetId, fields: { name, alias: null, selfServe: false } });
      const result = await reconciler.scope(network.id, [zone(501, 'Kept'), zone(502, 'New name'), zone(504, 'Brand new')]);
      expect(result).toEqual({ created: 1, updated: 1, unchanged: 1 });
      expect(await reconciler.finish()).toBe(1);

      const rows = await db().zone.findMany({ where: { networkId: network.id }, orderBy: { id: 'asc' } });
      const byName = Object.fromEntries(rows.map((r) => [r.name, r]));
      expect(byName.Kept).toMatchObject({ id: kept.id, removedAt: null });
      expect(byName['New name']).toMatchObject({ id: renamed.id, broadstreetId: 502 });
      expect(byName.Gone!.removedAt).not.toBeNull();
      expect(byName.Gone!.id).toBe(gone.id);
      expect(byName['Brand new']).toMatchObject({ broadstreetId: 504, removedAt: null });
      expect(await db().zone.findUniqueOrThrow({ where: { id: local.id } })).toEqual(localBefore);
      expect(ctx.progress.runCounts.ZONE).toMatchObject({ created: 1, updated: 1, unchanged: 1 });
    });

    it('a dry run counts the same changes and writes none', async () => {
      const network = await seedNetwork();
      await seedZone(network.id, { name: 'Stays', broadstreetId: 601 });
      const before = await db().zone.findMany({ where: { networkId: network.id } });
      const ctx = contextFor(['ZONE'], { dryRun: true });
      const reconciler = new PhaseReconciler(ctx, { entityType: 'ZONE', model: 'zone', networkId: network.id, scopeColumn: 'networkId' });
      await reconciler.load();
      await reconciler.scope(network.id, [{ broadstreetId: 602, fields: { name: 'Would be new', alias: null, selfServe: false } }]);
      expect(await reconciler.finish()).toBe(1);
      expect(ctx.progress.runCounts.ZONE).toMatchObject({ created: 1 });
      expect(await db().zone.findMany({ where: { networkId: network.id } })).toEqual(before);
    });
  });

  describe('the export plan', () => {
    it('orders parents before children, links local parents, and blocks the children of a blocked parent', async () => {
      const network = await seedNetwork();
      const syncedAdvertiser = await seedAdvertiser(network.id);
      const ad = await seedAdvertisement(syncedAdvertiser);
      const zone = await localZone(network.id, 'Local zone');
      const good = await localAdvertiser(network.id, 'Good');
      const bad = await localAdvertiser(network.id, 'Bad', { webHomeUrl: 'not a url' });
      const goodCampaign = await localCampaign(network.id, good.id, 'Under good');
      const badCampaign = await localCampaign(network.id, bad.id, 'Under bad');
      const placement = await localPlacement(network.id, { campaignId: badCampaign.id, advertisementId: ad.id, zoneId: zone.id });

      const plan = await buildPlan(contextFor(['ADVERTISER', 'ZONE', 'CAMPAIGN', 'PLACEMENT']), network);
      expect(plan.items.map((i) => `${i.type}:${i.name}`)).toEqual([
        'ADVERTISER:Good',
        'ADVERTISER:Bad',
        'ZONE:Local zone',
        'CAMPAIGN:Under good',
        'CAMPAIGN:Under bad',
        `PLACEMENT:Under bad / ${ad.name} / Local zone`,
      ]);
      const item = (id: number, type: string) => plan.byKey.get(`${type}:${id}`)!;
      expect(item(good.id, 'ADVERTISER').blocked).toBeUndefined();
      expect(item(bad.id, 'ADVERTISER').blocked).toMatchObject({ code: 'VALIDATION', message: expect.stringMatching(/webHomeUrl/) });
      expect(item(goodCampaign.id, 'CAMPAIGN')).toMatchObject({ parents: [{ type: 'ADVERTISER', id: good.id }] });
      expect(item(goodCampaign.id, 'CAMPAIGN').blocked).toBeUndefined();
      expect(item(badCampaign.id, 'CAMPAIGN').blocked).toMatchObject({
        code: 'DEPENDENCY',
        message: expect.stringMatching(/advertiser "Bad" cannot be exported/),
      });
      expect(item(placement.id, 'PLACEMENT').parents).toEqual([
        { type: 'CAMPAIGN', id: badCampaign.id },
        { type: 'ZONE', id: zone.id },
      ]);
      expect(item(placement.id, 'PLACEMENT').blocked).toMatchObject({ code: 'DEPENDENCY' });
    });

    it('a child whose local parent is not part of this export is blocked (DEPENDENCY), never attempted', async () => {
      const network = await seedNetwork();
      const advertiser = await localAdvertiser(network.id, 'Only campaigns exported');
      const campaign = await localCampaign(network.id, advertiser.id, 'Orphaned');
      const plan = await buildPlan(contextFor(['CAMPAIGN']), network);
      expect(plan.items).toHaveLength(1);
      expect(plan.byKey.get(`CAMPAIGN:${campaign.id}`)!.blocked).toMatchObject({
        code: 'DEPENDENCY',
        message: expect.stringMatching(/needs advertiser "Only campaigns exported" .* exported first, and it is not part of this export/),
      });
    });

    it('a retry plans only the entities it names', async () => {
      const network = await seedNetwork();
      const a = await localAdvertiser(network.id, 'Retried');
      await localAdvertiser(network.id, 'Not retried');
      const plan = await buildPlan(contextFor(['ADVERTISER'], { mongoIds: [a.mongoId] }), network);
      expect(plan.items.map((i) => i.name)).toEqual(['Retried']);
    });
  });
});
