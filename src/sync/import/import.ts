// Import: Broadstreet → local, in dependency order — networks, advertisers
// and zones, advertisements and campaigns (per advertiser), placements (per
// campaign). Upserts by broadstreetId; never touches local-only rows.
import { db } from '../../db/index.ts';
import type { EntityType, SyncErrorCode } from '../../domain/enums.ts';
import { newMongoId } from '../../domain/ids.ts';
import type { Network } from '../../generated/prisma/client.ts';
import { forEachEntity, RunFatal, type RunContext } from '../context.ts';
import { failureOf, networkFailureOf } from '../failures.ts';
import {
  advertisementFields,
  advertiserFields,
  campaignFields,
  networkFields,
  zoneFields,
} from './mappers.ts';
import { checkNetworkOrigin } from '../network-origin.ts';
import { importPlacements } from './placements.ts';
import { rejections } from './rejections.ts';
import { PhaseReconciler, type RemoteRow } from './reconcile.ts';

export async function runImport(ctx: RunContext): Promise<void> {
  if (ctx.network) ctx.network = await checkNetworkOrigin(ctx, ctx.network);
  const network = ctx.entityTypes.includes('NETWORK') ? await importNetwork(ctx) : ctx.network;
  if (!network) throw new RunFatal(`network ${ctx.run.networkId} is not in the local database`);
  const has = (t: EntityType) => ctx.entityTypes.includes(t);
  if (has('ADVERTISER')) await importNetworkList(ctx, network, 'ADVERTISER');
  if (has('ZONE')) await importNetworkList(ctx, network, 'ZONE');
  if (has('ADVERTISEMENT')) await importPerAdvertiser(ctx, network, 'ADVERTISEMENT');
  if (has('CAMPAIGN')) await importPerAdvertiser(ctx, network, 'CAMPAIGN');
  if (has('PLACEMENT')) await importPlacements(ctx, network);
  await ctx.progress.enterPhase('CLEANUP', 0, 'import complete');
}

async function importNetwork(ctx: RunContext): Promise<Network | null> {
  await ctx.progress.enterPhase('NETWORKS', 1, `fetching network ${ctx.run.networkId}`);
  const entity = { entityType: 'NETWORK' as const, broadstreetId: ctx.run.networkId };
  let remote;
  try {
    remote = await ctx.client.getNetwork(ctx.run.networkId, { signal: ctx.signal });
  } catch (error) {
    const failure = networkFailureOf(error, ctx.run.networkId, entity, `fetching network ${ctx.run.networkId}`);
    throw new RunFatal(failure.message, failure.code as SyncErrorCode);
  }
  const existing = await db().network.findUnique({ where: { broadstreetId: remote.id } });
  const fields = networkFields(remote);
  // A network created only for a zone its group shares has no syncedAt until it is imported itself.
  const changed = !existing || existing.removedAt !== null || existing.syncedAt === null || Object.entries(fields).some(([k, v]) => existing[k as keyof Network] !== v);
  ctx.progress.record('NETWORK', !existing ? 'created' : changed ? 'updated' : 'unchanged', remote.name);
  if (ctx.run.dryRun) return existing;
  const now = new Date();
  return db().network.upsert({
    where: { broadstreetId: remote.id },
    create: { mongoId: newMongoId(), broadstreetId: remote.id, ...fields, broadstreetBaseUrl: ctx.client.baseUrl, syncedAt: now },
    update: changed ? { ...fields, removedAt: null, syncedAt: now } : {},
  });
}

async function importNetworkList(ctx: RunContext, network: Network, type: 'ADVERTISER' | 'ZONE'): Promise<void> {
  const label = type === 'ADVERTISER' ? 'advertisers' : 'zones';
  await ctx.progress.enterPhase(type === 'ADVERTISER' ? 'ADVERTISERS' : 'ZONES', 0, `fetching ${label}`);
  await ctx.checkpoint();
  let remote: RemoteRow[];
  const rejected = rejections(ctx, type);
  const opts = { signal: ctx.signal, onRejected: rejected.add };
  try {
    remote =
      type === 'ADVERTISER'
        ? (await ctx.client.listAdvertisers(network.broadstreetId!, opts)).map((a) => ({ broadstreetId: a.id, fields: advertiserFields(a) }))
        : (await ctx.client.listZones(network.broadstreetId!, opts)).map((z) => ({ broadstreetId: z.id, fields: zoneFields(z) }));
  } catch (error) {
    ctx.progress.error(networkFailureOf(error, network.broadstreetId!, { entityType: type }, `fetching the ${label} of network ${network.broadstreetId}`));
    return;
  }
  ctx.progress.addToTotal(remote.length);
  const reconciler = new PhaseReconciler(ctx, { entityType: type, model: type === 'ADVERTISER' ? 'advertiser' : 'zone', networkId: network.id, scopeColumn: 'networkId' });
  await reconciler.load();
  const result = await reconciler.scope(network.id, remote, rejected.ids);
  await reconciler.finish();
  ctx.progress.advance(remote.length, `${label}: ${result.created} new, ${result.updated} updated, ${result.unchanged} unchanged`);
}

/** Advertisements and campaigns are listed per advertiser (the only way to link them). */
async function importPerAdvertiser(ctx: RunContext, network: Network, type: 'ADVERTISEMENT' | 'CAMPAIGN'): Promise<void> {
  const advertisers = await db().advertiser.findMany({
    where: { networkId: network.id, broadstreetId: { not: null }, removedAt: null },
    select: { id: true, broadstreetId: true, name: true },
    orderBy: { id: 'asc' },
  });
  const label = type === 'ADVERTISEMENT' ? 'advertisements' : 'campaigns';
  await ctx.progress.enterPhase(type === 'ADVERTISEMENT' ? 'ADVERTISEMENTS' : 'CAMPAIGNS', advertisers.length, `fetching ${label} of ${advertisers.length} advertisers`);
  const model = type === 'ADVERTISEMENT' ? 'advertisement' : 'campaign';
  const reconciler = new PhaseReconciler(ctx, { entityType: type, model, networkId: network.id, scopeColumn: 'advertiserId' });
  await reconciler.load();
  const importOne = async (advertiser: (typeof advertisers)[number]) => {
    await ctx.checkpoint();
    const bsId = advertiser.broadstreetId!;
    let remote: RemoteRow[];
    const rejected = rejections(ctx, type);
    const opts = { signal: ctx.signal, onRejected: rejected.add };
    try {
      remote =
        type === 'ADVERTISEMENT'
          ? (await ctx.client.listAdvertisements(network.broadstreetId!, { advertiserId: bsId }, opts)).map((a) => ({
              broadstreetId: a.id,
              fields: { ...advertisementFields(a), advertiserId: advertiser.id },
            }))
          : (await ctx.client.listCampaigns({ advertiserId: bsId }, opts)).map((c) => ({
              broadstreetId: c.id,
              fields: { ...campaignFields(c), advertiserId: advertiser.id },
            }));
    } catch (error) {
      ctx.progress.error(failureOf(error, { entityType: type }, `fetching the ${label} of advertiser ${bsId} (${advertiser.name})`));
      ctx.progress.advance(1);
      return;
    }
    await reconciler.scope(advertiser.id, remote, rejected.ids);
    ctx.progress.advance(1, `${label} of ${advertiser.name}: ${remote.length}`);
  };
  try {
    await forEachEntity(ctx, advertisers, importOne);
  } catch (error) {
    // Cancelled or failed: what was fetched is still written, as it would have been scope by scope.
    await reconciler.flush().catch(() => {});
    throw error;
  }
  await reconciler.finish();
}
