// How zones sync: listed and created under their network, unique by name
// within it.
import type { BsZone } from '../broadstreet/index.ts';
import type { Zone } from '../generated/prisma/client.ts';
import { inWords, type EntitySyncSpec } from '../sync/spec.ts';
import { checkZone } from './zone.rules.ts';

/** Broadstreet's zone → its columns (also for a zone fetched on its own). */
export const zoneFields = (z: BsZone) => ({ name: z.name, alias: z.alias ?? null, selfServe: z.selfServe ?? false });

export const zoneSync: EntitySyncSpec<BsZone, Zone> = {
  type: 'ZONE',
  model: 'zone',
  label: 'zones',
  phase: 'ZONES',
  list: (client, scope, opts) => client.listZones(scope.networkId, opts),
  import: {
    listedUnder: 'network',
    fromWire: zoneFields,
  },
  export: {
    pending: { broadstreetId: null, removedAt: null },
    exported: { broadstreetId: { not: null } },
    noIntent: { intentName: null, intentRunId: null },
    nameOf: (z) => z.name,
    parents: () => [],
    check: (z) => inWords(checkZone(z)),
    how: {
      identity: 'name',
      nameScope: { under: 'network' },
      toWire: (z, name) => ({ name, alias: z.alias ?? undefined, selfServe: z.selfServe }),
      create: (client, scope, input, opts) => client.createZone(scope.networkId, input, opts),
    },
  },
};
