// Import: Broadstreet → local, in dependency order — networks, advertisers
// and zones, advertisements (one list of the network, linked by advertiser
// name; per advertiser where names repeat), campaigns (per advertiser),
// placements (per campaign). Upserts by broadstreetId; never touches
// local-only rows.
import { BroadstreetError, type CallOptions } from '../../broadstreet/index.ts';
import type { EntityType, SyncErrorCode } from '../../domain/enums.ts';
import { newMongoId } from '../../domain/ids.ts';
import { forEachInSlices, mapInSlices } from '../../domain/slices.ts';
import { findAllForIds, findAllInSpans, findAllPaged, forEachIdSpan, mergeById, networkSpans, type Page } from '../../db/paged.ts';
import type { Network, Prisma } from '../../generated/prisma/client.ts';
import { networkFields } from '../../network/network.sync.ts';
import { RunFatal, withSecondPass, type RunContext } from '../context.ts';
import { failureOf, isTransient, networkFailureOf } from '../failures.ts';
import type { EntitySyncSpec, ImportSpec, WireEntity } from '../spec.ts';
import { SPECS } from '../specs.ts';
import { checkNetworkOrigin } from '../network-origin.ts';
import { columnChanges, ImportPlan, importPlanOf } from './import-plan.ts';
import { importNetworkWide, linksByName, NETWORK_WIDE_ADS, rememberListedNames } from './linked-by-name.ts';
import { importPlacements, placementList } from './placements.ts';
import { networkList, remoteNetwork } from './network-list.ts';
import { listOf, openReadAhead, readAhead } from './read-ahead.ts';
import { rejections } from './rejections.ts';
import { markGone, PhaseReconciler, type ImportModel, type RemoteRow } from './reconcile.ts';

type ListedSpec = EntitySyncSpec & { model: ImportModel; import: Extract<ImportSpec<never>, { fromWire: unknown }> };

/** How each kind of phase imports its type: a list under the network, one per advertiser, or placements per campaign. */
const PHASE_IMPORTERS = {
  network: (ctx: RunContext, network: Network, spec: EntitySyncSpec) => importNetworkList(ctx, network, spec as ListedSpec),
  advertiser: (ctx: RunContext, network: Network, spec: EntitySyncSpec) => importPerAdvertiser(ctx, network, spec as ListedSpec),
  campaign: (ctx: RunContext, network: Network) => importPlacements(ctx, network),
};

export async function runImport(ctx: RunContext): Promise<void> {
  const plan = await ImportPlan.open(ctx);
  const ahead = openReadAhead(ctx);
  try {
    // The network's fields come from the account's network list (read with the network's lists).
    if (ctx.entityTypes.includes('NETWORK')) void networkList(ctx);
    readNetworkListsAhead(ctx);
    await importAll(ctx);
  } finally {
    ahead.close();
    // What was planned or done so far is kept, also when the run stops early.
    await plan?.flush().catch(() => {});
  }
}

/** The lists that need only the network's id are read while the network itself is (see read-ahead.ts). */
function readNetworkListsAhead(ctx: RunContext): void {
  const networkId = ctx.run.networkId;
  for (const spec of SPECS) {
    if (!ctx.entityTypes.includes(spec.type) || spec.import?.listedUnder !== 'network') continue;
    readAhead(ctx, `${spec.type}:${networkId}`, (opts) => spec.list!(ctx.client, { networkId, parentId: networkId }, opts));
  }
  const ads = SPECS.find((spec) => spec.type === 'ADVERTISEMENT');
  const networkWide = ads?.import && 'networkWide' in ads.import ? ads.import.networkWide : undefined;
  // Linked by name only when this run lists the advertisers (linksByName).
  if (networkWide && ctx.entityTypes.includes('ADVERTISEMENT') && ctx.entityTypes.includes('ADVERTISER')) {
    readAhead(ctx, NETWORK_WIDE_ADS, (opts) => networkWide.list(ctx.client, networkId, opts));
  }
}

/**
 * The lists under each listed parent, read as soon as the parent is listed
 * (campaigns of each advertiser, placements of each campaign). Not in a dry
 * run, which reads only under the parents it has here.
 */
async function readChildListsAhead(ctx: RunContext, parent: EntityType, remote: readonly RemoteRow[]): Promise<void> {
  if (ctx.run.dryRun) return;
  const child = parent === 'ADVERTISER' ? 'CAMPAIGN' : parent === 'CAMPAIGN' ? 'PLACEMENT' : null;
  if (!child || !ctx.entityTypes.includes(child)) return;
  const campaigns = SPECS.find((s) => s.type === 'CAMPAIGN')!;
  // In slices: starting the 10,000 campaign lists of a large network's advertisers at once held the loop ~40 ms.
  await forEachInSlices(remote, ({ broadstreetId }) => {
    const read = child === 'CAMPAIGN' ? listUnder(ctx, campaigns, broadstreetId) : placementList(ctx, broadstreetId);
    readAhead<unknown>(ctx, `${child}:${broadstreetId}`, read);
  });
}

