// How networks sync: imported only, one at a time (the root of every other
// phase of an import).
import type { BsNetwork } from '../broadstreet/index.ts';
import type { EntitySyncSpec } from '../sync/spec.ts';

export const networkFields = (n: BsNetwork) => ({
  name: n.name,
  groupId: n.groupId ?? null,
  webHomeUrl: n.webHomeUrl ?? null,
  logoUrl: n.logoUrl ?? null,
  valetActive: n.valetActive ?? null,
  path: n.path ?? null,
});

export const networkSync: EntitySyncSpec<BsNetwork> = {
  type: 'NETWORK',
  model: 'network',
  label: 'networks',
  phase: 'NETWORKS',
};
