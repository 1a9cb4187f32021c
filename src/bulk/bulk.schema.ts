// Bulk mutations, all or none: createPlacements (one campaign's ad in many
// zones) and deleteLocalEntities (many local-only entities of one type).
import { wrapOrThrow } from '@pothos/plugin-errors';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { MAX_RESTRICTION_LENGTH, MAX_RESTRICTIONS } from '../domain/limits.ts';
import { BatchRefusedError, type RefusedItem } from '../domain/errors.ts';
import { builder } from '../graphql/builder.ts';
import { EntityRefInput } from '../graphql/entity-ref.ts';
import { EntityTypeEnum } from '../graphql/enums.ts';
import { ConflictError, DependencyError, ErrorInterface, NotFoundError, ReadOnlyError, ValidationError } from '../graphql/errors.ts';
import { createPlacementRules } from '../placement/placement.rules.ts';
import { PlacementRef } from '../placement/placement.schema.ts';
import { createPlacements, deleteLocalEntities, MAX_BATCH, type DeletableType, type DeletedEntity } from './bulk.service.ts';

const ITEM_ERRORS = [NotFoundError, ValidationError, ConflictError, ReadOnlyError, DependencyError];

const RefusedItemRef = builder.objectRef<RefusedItem>('RefusedItem').implement({
  description: 'One item of a batch that was refused, with the typed error it got on its own.',
  fields: (t) => ({
    index: t.exposeInt('index', { description: 'Its position in the input list (0-based).' }),
    broadstreetId: t.exposeInt('broadstreetId', { nullable: true }),
    mongoId: t.exposeString('mongoId', { nullable: true }),
    // Wrapped as the errors plugin wraps a result union's errors: graphql-js would raise an Error returned as is.
    error: t.field({ type: ErrorInterface, resolve: (item) => wrapOrThrow(item.error, ITEM_ERRORS, undefined) as Error }),
  }),
});

builder.objectType(BatchRefusedError, {
  name: 'BatchRefusedError',
  description: 'A batch is written all or none: these items were refused, so nothing was written.',
  interfaces: [ErrorInterface],
  fields: (t) => ({ refused: t.field({ type: [RefusedItemRef], resolve: (error) => error.refused }) }),
});

const CreatePlacementsInput = builder.inputType('CreatePlacementsInput', {
  fields: (t) => ({
    campaign: t.field({ type: EntityRefInput, required: true }),
    advertisementId: t.int({ required: true, description: "Broadstreet id of an advertisement in the campaign's network." }),
    zones: t.field({
      type: [EntityRefInput],
      required: true,
      description: `1–${MAX_BATCH} zones of the campaign's network; one placement each.`,
    }),
    restrictions: t.stringList({
      description: `For every placement: at most ${MAX_RESTRICTIONS}, each 1–${MAX_RESTRICTION_LENGTH} characters.`,
    }),
  }),
  validate: createPlacementRules,
});

const CreatePlacementsPayload = builder.objectRef<{ ids: number[] }>('CreatePlacementsPayload').implement({
  fields: (t) => ({
    placements: t.prismaField({
      type: [PlacementRef],
      description: 'In the order of the zones.',
      resolve: async (query, { ids }, _args, ctx) => {
        const rows = await ctx.services.db.placement.findMany({ ...query, where: { id: { in: ids } } });
        return ids.map((id) => rows.find((row) => row.id === id)!);
      },
    }),
  }),
});

const DeletableTypeEnum = builder.enumType('DeletableEntityType', { values: ['ADVERTISER', 'ZONE', 'CAMPAIGN', 'PLACEMENT'] as const });

const DeleteLocalEntitiesInput = builder.inputType('DeleteLocalEntitiesInput', {
  fields: (t) => ({
    entityType: t.field({ type: DeletableTypeEnum, required: true }),
    mongoIds: t.stringList({ required: true, description: `1–${MAX_BATCH} local-only entities of that type.` }),
  }),
});

const DeletedEntityRef = builder.objectRef<DeletedEntity>('DeletedEntity').implement({
  fields: (t) => ({
    deletedId: t.id({ description: 'The Relay id it had.', resolve: (row) => encodeGlobalID(titleCase(row.entityType), row.id) }),
    mongoId: t.exposeString('mongoId'),
    entityType: t.field({ type: EntityTypeEnum, resolve: (row) => row.entityType }),
  }),
});

const titleCase = (type: string) => type.charAt(0) + type.slice(1).toLowerCase();

builder.mutationFields((t) => ({
  createPlacements: t.field({
    type: CreatePlacementsPayload,
    description:
      "Places one campaign's advertisement in many zones, all or none: a refused zone refuses the batch " +
      '(BatchRefusedError names each one).',
    args: { input: t.arg({ type: CreatePlacementsInput, required: true }) },
    errors: { types: [ValidationError, NotFoundError, BatchRefusedError], directResult: true, union: { name: 'CreatePlacementsResult' } },
    resolve: async (_root, { input }, ctx) => ({ ids: (await createPlacements(ctx.services.db, input)).map((row) => row.id) }),
  }),
  deleteLocalEntities: t.field({
    type: builder.objectRef<DeletedEntity[]>('DeleteLocalEntitiesPayload').implement({
      fields: (p) => ({ deleted: p.field({ type: [DeletedEntityRef], resolve: (rows) => rows }) }),
    }),
    description: 'Deletes local-only entities of one type, all or none: one that is synced, unknown or has children refuses the batch.',
    args: { input: t.arg({ type: DeleteLocalEntitiesInput, required: true }) },
    errors: { types: [ValidationError, BatchRefusedError], directResult: true, union: { name: 'DeleteLocalEntitiesResult' } },
    resolve: (_root, { input }, ctx) =>
      deleteLocalEntities(ctx.services.db, { entityType: input.entityType as DeletableType, mongoIds: input.mongoIds }),
  }),
}));