/** The list of a type's entities under one parent (its Broadstreet id): what its phase reads, and the read-ahead too. */
const listUnder =
  (ctx: RunContext, spec: EntitySyncSpec, parentId: number) =>
  (opts: CallOptions): Promise<WireEntity[]> =>
    spec.list!(ctx.client, { networkId: ctx.run.networkId, parentId }, opts);

async function importAll(ctx: RunContext): Promise<void> {
  if (ctx.network) ctx.network = await checkNetworkOrigin(ctx, ctx.network);
  const network = ctx.entityTypes.includes('NETWORK') ? await importNetwork(ctx) : ctx.network;
  if (!network) throw new RunFatal(`network ${ctx.run.networkId} is not in the local database`);
  for (const spec of SPECS) {
    if (!spec.import || !ctx.entityTypes.includes(spec.type)) continue;
    // Placements are read per campaign: those of campaigns gone with their advertiser are not asked for.
    if (spec.type === 'PLACEMENT') await cascadeRemovals(ctx, network);
    await PHASE_IMPORTERS[spec.import.listedUnder](ctx, network, spec);
  }
  await ctx.progress.enterPhase('CLEANUP', 0, ctx.run.dryRun ? 'preview complete: nothing was written' : 'import complete');
  await cascadeRemovals(ctx, network);
  await importPlanOf(ctx)?.finish();
}

/**
 * What hangs off an entity Broadstreet no longer has is gone too: campaigns
 * and advertisements of a removed advertiser, placements of a removed
 * campaign, zone or advertisement. Unchanged (or deleted) here they become
 * removed; changed here, conflicts.
 */
async function cascadeRemovals(ctx: RunContext, network: Network): Promise<void> {
  const gone = { removedAt: { not: null } };
  const planned = (type: EntityType) => importPlanOf(ctx)?.plannedGone(type) ?? new Set<number>();
  // A dry run writes nothing: the rows it would have removed by now count as removed. Besides the rows under a
  // parent removed already, only those under these ids are read (IN lists), never the whole network's.
  const goneAdvertisers = planned('ADVERTISER');
  const campaignsWhere = { networkId: network.id, removedAt: null, broadstreetId: { not: null } };
  const readCampaigns = (where: Prisma.CampaignWhereInput, page: Page) =>
    ctx.db.campaign.findMany({ where: { AND: [campaignsWhere, where, page.where] }, orderBy: page.orderBy, take: page.take });
  // Rows under a removed parent: the filter is a subquery per row, so the network's rows are scanned in spans.
  const orphans = mergeById(
    await findAllInSpans(networkSpans(ctx.db.campaign, network.id), (span) =>
      ctx.db.campaign.findMany({ where: { AND: [campaignsWhere, { advertiser: gone }, span] } }),
    ),
    await findAllForIds(goneAdvertisers, (ids, page) => readCampaigns({ advertiserId: { in: ids } }, page)),
  );
  await markGone(ctx, 'CAMPAIGN', ctx.db.campaign as never, orphans as never, true);
  if (!ctx.run.dryRun) {
    const now = new Date();
    await forEachIdSpan(networkSpans(ctx.db.advertisement, network.id), async (span) => {
      await ctx.db.advertisement.updateMany({
        where: { AND: [{ networkId: network.id, removedAt: null, advertiser: gone }, span] },
        data: { removedAt: now },
      });
    });
  } else if (goneAdvertisers.size > 0) {
    const ads = await findAllForIds(goneAdvertisers, (ids, page) =>
      ctx.db.advertisement.findMany({
        where: { AND: [{ networkId: network.id, removedAt: null, advertiserId: { in: ids } }, page.where] },
        select: { id: true },
        orderBy: page.orderBy,
        take: page.take,
      }),
    );
    importPlanOf(ctx)?.markedGone(
      'ADVERTISEMENT',
      ads.map((a) => a.id),
    );
  }
  // Read after the campaigns' cascade: the campaigns a dry run just planned gone are among them.
  const [goneCampaigns, goneZones, goneAds] = [planned('CAMPAIGN'), planned('ZONE'), planned('ADVERTISEMENT')];
  const placementsWhere = { networkId: network.id, removedAt: null, syncedAt: { not: null }, intentRunId: null };
  const readPlacements = (where: Prisma.PlacementWhereInput, page: Page) =>
    ctx.db.placement.findMany({ where: { AND: [placementsWhere, where, page.where] }, orderBy: page.orderBy, take: page.take });
  const orphanPlacements = mergeById(
    await findAllInSpans(networkSpans(ctx.db.placement, network.id), (span) =>
      ctx.db.placement.findMany({
        where: { AND: [placementsWhere, { OR: [{ campaign: gone }, { zone: gone }, { advertisement: gone }] }, span] },
      }),
    ),
    await findAllForIds(goneCampaigns, (ids, page) => readPlacements({ campaignId: { in: ids } }, page)),
    await findAllForIds(goneZones, (ids, page) => readPlacements({ zoneId: { in: ids } }, page)),
    await findAllForIds(goneAds, (ids, page) => readPlacements({ advertisementId: { in: ids } }, page)),
  );
  await markGone(ctx, 'PLACEMENT', ctx.db.placement as never, orphanPlacements as never, true);
}

