// How advertisements sync: imported only. One list of the network's ads names
// each ad's advertiser by name; where that name is shared in the network, the
// advertiser's own list (advertiser_id) is the only way to link its ads.
import type { BsAdvertisement } from '../broadstreet/index.ts';
import type { EntitySyncSpec } from '../sync/spec.ts';

export const advertisementSync: EntitySyncSpec<BsAdvertisement> = {
  type: 'ADVERTISEMENT',
  model: 'advertisement',
  label: 'advertisements',
  phase: 'ADVERTISEMENTS',
  list: (client, scope, opts) => client.listAdvertisements(scope.networkId, { advertiserId: scope.parentId }, opts),
  import: {
    listedUnder: 'advertiser',
    networkWide: {
      list: (client, networkId, opts) => client.listAdvertisements(networkId, {}, opts),
      parentName: (a) => a.advertiserName,
    },
    fromWire: (a) => ({
      name: a.name,
      type: a.type ?? null,
      previewUrl: a.previewUrl ?? null,
      activeUrl: a.activeUrl ?? null,
      remoteUpdatedAt: a.updatedAt ? new Date(a.updatedAt) : null,
    }),
  },
};
