// Placements are listed per campaign and identified by their triple
// (campaign, advertisement, zone): there is no placement id to upsert by.
// The network's placements are read once and new ones written in chunks
// across campaigns (see batched-creates.ts for why). The lookups (ads, zones,
// campaigns, placements: ~50,000 rows in a 100,000-entity network) are read
// in pages, so that no single read holds the event loop (issue 18).
import { BroadstreetError, type CallOptions, type RejectedItem } from '../../broadstreet/index.ts';
import { insertRows } from '../../db/bulk-insert.ts';
import { findAllPaged } from '../../db/paged.ts';
import { newMongoId } from '../../domain/ids.ts';
import type { Network } from '../../generated/prisma/client.ts';
import { withSecondPass, type RunContext } from '../context.ts';
import { failureOf, isTransient, syncError } from '../failures.ts';
import { BatchedCreates } from './batched-creates.ts';
import { ACTION_OF_OUTCOME, columnChanges, createKey, importPlanOf } from './import-plan.ts';
import { GroupZones } from './group-zones.ts';
import { conflictError, mergeImported } from './merge-row.ts';
import { markGone } from './reconcile.ts';
import { listOf } from './read-ahead.ts';
import { rejections } from './rejections.ts';

type LocalPlacement = {
  id: number;
  mongoId: string;
  campaignId: number;
  advertisementId: number;
  zoneId: number;
  restrictions: unknown;
  syncedAt: Date | null;
  removedAt: Date | null;
  base: unknown;
  conflict: unknown;
  deletedAt: Date | null;
  changedAt: Date | null;
  intentRunId: number | null;
};

interface PlacementPhase {
  network: Network;
  adIds: Map<number, number>;
  zoneIds: Map<number, number>;
  byCampaign: Map<number, LocalPlacement[]>;
  /** Zones of other networks of the group, fetched on their own. */
  groupZones: GroupZones;
  creates: BatchedCreates;
}

export async function importPlacements(ctx: RunContext, network: Network): Promise<void> {
  // A dry run writes nothing: campaigns it would have removed by now are left out as a real run's are.
  const goneHere = importPlanOf(ctx)?.plannedGone('CAMPAIGN');
  // Every lookup a page at a time (a 100,000-entity network has ~50,000 of these rows).
  const listed = await findAllPaged((page) =>
    ctx.db.campaign.findMany({
      where: {
        AND: [{ networkId: network.id, broadstreetId: { not: null }, removedAt: null, advertiser: { removedAt: null } }, page.where],
      },
      select: { id: true, broadstreetId: true, name: true },
      orderBy: page.orderBy,
      take: page.take,
    }),
  );
  const campaigns = goneHere && goneHere.size > 0 ? listed.filter((c) => !goneHere.has(c.id)) : listed;
  await ctx.progress.enterPhase('PLACEMENTS', campaigns.length, `fetching placements of ${campaigns.length} campaigns`);
  const imported = { networkId: network.id, broadstreetId: { not: null } };
  const ads = await findAllPaged((page) =>
    ctx.db.advertisement.findMany({
      where: { AND: [imported, page.where] },
      select: { id: true, broadstreetId: true },
      orderBy: page.orderBy,
      take: page.take,
    }),
  );
  const zones = await findAllPaged((page) =>
    ctx.db.zone.findMany({
      where: { AND: [imported, page.where] },
      select: { id: true, broadstreetId: true },
      orderBy: page.orderBy,
      take: page.take,
    }),
  );
  const existing = await findAllPaged((page) =>
    ctx.db.placement.findMany({
      where: { AND: [{ networkId: network.id }, page.where] },
      select: {
        id: true,
        mongoId: true,
        campaignId: true,
        advertisementId: true,
        zoneId: true,
        restrictions: true,
        syncedAt: true,
        removedAt: true,
        base: true,
        conflict: true,
        deletedAt: true,
        changedAt: true,
        intentRunId: true,
      },
      orderBy: page.orderBy,
      take: page.take,
    }),
  );
  const byCampaign = new Map<number, LocalPlacement[]>();
  for (const p of existing) {
    const list = byCampaign.get(p.campaignId);
    if (list) list.push(p);
    else byCampaign.set(p.campaignId, [p]);
  }
  const phase: PlacementPhase = {
    network,
    adIds: new Map(ads.map((a) => [a.broadstreetId!, a.id])),
    zoneIds: new Map(zones.map((z) => [z.broadstreetId!, z.id])),
    byCampaign,
    groupZones: new GroupZones(ctx, network),
    creates: new BatchedCreates(ctx, 'PLACEMENT', (rows) => insertRows(ctx.db, 'Placement', rows)),
  };
  try {
    await withSecondPass(ctx, campaigns, "campaigns' placements", async (campaign, final) => {
      await ctx.checkpoint();
      if ((await importCampaignPlacements(ctx, phase, campaign, final)) === 'deferred') return 'deferred';
      ctx.progress.advance(1, `placements of ${campaign.name}`);
      return undefined;
    });
  } catch (error) {
    // Cancelled or failed: what was fetched is still written, as it would have been campaign by campaign.
    await phase.creates.flush().catch(() => {});
    throw error;
  }
  await phase.creates.flush();
}

/** A campaign's placement list: what the phase reads, and the read-ahead too. */
export const placementList = (ctx: RunContext, campaignId: number) => (opts: CallOptions) => ctx.client.listPlacements(campaignId, opts);

