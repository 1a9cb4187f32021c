// resolveConflict: the mutation that settles a two-way sync conflict.
import { z } from 'zod';
import { AdvertiserRef } from '../advertiser/advertiser.schema.ts';
import { CampaignRef } from '../campaign/campaign.schema.ts';
import { EXPORTABLE_TYPES, type ExportableType } from '../domain/enums.ts';
import { builder } from '../graphql/builder.ts';
import { EntityRefInput } from '../graphql/entity-ref.ts';
import { ConflictSideEnum, EntityTypeEnum } from '../graphql/enums.ts';
import { ConflictError, NotFoundError, ValidationError } from '../graphql/errors.ts';
import { PlacementRef } from '../placement/placement.schema.ts';
import { ZoneRef } from '../zone/zone.schema.ts';
import { resolveConflict } from './resolve.ts';

const FieldChoiceInput = builder.inputType('FieldChoice', {
  fields: (t) => ({
    field: t.string({ required: true, description: 'A field of the conflict (GraphQL name).' }),
    keep: t.field({ type: ConflictSideEnum, required: true }),
  }),
});

const ResolveConflictInput = builder.inputType('ResolveConflictInput', {
  fields: (t) => ({
    entityType: t.field({
      type: EntityTypeEnum,
      required: true,
      validate: z.enum(EXPORTABLE_TYPES, { error: 'must be ADVERTISER, ZONE, CAMPAIGN or PLACEMENT' }),
    }),
    entity: t.field({ type: EntityRefInput, required: true, description: 'Placements: { mongoId }.' }),
    keep: t.field({
      type: ConflictSideEnum,
      required: true,
      description:
        "LOCAL keeps the local values (the next export pushes them; a remote deletion: re-creates the entity); REMOTE takes Broadstreet's (a remote deletion: accepts it, the entity becomes REMOVED). Deleted on both sides (localDeleted): either side makes it REMOVED. For every field not named in fields.",
    }),
    fields: t.field({ type: [FieldChoiceInput], description: 'Per-field choices; the others follow keep.' }),
  }),
});

type Resolved = { id: number; type: ExportableType };

const ResolveConflictPayload = builder.objectRef<Resolved>('ResolveConflictPayload').implement({
  description: 'The entity after its conflict was settled (the field of its type is set).',
  fields: (t) => ({
    entityType: t.field({ type: EntityTypeEnum, resolve: (r) => r.type }),
    advertiser: t.prismaField({
      type: AdvertiserRef,
      nullable: true,
      resolve: (query, r, _args, ctx) =>
        r.type === 'ADVERTISER' ? ctx.services.db.advertiser.findUnique({ ...query, where: { id: r.id } }) : null,
    }),
    zone: t.prismaField({
      type: ZoneRef,
      nullable: true,
      resolve: (query, r, _args, ctx) => (r.type === 'ZONE' ? ctx.services.db.zone.findUnique({ ...query, where: { id: r.id } }) : null),
    }),
    campaign: t.prismaField({
      type: CampaignRef,
      nullable: true,
      resolve: (query, r, _args, ctx) =>
        r.type === 'CAMPAIGN' ? ctx.services.db.campaign.findUnique({ ...query, where: { id: r.id } }) : null,
    }),
    placement: t.prismaField({
      type: PlacementRef,
      nullable: true,
      resolve: (query, r, _args, ctx) =>
        r.type === 'PLACEMENT' ? ctx.services.db.placement.findUnique({ ...query, where: { id: r.id } }) : null,
    }),
  }),
});

builder.mutationFields((t) => ({
  resolveConflict: t.field({
    type: ResolveConflictPayload,
    description: 'Settles a two-way sync conflict: keep LOCAL or REMOTE, for every field or per field.',
    args: { input: t.arg({ type: ResolveConflictInput, required: true }) },
    errors: { types: [ValidationError, NotFoundError, ConflictError], directResult: true, union: { name: 'ResolveConflictResult' } },
    resolve: (_root, { input }, ctx) => resolveConflict(ctx.services.db, { ...input, entityType: input.entityType as ExportableType }),
  }),
}));
