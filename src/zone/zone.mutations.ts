import { MAX_NAME_LENGTH } from '../domain/limits.ts';
import { builder } from '../graphql/builder.ts';
import { EntityRefInput } from '../graphql/entity-ref.ts';
import { ConflictError, DependencyError, NotFoundError, ReadOnlyError, ValidationError } from '../graphql/errors.ts';
import { deletedPayload, type WrittenRow } from '../graphql/payloads.ts';
import { createZoneRules, updateZoneRules } from './zone.rules.ts';
import { ZoneRef } from './zone.schema.ts';
import { createZone, deleteZone, updateZone } from './zone.service.ts';

const describe = {
  name: `Required, 1–${MAX_NAME_LENGTH} characters once surrounding spaces are trimmed.`,
  alias: `At most ${MAX_NAME_LENGTH} characters.`,
};

const CreateZoneInput = builder.inputType('CreateZoneInput', {
  fields: (t) => ({
    networkId: t.int({ required: true, description: 'Broadstreet id of the (imported) network.' }),
    name: t.string({ required: true, description: describe.name }),
    alias: t.string({ description: describe.alias }),
    selfServe: t.boolean({ description: 'Default false.' }),
  }),
  validate: createZoneRules,
});

const UpdateZoneInput = builder.inputType('UpdateZoneInput', {
  description: 'A field left out stays as it is; null clears a field that may be empty.',
  fields: (t) => ({
    zone: t.field({ type: EntityRefInput, required: true }),
    name: t.string({ description: describe.name }),
    alias: t.string({ description: describe.alias }),
    selfServe: t.boolean(),
  }),
  validate: updateZoneRules,
});

const DeleteZoneInput = builder.inputType('DeleteZoneInput', {
  fields: (t) => ({ zone: t.field({ type: EntityRefInput, required: true }) }),
});

function zonePayload(name: string) {
  return builder.objectRef<WrittenRow>(name).implement({
    fields: (t) => ({
      zone: t.prismaField({
        type: ZoneRef,
        resolve: (query, row, _args, ctx) => ctx.services.db.zone.findUniqueOrThrow({ ...query, where: { id: row.id } }),
      }),
    }),
  });
}

builder.mutationFields((t) => ({
  createZone: t.field({
    type: zonePayload('CreateZonePayload'),
    description: 'Creates a local-only zone in an imported network; an export sends it to Broadstreet.',
    args: { input: t.arg({ type: CreateZoneInput, required: true }) },
    errors: { types: [ValidationError, NotFoundError], directResult: true, union: { name: 'CreateZoneResult' } },
    resolve: (_root, { input }, ctx) => createZone(ctx.services.db, input),
  }),
  updateZone: t.field({
    type: zonePayload('UpdateZonePayload'),
    description:
      "Changes a zone. A synced one reads CHANGED until the next export pushes name and alias (selfServe cannot change through Broadstreet's API); editing one marked for deletion restores it; one in CONFLICT is refused until resolveConflict.",
    args: { input: t.arg({ type: UpdateZoneInput, required: true }) },
    errors: {
      types: [ValidationError, NotFoundError, ReadOnlyError, ConflictError],
      directResult: true,
      union: { name: 'UpdateZoneResult' },
    },
    resolve: (_root, { input }, ctx) => updateZone(ctx.services.db, input),
  }),
  deleteZone: t.field({
    type: deletedPayload('DeleteZonePayload', 'Zone'),
    description:
      'Deletes a zone no live placement uses (never cascades): a local-only one at once; a synced one reads DELETING until the next export deletes it in Broadstreet.',
    args: { input: t.arg({ type: DeleteZoneInput, required: true }) },
    errors: {
      types: [ValidationError, NotFoundError, ReadOnlyError, DependencyError, ConflictError],
      directResult: true,
      union: { name: 'DeleteZoneResult' },
    },
    resolve: (_root, { input }, ctx) => deleteZone(ctx.services.db, input.zone),
  }),
}));