async function importNetwork(ctx: RunContext): Promise<Network | null> {
  await ctx.progress.enterPhase('NETWORKS', 1, `fetching network ${ctx.run.networkId}`);
  const entity = { entityType: 'NETWORK' as const, broadstreetId: ctx.run.networkId };
  let remote;
  try {
    remote = await remoteNetwork(ctx, ctx.run.networkId);
  } catch (error) {
    const failure = networkFailureOf(error, ctx.run.networkId, entity, `fetching network ${ctx.run.networkId}`);
    throw new RunFatal(failure.message, failure.code as SyncErrorCode);
  }
  const existing = await ctx.db.network.findUnique({ where: { broadstreetId: remote.id } });
  const fields = networkFields(remote);
  // A network created only for a zone its group shares has no syncedAt until it is imported itself.
  const changed =
    !existing ||
    existing.removedAt !== null ||
    existing.syncedAt === null ||
    Object.entries(fields).some(([k, v]) => existing[k as keyof Network] !== v);
  // The plan follows the network's own values too (it exists here: a dry run of an unknown network stops below).
  const plan = importPlanOf(ctx);
  if (existing && plan) {
    const action = changed ? 'UPDATE' : 'UNCHANGED';
    const step = { type: 'NETWORK' as const, mongoId: existing.mongoId, key: existing.mongoId, name: remote.name };
    const changes = changed ? columnChanges('NETWORK', existing, fields, Object.keys(fields)) : undefined;
    if (plan.take({ ...step, broadstreetId: remote.id, action, row: existing, remote: fields, changes }) === null) return existing;
  }
  ctx.progress.record('NETWORK', !existing ? 'created' : changed ? 'updated' : 'unchanged', remote.name);
  if (ctx.run.dryRun) return existing;
  const now = new Date();
  return ctx.db.network.upsert({
    where: { broadstreetId: remote.id },
    create: { mongoId: newMongoId(), broadstreetId: remote.id, ...fields, broadstreetBaseUrl: ctx.client.baseUrl, syncedAt: now },
    update: changed ? { ...fields, removedAt: null, syncedAt: now } : {},
  });
}

async function importNetworkList(ctx: RunContext, network: Network, spec: ListedSpec): Promise<void> {
  const { label } = spec;
  await ctx.progress.enterPhase(spec.phase, 0, `fetching ${label}`);
  await ctx.checkpoint();
  const networkId = network.broadstreetId!;
  let remote: RemoteRow[] | undefined;
  const rejected = rejections(ctx, spec.type);
  // The phase's one list, and a second pass at it after a transient failure.
  for (let pass = 1; !remote; pass++) {
    try {
      const listed = await listOf(
        ctx,
        `${spec.type}:${networkId}`,
        (opts) => spec.list!(ctx.client, { networkId, parentId: networkId }, opts),
        {
          signal: ctx.signal,
          onRejected: rejected.add,
        },
      );
      remote = await mapInSlices(listed, (wire) => ({ broadstreetId: wire.id, fields: spec.import.fromWire(wire as never) }));
    } catch (error) {
      const failure = networkFailureOf(error, networkId, { entityType: spec.type }, `fetching the ${label} of network ${networkId}`);
      if (pass === 1 && isTransient(failure)) {
        ctx.progress.warn(`${failure.message}; trying again`);
        continue;
      }
      ctx.progress.error(failure);
      return;
    }
  }
  if (spec.type === 'ADVERTISER') rememberListedNames(ctx, remote);
  await readChildListsAhead(ctx, spec.type, remote);
  ctx.progress.addToTotal(remote.length);
  const reconciler = new PhaseReconciler(ctx, {
    entityType: spec.type,
    model: spec.model,
    networkId: network.id,
    scopeColumn: 'networkId',
    createDefaults: spec.import.createDefaults,
  });
  await reconciler.load();
  const result = await reconciler.scope(network.id, remote, rejected.ids);
  await reconciler.finish();
  const [created, updated] = ctx.run.dryRun ? ['to create', 'to update'] : ['new', 'updated'];
  ctx.progress.advance(
    remote.length,
    `${label}: ${result.created} ${created}, ${result.updated} ${updated}, ${result.unchanged} unchanged`,
  );
}

