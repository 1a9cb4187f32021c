// How advertisements sync: imported only, listed per advertiser (the only
// way to link them to one).
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
    fromWire: (a) => ({
      name: a.name,
      type: a.type ?? null,
      previewUrl: a.previewUrl ?? null,
      activeUrl: a.activeUrl ?? null,
      remoteUpdatedAt: a.updatedAt ? new Date(a.updatedAt) : null,
    }),
  },
};
