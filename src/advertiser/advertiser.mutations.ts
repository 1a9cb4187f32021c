import { MAX_ADMINS, MAX_NAME_LENGTH, MAX_TEXT_LENGTH } from '../domain/limits.ts';
import { builder } from '../graphql/builder.ts';
import { EntityRefInput } from '../graphql/entity-ref.ts';
import { DependencyError, NotFoundError, ReadOnlyError, ValidationError, ConflictError } from '../graphql/errors.ts';
import { deletedPayload, type WrittenRow } from '../graphql/payloads.ts';
import { AdvertiserRef } from './advertiser.schema.ts';
import { createAdvertiserRules, updateAdvertiserRules } from './advertiser.rules.ts';
import { createAdvertiser, deleteAdvertiser, updateAdvertiser } from './advertiser.service.ts';

const AdvertiserAdminInput = builder.inputType('AdvertiserAdminInput', {
  fields: (t) => ({
    name: t.string({ required: true }),
    email: t.string({ required: true }),
  }),
});

const fieldDescriptions = {
  name: `Required, 1–${MAX_NAME_LENGTH} characters once surrounding spaces are trimmed.`,
  webHomeUrl: 'An absolute http:// or https:// URL with a domain name; scheme-less values such as example.com are refused.',
  notes: `At most ${MAX_TEXT_LENGTH} characters.`,
  admins: `At most ${MAX_ADMINS}, each with a name and a valid email.`,
};

const CreateAdvertiserInput = builder.inputType('CreateAdvertiserInput', {
  fields: (t) => ({
    networkId: t.int({ required: true, description: 'Broadstreet id of the (imported) network.' }),
    name: t.string({ required: true, description: fieldDescriptions.name }),
    webHomeUrl: t.string({ description: fieldDescriptions.webHomeUrl }),
    notes: t.string({ description: fieldDescriptions.notes }),
    admins: t.field({ type: [AdvertiserAdminInput], description: fieldDescriptions.admins }),
  }),
  validate: createAdvertiserRules,
});

const UpdateAdvertiserInput = builder.inputType('UpdateAdvertiserInput', {
  description: 'A field left out stays as it is; null clears a field that may be empty.',
  fields: (t) => ({
    advertiser: t.field({ type: EntityRefInput, required: true }),
    name: t.string({ description: fieldDescriptions.name }),
    webHomeUrl: t.string({ description: fieldDescriptions.webHomeUrl }),
    notes: t.string({ description: fieldDescriptions.notes }),
    admins: t.field({ type: [AdvertiserAdminInput], description: `${fieldDescriptions.admins} Replaces the list.` }),
  }),
  validate: updateAdvertiserRules,
});

const DeleteAdvertiserInput = builder.inputType('DeleteAdvertiserInput', {
  fields: (t) => ({ advertiser: t.field({ type: EntityRefInput, required: true }) }),
});

function advertiserPayload(name: string) {
  return builder.objectRef<WrittenRow>(name).implement({
    fields: (t) => ({
      advertiser: t.prismaField({
        type: AdvertiserRef,
        resolve: (query, row, _args, ctx) => ctx.services.db.advertiser.findUniqueOrThrow({ ...query, where: { id: row.id } }),
      }),
    }),
  });
}

const CreateAdvertiserPayload = advertiserPayload('CreateAdvertiserPayload');
const UpdateAdvertiserPayload = advertiserPayload('UpdateAdvertiserPayload');
const DeleteAdvertiserPayload = deletedPayload('DeleteAdvertiserPayload', 'Advertiser');

builder.mutationFields((t) => ({
  createAdvertiser: t.field({
    type: CreateAdvertiserPayload,
    description: 'Creates a local-only advertiser in an imported network; an export sends it to Broadstreet.',
    args: { input: t.arg({ type: CreateAdvertiserInput, required: true }) },
    errors: { types: [ValidationError, NotFoundError], directResult: true, union: { name: 'CreateAdvertiserResult' } },
    resolve: (_root, { input }, ctx) => createAdvertiser(ctx.services.db, input),
  }),
  updateAdvertiser: t.field({
    type: UpdateAdvertiserPayload,
    description:
      'Changes an advertiser. A synced one reads CHANGED until the next export pushes name, webHomeUrl and notes; editing one marked for deletion restores it; one in CONFLICT is refused until resolveConflict.',
    args: { input: t.arg({ type: UpdateAdvertiserInput, required: true }) },
    errors: {
      types: [ValidationError, NotFoundError, ReadOnlyError, ConflictError],
      directResult: true,
      union: { name: 'UpdateAdvertiserResult' },
    },
    resolve: (_root, { input }, ctx) => updateAdvertiser(ctx.services.db, input),
  }),
  deleteAdvertiser: t.field({
    type: DeleteAdvertiserPayload,
    description:
      'Deletes an advertiser with no live campaigns (never cascades): a local-only one at once; a synced one reads DELETING until the next export deletes it in Broadstreet.',
    args: { input: t.arg({ type: DeleteAdvertiserInput, required: true }) },
    errors: {
      types: [ValidationError, NotFoundError, ReadOnlyError, DependencyError, ConflictError],
      directResult: true,
      union: { name: 'DeleteAdvertiserResult' },
    },
    resolve: (_root, { input }, ctx) => deleteAdvertiser(ctx.services.db, input.advertiser),
  }),
}));