/**
 * Types listed per advertiser (campaigns, and advertisements of advertisers
 * whose names repeat), or network-wide and linked by the advertiser's name
 * (the other advertisements; see linked-by-name.ts).
 */
async function importPerAdvertiser(ctx: RunContext, network: Network, spec: ListedSpec): Promise<void> {
  const goneHere = importPlanOf(ctx)?.plannedGone('ADVERTISER');
  const advertisers = (
    await findAllPaged((page) =>
      ctx.db.advertiser.findMany({
        where: { AND: [{ networkId: network.id, broadstreetId: { not: null }, removedAt: null }, page.where] },
        select: { id: true, broadstreetId: true, name: true },
        orderBy: page.orderBy,
        take: page.take,
      }),
    )
  ).filter((a) => !goneHere?.has(a.id));
  const { label } = spec;
  const { networkWide } = spec.import;
  const links = networkWide ? linksByName(ctx, advertisers) : null;
  const alone = links ? links.shared : advertisers;
  await ctx.progress.enterPhase(
    spec.phase,
    alone.length + (links ? 1 : 0),
    links
      ? `fetching the network's ${label}, and those of ${alone.length} advertisers with a shared name`
      : `fetching ${label} of ${advertisers.length} advertisers`,
  );
  const reconciler = new PhaseReconciler(ctx, {
    entityType: spec.type,
    model: spec.model,
    networkId: network.id,
    scopeColumn: 'advertiserId',
    createDefaults: spec.import.createDefaults,
  });
  await reconciler.load();
  // Whether found gone by its own list (404) or missing from the network's advertiser list.
  const warnGone = (advertiser: (typeof advertisers)[number]) =>
    ctx.progress.warn(
      `advertiser ${advertiser.broadstreetId} (${advertiser.name}) is no longer in Broadstreet: its ${label} were not read`,
    );
  const importOne = async (advertiser: (typeof advertisers)[number], final: boolean): Promise<'deferred' | undefined> => {
    await ctx.checkpoint();
    const bsId = advertiser.broadstreetId!;
    let remote: RemoteRow[];
    const rejected = rejections(ctx, spec.type);
    try {
      const listed = await listOf(ctx, `${spec.type}:${bsId}`, listUnder(ctx, spec, bsId), {
        signal: ctx.signal,
        onRejected: rejected.add,
      });
      remote = listed.map((wire) => ({
        broadstreetId: wire.id,
        fields: { ...spec.import.fromWire(wire as never), advertiserId: advertiser.id },
      }));
      await readChildListsAhead(ctx, spec.type, remote);
    } catch (error) {
      // An advertiser Broadstreet no longer has (kept here as a conflict: it was edited here) has nothing to list.
      if (error instanceof BroadstreetError && error.code === 'NOT_FOUND') {
        warnGone(advertiser);
        ctx.progress.advance(1);
        return undefined;
      }
      const failure = failureOf(error, { entityType: spec.type }, `fetching the ${label} of advertiser ${bsId} (${advertiser.name})`);
      if (!final && isTransient(failure)) {
        ctx.progress.warn(`${failure.message}; tried again at the end of the phase`);
        return 'deferred';
      }
      ctx.progress.error(failure);
      ctx.progress.advance(1);
      return undefined;
    }
    await reconciler.scope(advertiser.id, remote, rejected.ids);
    ctx.progress.advance(1, `${label} of ${advertiser.name}: ${remote.length}`);
    return undefined;
  };
  try {
    if (links) {
      for (const advertiser of links.unlisted) {
        warnGone(advertiser);
      }
      await importNetworkWide(ctx, network, spec, networkWide!, links, reconciler);
    }
    await withSecondPass(ctx, alone, `advertisers' ${label}`, importOne);
  } catch (error) {
    // Cancelled or failed: what was fetched is still written, as it would have been scope by scope.
    await reconciler.flush().catch(() => {});
    throw error;
  }
  await reconciler.finish();
}
