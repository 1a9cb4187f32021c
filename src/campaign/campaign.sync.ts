// How campaigns sync: listed and created under their advertiser, unique by
// name within it.
import type { BsCampaign } from '../broadstreet/index.ts';
import type { Advertiser, Campaign } from '../generated/prisma/client.ts';
import { idOf, orGone } from '../sync/remote-calls.ts';
import { columnsOf, inWords, pickFields, valuesOf, type EntitySyncSpec, type SyncedField } from '../sync/spec.ts';
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

/** What PUT /campaigns/{id} takes; the write-only ones are never returned by Broadstreet. */
export const CAMPAIGN_FIELDS: readonly SyncedField[] = [
  { field: 'name', column: 'name', wire: 'name' },
  { field: 'startDate', column: 'startDate', wire: 'start_date' },
  { field: 'endDate', column: 'endDate', wire: 'end_date' },
  { field: 'weight', column: 'weight', wire: 'weight' },
  { field: 'displayType', column: 'displayType', wire: 'display_type' },
  { field: 'maxImpressionCount', column: 'maxImpressionCount', wire: 'max_impression_count' },
  { field: 'paused', column: 'paused', wire: 'paused', writeOnly: true },
  { field: 'pacingType', column: 'pacingType', wire: 'pacing_type', writeOnly: true },
  { field: 'impressionMaxType', column: 'impressionMaxType', wire: 'impression_max_type', writeOnly: true },
  { field: 'archived', column: 'archived', wire: 'archived', writeOnly: true },
  { field: 'notes', column: 'notes', wire: 'notes', writeOnly: true },
];

export const campaignSync: EntitySyncSpec<BsCampaign, CampaignRow> = {
  type: 'CAMPAIGN',
  model: 'campaign',
  label: 'campaigns',
  phase: 'CAMPAIGNS',
  list: (client, scope, opts) => client.listCampaigns({ advertiserId: scope.parentId }, opts),
  import: { listedUnder: 'advertiser', fromWire },
  twoWay: {
    fields: CAMPAIGN_FIELDS,
    localValues: (row) => valuesOf(CAMPAIGN_FIELDS, row),
    remoteValues: (wire: BsCampaign) => pickFields(CAMPAIGN_FIELDS, fromWire(wire)),
    columns: (values) => columnsOf(CAMPAIGN_FIELDS, values),
    target: (row) => (row.broadstreetId !== null ? { id: row.broadstreetId } : null),
    fetch: async (client, target, opts) => {
      const wire = await orGone(client.getCampaign(idOf(target), opts));
      return wire && pickFields(CAMPAIGN_FIELDS, fromWire(wire));
    },
    update: async (client, target, changes, _local, opts) =>
      pickFields(CAMPAIGN_FIELDS, fromWire(await client.updateCampaign(idOf(target), changes as never, opts))),
    delete: (client, target, opts) => client.deleteCampaign(idOf(target), opts),
    children: [{ model: 'placement', type: 'PLACEMENT', column: 'campaignId' }],
  },
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
