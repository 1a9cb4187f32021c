// How campaigns sync: listed and created under their advertiser, unique by
// name within it.
import type { BsCampaign } from '../broadstreet/index.ts';
import type { Advertiser, Campaign } from '../generated/prisma/client.ts';
import { inWords, type EntitySyncSpec } from '../sync/spec.ts';
import { checkCampaign } from './campaign.rules.ts';

type CampaignRow = Campaign & { advertiser: Advertiser };

/** Only what campaign lists return: paused, pacing and the like are write-only there. */
const fromWire = (c: BsCampaign) => ({
  name: c.name,
  startDate: c.startDate ?? null,
  endDate: c.endDate ?? null,
  weight: c.weight ?? 1,
  displayType: c.displayType ?? null,
  maxImpressionCount: c.maxImpressionCount ?? null,
  active: c.active ?? null,
  path: c.path ?? null,
});

export const campaignSync: EntitySyncSpec<BsCampaign, CampaignRow> = {
  type: 'CAMPAIGN',
  model: 'campaign',
  label: 'campaigns',
  phase: 'CAMPAIGNS',
  list: (client, scope, opts) => client.listCampaigns({ advertiserId: scope.parentId }, opts),
  import: { listedUnder: 'advertiser', fromWire },
  export: {
    include: { advertiser: true },
    pending: { broadstreetId: null, removedAt: null },
    exported: { broadstreetId: { not: null } },
    noIntent: { intentName: null, intentRunId: null },
    nameOf: (c) => c.name,
    parents: (c) => [{ type: 'ADVERTISER', row: c.advertiser }],
    check: (c) => inWords(checkCampaign(c)),
    how: {
      identity: 'name',
      nameScope: { under: 'ADVERTISER', relation: 'advertiser' },
      toWire: (c, name) => ({
        name,
        startDate: c.startDate ?? undefined,
        endDate: c.endDate ?? undefined,
        weight: c.weight,
        displayType: c.displayType ?? undefined,
        pacingType: c.pacingType ?? undefined,
        impressionMaxType: c.impressionMaxType ?? undefined,
        paused: c.paused,
        archived: c.archived,
        notes: c.notes ?? undefined,
        maxImpressionCount: c.maxImpressionCount ?? undefined,
      }),
      create: (client, scope, input, opts) => client.createCampaign(scope.parentId, input, opts),
      answered: (created) => {
        const { name: _resolved, ...remote } = fromWire(created as BsCampaign);
        return remote;
      },
    },
  },
};