async function importCampaignPlacements(
  ctx: RunContext,
  { network, adIds, zoneIds, byCampaign, groupZones, creates: queued }: PlacementPhase,
  campaign: { id: number; broadstreetId: number | null; name: string },
  final: boolean,
): Promise<'deferred' | undefined> {
  let remote;
  const rejected = rejections(ctx, 'PLACEMENT');
  let anyRejected = false;
  const onRejected = (item: RejectedItem) => {
    anyRejected = true;
    rejected.add(item);
  };
  try {
    const campaignId = campaign.broadstreetId!;
    remote = await listOf(ctx, `PLACEMENT:${campaignId}`, placementList(ctx, campaignId), {
      signal: ctx.signal,
      onRejected,
    });
  } catch (error) {
    // A campaign Broadstreet no longer has (kept here as a conflict: it was edited here) has no placements to read.
    if (error instanceof BroadstreetError && error.code === 'NOT_FOUND') {
      ctx.progress.warn(`campaign ${campaign.broadstreetId} (${campaign.name}) is no longer in Broadstreet: its placements were not read`);
      return undefined;
    }
    const failure = failureOf(
      error,
      { entityType: 'PLACEMENT' },
      `fetching the placements of campaign ${campaign.broadstreetId} (${campaign.name})`,
    );
    if (!final && isTransient(failure)) {
      ctx.progress.warn(`${failure.message}; tried again at the end of the phase`);
      return 'deferred';
    }
    ctx.progress.error(failure);
    return undefined;
  }
  const existing = byCampaign.get(campaign.id) ?? [];
  const byTriple = new Map(existing.map((p) => [`${p.advertisementId}:${p.zoneId}`, p]));
  const now = new Date();
  const creates: Record<string, unknown>[] = [];
  const updates: { id: number; data: object }[] = [];
  const seen = new Set<number>();
  let unchanged = 0;
  let conflicts = 0;
  let updated = 0;
  for (const placement of remote) {
    const advertisementId = adIds.get(placement.advertisementId);
    let zoneId = zoneIds.get(placement.zoneId);
    if (advertisementId !== undefined && zoneId === undefined) {
      const shared = await groupZones.resolve(placement.zoneId);
      if (typeof shared !== 'number') {
        ctx.progress.count('PLACEMENT', 'failed');
        ctx.progress.error({
          ...shared,
          entityType: 'PLACEMENT',
          message: `placement of campaign ${campaign.broadstreetId}: ${shared.message}`,
        });
        continue;
      }
      zoneId = shared;
    }
    if (advertisementId === undefined || zoneId === undefined) {
      const missing = advertisementId === undefined ? `advertisement ${placement.advertisementId}` : `zone ${placement.zoneId}`;
      ctx.progress.count('PLACEMENT', 'failed');
      ctx.progress.error(
        syncError('DEPENDENCY', `placement of campaign ${campaign.broadstreetId} refers to ${missing}, which is not imported`, {
          entityType: 'PLACEMENT',
        }),
      );
      continue;
    }
    const local = byTriple.get(`${advertisementId}:${zoneId}`);
    const plan = importPlanOf(ctx);
    const name = `campaign ${campaign.broadstreetId} · advertisement ${placement.advertisementId} · zone ${placement.zoneId}`;
    const remoteValues = { restrictions: placement.restrictions };
    if (!local) {
      const fresh = newMongoId();
      const key = createKey('PLACEMENT', campaign.broadstreetId!, placement.advertisementId, placement.zoneId);
      const step = { type: 'PLACEMENT' as const, mongoId: fresh, key, name, broadstreetId: null, row: null };
      const mongoId = plan ? plan.take({ ...step, action: 'CREATE', remote: remoteValues }) : fresh;
      if (mongoId === null) continue;
      creates.push({
        mongoId,
        networkId: network.id,
        campaignId: campaign.id,
        advertisementId,
        zoneId,
        restrictions: placement.restrictions,
        syncedAt: now,
      });
      continue;
    }
    seen.add(local.id);
    if (local.syncedAt === null) {
      ctx.progress.warn(
        `placement ${campaign.broadstreetId}/${placement.advertisementId}/${placement.zoneId} exists locally ` +
          `(not yet exported) and in Broadstreet: left as it is`,
      );
    } else {
      const write = mergeImported('PLACEMENT', local as never, remoteValues, ctx.run.id, now);
      if (plan) {
        const action = ACTION_OF_OUTCOME[write.outcome];
        const changes = action === 'UPDATE' ? columnChanges('PLACEMENT', local, write.data, ['restrictions']) : undefined;
        const step = { type: 'PLACEMENT' as const, mongoId: local.mongoId, key: local.mongoId, name, broadstreetId: null, row: local };
        if (plan.take({ ...step, action, remote: remoteValues, changes }) === null) continue;
      }
      if (write.data) updates.push({ id: local.id, data: write.data });
      if (write.outcome === 'unchanged') unchanged += 1;
      if (write.outcome === 'updated') updated += 1;
      if (write.outcome === 'conflicts') {
        conflicts += 1;
        ctx.progress.error(conflictError('PLACEMENT', local as never, write.data?.conflict ?? local.conflict));
      }
    }
  }
  // A placement that could not be read has no readable triple: none of this campaign's is taken for removed then.
  // One an export is re-creating (its intent recorded) is missing because of that export, not gone.
  const gone = anyRejected
    ? []
    : existing.filter((p) => p.syncedAt !== null && p.removedAt === null && p.intentRunId === null && !seen.has(p.id));
  if (!ctx.run.dryRun && updates.length > 0) {
    await ctx.db.$transaction(updates.map((u) => ctx.db.placement.update({ where: { id: u.id }, data: u.data })));
  }
  ctx.progress.count('PLACEMENT', 'updated', updated);
  ctx.progress.count('PLACEMENT', 'unchanged', unchanged);
  ctx.progress.count('PLACEMENT', 'conflicts', conflicts);
  await markGone(ctx, 'PLACEMENT', ctx.db.placement as never, gone as never);
  await queued.add(creates);
}
