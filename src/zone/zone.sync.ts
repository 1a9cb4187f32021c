// How zones sync: listed and created under their network, unique by name
// within it.
import type { BsZone } from '../broadstreet/index.ts';
import type { Zone } from '../generated/prisma/client.ts';
import { idOf, orGone } from '../sync/remote-calls.ts';
import { columnsOf, inWords, pickFields, valuesOf, type EntitySyncSpec, type SyncedField } from '../sync/spec.ts';
import { checkZone } from './zone.rules.ts';

/** Broadstreet's zone → its columns (also for a zone fetched on its own). */
export const zoneFields = (z: BsZone) => ({ name: z.name, alias: z.alias ?? null, selfServe: z.selfServe ?? false });

/** What PUT /zones/{id} takes; it always needs name. */
export const ZONE_FIELDS: readonly SyncedField[] = [
  { field: 'name', column: 'name', wire: 'name' },
  { field: 'alias', column: 'alias', wire: 'alias' },
];

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
  twoWay: {
    fields: ZONE_FIELDS,
    localValues: (row) => valuesOf(ZONE_FIELDS, row),
    remoteValues: (wire: BsZone) => pickFields(ZONE_FIELDS, zoneFields(wire)),
    columns: (values) => columnsOf(ZONE_FIELDS, values),
    target: (row) => (row.broadstreetId !== null ? { id: row.broadstreetId } : null),
    fetch: async (client, target, opts) => {
      const wire = await orGone(client.getZone(idOf(target), opts));
      return wire && pickFields(ZONE_FIELDS, zoneFields(wire));
    },
    // PUT /zones/{id} requires name, changed or not [doc].
    update: async (client, target, changes, local, opts) =>
      pickFields(ZONE_FIELDS, zoneFields(await client.updateZone(idOf(target), { ...changes, name: local.name } as never, opts))),
    delete: (client, target, opts) => client.deleteZone(idOf(target), opts),
    children: [{ model: 'placement', type: 'PLACEMENT', column: 'zoneId' }],
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
