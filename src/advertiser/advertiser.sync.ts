// How advertisers sync: listed and created under their network, unique by
// name within it.
import type { BsAdvertiser } from '../broadstreet/index.ts';
import type { Advertiser } from '../generated/prisma/client.ts';
import { inWords, type EntitySyncSpec } from '../sync/spec.ts';
import { checkAdvertiser } from './advertiser.rules.ts';

export const advertiserSync: EntitySyncSpec<BsAdvertiser, Advertiser> = {
  type: 'ADVERTISER',
  model: 'advertiser',
  label: 'advertisers',
  phase: 'ADVERTISERS',
  list: (client, scope, opts) => client.listAdvertisers(scope.networkId, opts),
  import: {
    listedUnder: 'network',
    createDefaults: { admins: [] },
    fromWire: (a) => ({
      name: a.name,
      webHomeUrl: a.webHomeUrl ?? null,
      notes: a.notes ?? null,
      logoUrl: a.logoUrl ?? null,
      // Admins only when Broadstreet sent them: an import never wipes what it does not carry.
      ...(a.admins !== undefined ? { admins: a.admins } : {}),
    }),
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
