// Placements are listed per campaign and identified by their triple
// (campaign, advertisement, zone): there is no placement id to upsert by.
import { db } from '../../db/index.ts';
import { newMongoId } from '../../domain/ids.ts';
import type { Network } from '../../generated/prisma/client.ts';
import { forEachEntity, type RunContext } from '../context.ts';
import { failureOf, syncError } from '../failures.ts';

const CREATE_CHUNK = 500;

export async function importPlacements(ctx: RunContext, network: Network): Promise<void> {
  const campaigns = await db().campaign.findMany({
    where: { networkId: network.id, broadstreetId: { not: null }, removedAt: null },
    select: { id: true, broadstreetId: true, name: true },
    orderBy: { id: 'asc' },
  });
  await ctx.progress.enterPhase('PLACEMENTS', campaigns.length, `fetching placements of ${campaigns.length} campaigns`);
  const [ads, zones] = await Promise.all([
    db().advertisement.findMany({ where: { networkId: network.id, broadstreetId: { not: null } }, select: { id: true, broadstreetId: true } }),
    db().zone.findMany({ where: { networkId: network.id, broadstreetId: { not: null } }, select: { id: true, broadstreetId: true } }),
  ]);
  const adIds = new Map(ads.map((a) => [a.broadstreetId!, a.id]));
  const zoneIds = new Map(zones.map((z) => [z.broadstreetId!, z.id]));

  await forEachEntity(
    ctx,
    campaigns,
    async (campaign) => {
      await ctx.checkpoint();
      await importCampaignPlacements(ctx, network, campaign, adIds, zoneIds);
      ctx.progress.advance(1, `placements of ${campaign.name}`);
    },
  );
}

async function importCampaignPlacements(
  ctx: RunContext,
  network: Network,
  campaign: { id: number; broadstreetId: number | null; name: string },
  adIds: Map<number, number>,
  zoneIds: Map<number, number>,
): Promise<void> {
  let remote;
  try {
    remote = await ctx.client.listPlacements(campaign.broadstreetId!, { signal: ctx.signal });
  } catch (error) {
    ctx.progress.error(
      failureOf(error, { entityType: 'PLACEMENT' }, `fetching the placements of campaign ${campaign.broadstreetId} (${campaign.name})`),
    );
    return;
  }
  const existing = await db().placement.findMany({
    where: { campaignId: campaign.id },
    select: { id: true, advertisementId: true, zoneId: true, restrictions: true, syncedAt: true, removedAt: true },
  });
  const byTriple = new Map(existing.map((p) => [`${p.advertisementId}:${p.zoneId}`, p]));
  const now = new Date();
  const creates: object[] = [];
  const updates: { id: number; restrictions: string[] }[] = [];
  const seen = new Set<number>();
  let unchanged = 0;
  for (const placement of remote) {
    const advertisementId = adIds.get(placement.advertisementId);
    const zoneId = zoneIds.get(placement.zoneId);
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
    if (!local) {
      creates.push({
        mongoId: newMongoId(),
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
        `placement ${campaign.broadstreetId}/${placement.advertisementId}/${placement.zoneId} exists locally (not yet exported) and in Broadstreet: left as it is`,
      );
    } else if (local.removedAt !== null || JSON.stringify(local.restrictions) !== JSON.stringify(placement.restrictions)) {
      updates.push({ id: local.id, restrictions: placement.restrictions });
    } else {
      unchanged += 1;
    }
  }
  const gone = existing.filter((p) => p.syncedAt !== null && p.removedAt === null && !seen.has(p.id)).map((p) => p.id);
  if (!ctx.run.dryRun) {
    for (let i = 0; i < creates.length; i += CREATE_CHUNK) {
      await db().placement.createMany({ data: creates.slice(i, i + CREATE_CHUNK) as never });
    }
    if (updates.length > 0) {
      await db().$transaction(
        updates.map((u) => db().placement.update({ where: { id: u.id }, data: { restrictions: u.restrictions, removedAt: null, syncedAt: now } })),
      );
    }
    if (gone.length > 0) await db().placement.updateMany({ where: { id: { in: gone } }, data: { removedAt: now } });
  }
  ctx.progress.count('PLACEMENT', 'created', creates.length);
  ctx.progress.count('PLACEMENT', 'updated', updates.length);
  ctx.progress.count('PLACEMENT', 'unchanged', unchanged);
  if (gone.length > 0) ctx.progress.warn(`${gone.length} placement(s) of campaign ${campaign.broadstreetId} no longer in Broadstreet: marked removed`);
}
