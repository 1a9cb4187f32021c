// How placements sync: listed per campaign and identified by their triple
// (campaign, advertisement, zone): there is no placement id, and no name.
import type { Advertisement, Campaign, Placement, Zone } from '../generated/prisma/client.ts';
import { orGone, tripleOf } from '../sync/remote-calls.ts';
import { columnsOf, inWords, valuesOf, type EntitySyncSpec, type SyncedField } from '../sync/spec.ts';
import { checkPlacement } from './placement.rules.ts';

type PlacementRow = Placement & { campaign: Campaign; advertisement: Advertisement; zone: Zone };

/** A placement has no PUT: a change of restrictions is a delete and a re-create of its triple. */
export const PLACEMENT_FIELDS: readonly SyncedField[] = [{ field: 'restrictions', column: 'restrictions', wire: 'restrictions' }];

export const placementSync: EntitySyncSpec<never, PlacementRow> = {
  type: 'PLACEMENT',
  model: 'placement',
  label: 'placements',
  phase: 'PLACEMENTS',
  import: { listedUnder: 'campaign' },
  twoWay: {
    fields: PLACEMENT_FIELDS,
    localValues: (row) => valuesOf(PLACEMENT_FIELDS, row),
    remoteValues: (wire: { restrictions: string[] }) => ({ restrictions: wire.restrictions }),
    columns: (values) => columnsOf(PLACEMENT_FIELDS, values),
    include: { campaign: true, advertisement: true, zone: true },
    target: (p) =>
      p.syncedAt !== null && p.campaign.broadstreetId !== null && p.advertisement.broadstreetId !== null && p.zone.broadstreetId !== null
        ? { triple: { campaignId: p.campaign.broadstreetId, advertisementId: p.advertisement.broadstreetId, zoneId: p.zone.broadstreetId } }
        : null,
    fetch: async (client, target, opts) => {
      const triple = tripleOf(target);
      // A campaign Broadstreet no longer has has no placements either.
      const listed = (await orGone(client.listPlacements(triple.campaignId, opts))) ?? [];
      const found = listed.find((x) => x.advertisementId === triple.advertisementId && x.zoneId === triple.zoneId);
      return found ? { restrictions: found.restrictions } : null;
    },
    delete: (client, target, opts) => client.deletePlacement(tripleOf(target), opts),
    children: [],
  },
  export: {
    include: { campaign: true, advertisement: true, zone: true },
    pending: { syncedAt: null, removedAt: null },
    exported: { syncedAt: { not: null } },
    noIntent: { intentRunId: null },
    nameOf: (p) => `${p.campaign.name} / ${p.advertisement.name} / ${p.zone.name}`,
    parents: (p) => [
      { type: 'CAMPAIGN', row: p.campaign },
      { type: 'ZONE', row: p.zone },
    ],
    check: (p) => inWords(checkPlacement(p)),
    // Advertisements cannot be exported: one not in Broadstreet blocks the placement.
    afterParents: (p) =>
      p.advertisement.broadstreetId === null || p.advertisement.removedAt !== null
        ? [`advertisement "${p.advertisement.name}" is not in Broadstreet`]
        : [],
    how: { identity: 'parents' },
  },
};
