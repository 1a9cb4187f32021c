// Advertisements from one list of the whole network (issue 18, the fewest
// requests). An ad names its advertiser only by name, and names are not unique
// in a network (broadstreet-api.md), so an ad is linked by name only where the
// name belongs to exactly one of the advertisers Broadstreet listed in this
// run; the ads of advertisers whose names repeat come from those advertisers'
// own lists instead, and never from the network's.
import type { Network } from '../../generated/prisma/client.ts';
import { forEachInSlices } from '../../domain/slices.ts';
import type { RunContext } from '../context.ts';
import { failureOf, isTransient, syncError } from '../failures.ts';
import type { EntitySyncSpec, ImportSpec } from '../spec.ts';
import type { PhaseReconciler, RemoteRow } from './reconcile.ts';
import { listOf } from './read-ahead.ts';
import { rejections } from './rejections.ts';

type NetworkWide = NonNullable<Extract<ImportSpec<never>, { networkWide?: unknown }>['networkWide']>;

/** The key the network-wide list is read ahead under (read-ahead.ts). */
export const NETWORK_WIDE_ADS = 'ADVERTISEMENT:network';

/** An advertiser of the network here, as the per-advertiser phases read them. */
export interface LocalParent {
  id: number;
  broadstreetId: number | null;
  name: string;
}

/** Broadstreet's advertiser names as listed in this run (by Broadstreet id), kept for the phases after it. */
const listedNames = new WeakMap<RunContext, Map<number, string>>();

/** Called by the advertiser phase with what Broadstreet listed (readable items only). */
export function rememberListedNames(ctx: RunContext, remote: readonly RemoteRow[]): void {
  listedNames.set(ctx, new Map(remote.map((r) => [r.broadstreetId, String(r.fields.name)])));
}

/** How the advertisers split: linked through the network's list, or listed one by one. */
export interface NameLinks {
  /** Advertisers whose Broadstreet name is theirs alone: their ads come from the network's list. */
  unique: LocalParent[];
  /** Advertisers whose name another listed advertiser shares: listed alone (advertiser_id). */
  shared: LocalParent[];
  /** Advertisers here that Broadstreet did not list this run: nothing of theirs is read. */
  unlisted: LocalParent[];
  /** Each listed name → the Broadstreet ids of the advertisers listed under it. */
  owners: Map<string, number[]>;
}

/**
 * Splits the network's advertisers by their names in Broadstreet, or null
 * when this run did not list them (the advertiser phase was not asked for or
 * failed): then every advertiser is listed alone, as before.
 */
export function linksByName(ctx: RunContext, advertisers: readonly LocalParent[]): NameLinks | null {
  const names = listedNames.get(ctx);
  if (!names) return null;
  const owners = new Map<string, number[]>();
  for (const [broadstreetId, name] of names) owners.set(name, [...(owners.get(name) ?? []), broadstreetId]);
  const links: NameLinks = { unique: [], shared: [], unlisted: [], owners };
  for (const advertiser of advertisers) {
    const name = names.get(advertiser.broadstreetId!);
    if (name === undefined) links.unlisted.push(advertiser);
    else if (owners.get(name)!.length > 1) links.shared.push(advertiser);
    else links.unique.push(advertiser);
  }
  return links;
}

/**
 * Reads the network's list (a second try after a transient failure) and
 * reconciles the ads of each unique-named advertiser. An ad naming none of the
 * listed advertisers fails alone (DEPENDENCY) and its row here is kept. If
 * the list cannot be read, the error is recorded and no unique-named
 * advertiser's ads are touched (a 403 refuses the ads alone; a 401 ends the run).
 */
export async function importNetworkWide(
  ctx: RunContext,
  network: Network,
  spec: EntitySyncSpec & { import: { fromWire(wire: never): Record<string, unknown> } },
  networkWide: NetworkWide,
  links: NameLinks,
  reconciler: PhaseReconciler,
): Promise<void> {
  const networkId = network.broadstreetId!;
  const { label } = spec;
  const rejected = rejections(ctx, spec.type);
  let listed: { id: number; name: string }[] | undefined;
  for (let pass = 1; !listed; pass++) {
    await ctx.checkpoint();
    try {
      listed = await listOf(ctx, NETWORK_WIDE_ADS, (opts) => networkWide.list(ctx.client, networkId, opts), {
        signal: ctx.signal,
        onRejected: rejected.add,
      });
    } catch (error) {
      const failure = failureOf(error, { entityType: spec.type }, `fetching the ${label} of network ${networkId}`);
      if (pass === 1 && isTransient(failure)) {
        ctx.progress.warn(`${failure.message}; trying again`);
        continue;
      }
      ctx.progress.error(failure);
      ctx.progress.advance(1, `${label} of ${links.unique.length} advertisers not read`);
      return;
    }
  }
  const byBroadstreetId = new Map(links.unique.map((a) => [a.broadstreetId!, a]));
  const groups = new Map<number, RemoteRow[]>(links.unique.map((a) => [a.id, []]));
  let linked = 0;
  await forEachInSlices(listed, (wire) => {
    const name = networkWide.parentName(wire as never);
    const owners = name == null ? undefined : links.owners.get(name);
    if (!owners) {
      rejected.ids.push(wire.id);
      ctx.progress.count(spec.type, 'failed');
      ctx.progress.error(
        syncError(
          'DEPENDENCY',
          `${spec.type.toLowerCase()} ${wire.id} (${wire.name}) names the advertiser ${JSON.stringify(name ?? null)}, ` +
            `which is not among the advertisers Broadstreet listed for network ${networkId}: it was not imported`,
          { entityType: spec.type, broadstreetId: wire.id },
          { retryable: false },
        ),
      );
      return;
    }
    // A shared name: the ad comes from its advertiser's own list. An advertiser listed but not here
    // (a dry run's planned create, or one that could not be read) has its ads read with it, as before.
    const advertiser = owners.length === 1 ? byBroadstreetId.get(owners[0]!) : undefined;
    if (!advertiser) return;
    groups.get(advertiser.id)!.push({
      broadstreetId: wire.id,
      fields: { ...spec.import.fromWire(wire as never), advertiserId: advertiser.id },
    });
    linked++;
  });
  for (const [advertiserId, remote] of groups) await reconciler.scope(advertiserId, remote, rejected.ids);
  ctx.progress.advance(
    1,
    `${label} of network ${networkId}: ${linked} of ${listed.length} linked to ${links.unique.length} advertisers by name`,
  );
}
