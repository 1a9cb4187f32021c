import { MAX_NAME_LENGTH, MAX_TEXT_LENGTH } from '../domain/limits.ts';
import { builder } from '../graphql/builder.ts';
import { EntityRefInput } from '../graphql/entity-ref.ts';
import { ConflictError, DependencyError, NotFoundError, ReadOnlyError, ValidationError } from '../graphql/errors.ts';
import { deletedPayload, type WrittenRow } from '../graphql/payloads.ts';
import {
  DISPLAY_TYPES,
  IMPRESSION_MAX_TYPES,
  MAX_WEIGHT,
  PACING_TYPES,
  createCampaignRules,
  updateCampaignRules,
} from './campaign.rules.ts';
import { CampaignRef } from './campaign.schema.ts';
import { createCampaign, deleteCampaign, updateCampaign } from './campaign.service.ts';

const describe = {
  name: `Required, 1–${MAX_NAME_LENGTH} characters once surrounding spaces are trimmed.`,
  endDate: 'Not before startDate.',
  weight: `A positive number, at most ${MAX_WEIGHT} (Broadstreet: low 0.5, default 1, high 1.5, sponsorship 127). Default 1.`,
  displayType: `One of ${DISPLAY_TYPES.join(', ')}. Default no_repeat.`,
  pacingType: `One of ${PACING_TYPES.join(', ')}. Default asap.`,
  impressionMaxType: `One of ${IMPRESSION_MAX_TYPES.join(', ')}. Default cap.`,
  maxImpressionCount: 'Not negative.',
  notes: `At most ${MAX_TEXT_LENGTH} characters.`,
};

/** The optional campaign fields both inputs carry. */
function campaignInputFields(t: Parameters<Parameters<typeof builder.inputType>[1]['fields']>[0]) {
  return {
    startDate: t.field({ type: 'Date' }),
    endDate: t.field({ type: 'Date', description: describe.endDate }),
    weight: t.float({ description: describe.weight }),
    paused: t.boolean({ description: 'Default false.' }),
    archived: t.boolean({ description: 'Default false.' }),
    displayType: t.string({ description: describe.displayType }),
    pacingType: t.string({ description: describe.pacingType }),
    impressionMaxType: t.string({ description: describe.impressionMaxType }),
    maxImpressionCount: t.int({ description: describe.maxImpressionCount }),
    notes: t.string({ description: describe.notes }),
  };
}

const CreateCampaignInput = builder.inputType('CreateCampaignInput', {
  fields: (t) => ({
    advertiser: t.field({
      type: EntityRefInput,
      required: true,
      description: 'A local or synced advertiser; the campaign joins its network.',
    }),
    name: t.string({ required: true, description: describe.name }),
    ...campaignInputFields(t),
  }),
  validate: createCampaignRules,
});

const UpdateCampaignInput = builder.inputType('UpdateCampaignInput', {
  description: 'A field left out stays as it is; null clears a field that may be empty.',
  fields: (t) => ({
    campaign: t.field({ type: EntityRefInput, required: true }),
    name: t.string({ description: describe.name }),
    ...campaignInputFields(t),
  }),
  validate: updateCampaignRules,
});

const DeleteCampaignInput = builder.inputType('DeleteCampaignInput', {
  fields: (t) => ({ campaign: t.field({ type: EntityRefInput, required: true }) }),
});

function campaignPayload(name: string) {
  return builder.objectRef<WrittenRow>(name).implement({
    fields: (t) => ({
      campaign: t.prismaField({
        type: CampaignRef,
        resolve: (query, row, _args, ctx) => ctx.services.db.campaign.findUniqueOrThrow({ ...query, where: { id: row.id } }),
      }),
    }),
  });
}

builder.mutationFields((t) => ({
  createCampaign: t.field({
    type: campaignPayload('CreateCampaignPayload'),
    description: 'Creates a local-only campaign for a local or synced advertiser; an export sends it to Broadstreet.',
    args: { input: t.arg({ type: CreateCampaignInput, required: true }) },
    errors: { types: [ValidationError, NotFoundError], directResult: true, union: { name: 'CreateCampaignResult' } },
    resolve: (_root, { input }, ctx) => createCampaign(ctx.services.db, input),
  }),
  updateCampaign: t.field({
    type: campaignPayload('UpdateCampaignPayload'),
    description:
      'Changes a campaign. A synced one reads CHANGED (changedFields lists what) until the next export pushes it; editing one marked for deletion restores it; one in CONFLICT is refused until resolveConflict.',
    args: { input: t.arg({ type: UpdateCampaignInput, required: true }) },
    errors: {
      types: [ValidationError, NotFoundError, ReadOnlyError, ConflictError, DependencyError],
      directResult: true,
      union: { name: 'UpdateCampaignResult' },
    },
    resolve: (_root, { input }, ctx) => updateCampaign(ctx.services.db, input),
  }),
  deleteCampaign: t.field({
    type: deletedPayload('DeleteCampaignPayload', 'Campaign'),
    description:
      'Deletes a campaign with no live placements (never cascades): a local-only one at once; a synced one reads DELETING until the next export deletes it in Broadstreet.',
    args: { input: t.arg({ type: DeleteCampaignInput, required: true }) },
    errors: {
      types: [ValidationError, NotFoundError, ReadOnlyError, DependencyError, ConflictError],
      directResult: true,
      union: { name: 'DeleteCampaignResult' },
    },
    resolve: (_root, { input }, ctx) => deleteCampaign(ctx.services.db, input.campaign),
  }),
}));
