// How placements sync: listed per campaign and identified by their triple
// (campaign, advertisement, zone): there is no placement id, and no name.
import type { Advertisement, Campaign, Placement, Zone } from '../generated/prisma/client.ts';
import { inWords, type EntitySyncSpec } from '../sync/spec.ts';
import { checkPlacement } from './placement.rules.ts';

type PlacementRow = Placement & { campaign: Campaign; advertisement: Advertisement; zone: Zone };

export const placementSync: EntitySyncSpec<never, PlacementRow> = {
  type: 'PLACEMENT',
  model: 'placement',
  label: 'placements',
  phase: 'PLACEMENTS',
  import: { listedUnder: 'campaign' },
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
