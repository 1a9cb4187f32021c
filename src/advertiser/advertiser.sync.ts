// How advertisers sync: listed and created under their network, unique by
// name within it.
import type { BsAdvertiser } from '../broadstreet/index.ts';
import type { Advertiser } from '../generated/prisma/client.ts';
import { idOf, orGone } from '../sync/remote-calls.ts';
import { columnsOf, inWords, pickFields, valuesOf, type EntitySyncSpec, type SyncedField } from '../sync/spec.ts';
import { checkAdvertiser } from './advertiser.rules.ts';

/** What PUT /advertisers/{id} takes (admins cannot be set through the API). */
export const ADVERTISER_FIELDS: readonly SyncedField[] = [
  { field: 'name', column: 'name', wire: 'name' },
  { field: 'webHomeUrl', column: 'webHomeUrl', wire: 'web_home_url' },
  { field: 'notes', column: 'notes', wire: 'notes' },
];

const advertiserFromWire = (a: BsAdvertiser) => ({
  name: a.name,
  webHomeUrl: a.webHomeUrl ?? null,
  notes: a.notes ?? null,
  logoUrl: a.logoUrl ?? null,
  // Admins only when Broadstreet sent them: an import never wipes what it does not carry.
  ...(a.admins !== undefined ? { admins: a.admins } : {}),
});

export const advertiserSync: EntitySyncSpec<BsAdvertiser, Advertiser> = {
  type: 'ADVERTISER',
  model: 'advertiser',
  label: 'advertisers',
  phase: 'ADVERTISERS',
  list: (client, scope, opts) => client.listAdvertisers(scope.networkId, opts),
  import: {
    listedUnder: 'network',
    createDefaults: { admins: [] },
    fromWire: advertiserFromWire,
  },
  twoWay: {
    fields: ADVERTISER_FIELDS,
    localValues: (row) => valuesOf(ADVERTISER_FIELDS, row),
    remoteValues: (wire: BsAdvertiser) => pickFields(ADVERTISER_FIELDS, advertiserFromWire(wire)),
    columns: (values) => columnsOf(ADVERTISER_FIELDS, values),
    target: (row) => (row.broadstreetId !== null ? { id: row.broadstreetId } : null),
    fetch: async (client, target, opts) => {
      const wire = await orGone(client.getAdvertiser(idOf(target), opts));
      return wire && pickFields(ADVERTISER_FIELDS, advertiserFromWire(wire));
    },
    update: async (client, target, changes, _local, opts) =>
      pickFields(ADVERTISER_FIELDS, advertiserFromWire(await client.updateAdvertiser(idOf(target), changes as never, opts))),
    delete: (client, target, opts) => client.deleteAdvertiser(idOf(target), opts),
    children: [
      { model: 'campaign', type: 'CAMPAIGN', column: 'advertiserId' },
      { model: 'advertisement', type: 'ADVERTISEMENT', column: 'advertiserId', cascadeOnly: true },
    ],
  },
  export: {
    pending: { broadstreetId: null, removedAt: null },
    exported: { broadstreetId: { not: null } },
    noIntent: { intentName: null, intentRunId: null },
    nameOf: (a) => a.name,
    parents: () => [],
    check: (a) => inWords(checkAdvertiser(a)),
    how: {
      identity: 'name',
      nameScope: { under: 'network' },
      toWire: (a, name) => ({ name, webHomeUrl: a.webHomeUrl ?? undefined, notes: a.notes ?? undefined }),
      create: (client, scope, input, opts) => client.createAdvertiser(scope.networkId, input, opts),
    },
  },
};
