import { MAX_RESTRICTION_LENGTH, MAX_RESTRICTIONS } from '../domain/limits.ts';
import { builder } from '../graphql/builder.ts';
import { EntityRefInput } from '../graphql/entity-ref.ts';
import { ConflictError, DependencyError, NotFoundError, ReadOnlyError, ValidationError } from '../graphql/errors.ts';
import { deletedPayload, type WrittenRow } from '../graphql/payloads.ts';
import { createPlacementRules, deletePlacementRules, updatePlacementRules } from './placement.rules.ts';
import { PlacementRef } from './placement.schema.ts';
import { createPlacement, deletePlacement, updatePlacement } from './placement.service.ts';

const restrictionsDescription = `At most ${MAX_RESTRICTIONS}, each 1–${MAX_RESTRICTION_LENGTH} characters once trimmed.`;

const CreatePlacementInput = builder.inputType('CreatePlacementInput', {
  fields: (t) => ({
    campaign: t.field({
      type: EntityRefInput,
      required: true,
      description: 'A local or synced campaign; the placement joins its network.',
    }),
    advertisementId: t.int({
      required: true,
      description: 'Broadstreet id of an advertisement in the same network (advertisements are import-only).',
    }),
    zone: t.field({ type: EntityRefInput, required: true, description: 'A local or synced zone of the same network.' }),
    restrictions: t.stringList({ description: `${restrictionsDescription} Default none.` }),
  }),
  validate: createPlacementRules,
});

const UpdatePlacementInput = builder.inputType('UpdatePlacementInput', {
  description: "Only restrictions change: a placement's triple is its identity (delete it and create another).",
  fields: (t) => ({
    mongoId: t.string({ required: true }),
    restrictions: t.stringList({ required: true, description: `${restrictionsDescription} Replaces the list.` }),
  }),
  validate: updatePlacementRules,
});

const DeletePlacementInput = builder.inputType('DeletePlacementInput', {
  fields: (t) => ({ mongoId: t.string({ required: true }) }),
  validate: deletePlacementRules,
});

function placementPayload(name: string) {
  return builder.objectRef<WrittenRow>(name).implement({
    fields: (t) => ({
      placement: t.prismaField({
        type: PlacementRef,
        resolve: (query, row, _args, ctx) => ctx.services.db.placement.findUniqueOrThrow({ ...query, where: { id: row.id } }),
      }),
    }),
  });
}

builder.mutationFields((t) => ({
  createPlacement: t.field({
    type: placementPayload('CreatePlacementPayload'),
    description: 'Creates a local-only placement; an export sends it to Broadstreet once its campaign and zone are there.',
    args: { input: t.arg({ type: CreatePlacementInput, required: true }) },
    errors: { types: [ValidationError, NotFoundError, ConflictError], directResult: true, union: { name: 'CreatePlacementResult' } },
    resolve: (_root, { input }, ctx) => createPlacement(ctx.services.db, input),
  }),
  updatePlacement: t.field({
    type: placementPayload('UpdatePlacementPayload'),
    description:
      "Replaces a placement's restrictions. A synced one reads CHANGED; the next export deletes and re-creates its triple in Broadstreet (placements have no PUT). Editing one marked for deletion restores it; one in CONFLICT is refused until resolveConflict.",
    args: { input: t.arg({ type: UpdatePlacementInput, required: true }) },
    errors: {
      types: [ValidationError, NotFoundError, ReadOnlyError, ConflictError, DependencyError],
      directResult: true,
      union: { name: 'UpdatePlacementResult' },
    },
    resolve: (_root, { input }, ctx) => updatePlacement(ctx.services.db, input),
  }),
  deletePlacement: t.field({
    type: deletedPayload('DeletePlacementPayload', 'Placement'),
    description:
      'Deletes a placement: a local-only one at once; a synced one reads DELETING until the next export deletes it in Broadstreet.',
    args: { input: t.arg({ type: DeletePlacementInput, required: true }) },
    errors: {
      types: [ValidationError, NotFoundError, ReadOnlyError, ConflictError],
      directResult: true,
      union: { name: 'DeletePlacementResult' },
    },
    resolve: (_root, { input }, ctx) => deletePlacement(ctx.services.db, input.mongoId),
  }),
}));
