// The rules a campaign obeys, on create and update and again before an export
// (checkCampaign on the stored row, checkCampaignParent on its advertiser).
import { z } from 'zod';
import { isCalendarDate } from '../domain/dates.ts';
import { check, checkParentPresent, nameSchema, textSchema, type FieldProblem, type Unchecked } from '../domain/rules.ts';

export const DISPLAY_TYPES = ['no_repeat', 'allow_repeat_campaign', 'allow_repeat_advertisement', 'force_repeat_campaign'] as const;
export const PACING_TYPES = ['asap', 'even'] as const;
export const IMPRESSION_MAX_TYPES = ['cap', 'goal'] as const;
/** Broadstreet's largest named weight ("sponsorship"). Its "remnant" weight 0 cannot be set locally. */
export const MAX_WEIGHT = 127;

export const CAMPAIGN_DEFAULTS = {
  weight: 1,
  displayType: 'no_repeat',
  pacingType: 'asap',
  impressionMaxType: 'cap',
  paused: false,
  archived: false,
} as const;

const dateSchema = z.string().refine(isCalendarDate, 'must be a calendar date written YYYY-MM-DD');
const weightSchema = z
  .number({ error: 'must be a number' })
  .positive('must be a positive number')
  .max(MAX_WEIGHT, `must be at most ${MAX_WEIGHT}`);
const oneOf = (values: readonly [string, ...string[]]) => z.enum(values, { error: `must be one of ${values.join(', ')}` });
const countSchema = z.int({ error: 'must be a whole number' }).min(0, 'must not be negative');
const flagSchema = z.boolean({ error: 'must be true or false' });

const campaignFieldRules = {
  name: nameSchema,
  startDate: dateSchema.nullable(),
  endDate: dateSchema.nullable(),
  weight: weightSchema,
  displayType: oneOf(DISPLAY_TYPES).nullable(),
  pacingType: oneOf(PACING_TYPES).nullable(),
  impressionMaxType: oneOf(IMPRESSION_MAX_TYPES).nullable(),
  maxImpressionCount: countSchema.nullable(),
  paused: flagSchema,
  archived: flagSchema,
  notes: textSchema.nullable(),
};

/** A campaign's writable fields as stored (a row of the Campaign table has them). */
export interface CampaignFields {
  name: string;
  startDate: string | null;
  endDate: string | null;
  weight: number;
  displayType: string | null;
  pacingType: string | null;
  impressionMaxType: string | null;
  maxImpressionCount: number | null;
  paused: boolean;
  archived: boolean;
  notes: string | null;
}

/** An end date before the start date; dates that are not dates are reported by their own rule. */
function endNotBeforeStart(fields: { startDate?: unknown; endDate?: unknown }, ctx: z.RefinementCtx): void {
  const { startDate, endDate } = fields;
  if (typeof startDate !== 'string' || typeof endDate !== 'string') return;
  if (!isCalendarDate(startDate) || !isCalendarDate(endDate) || endDate >= startDate) return;
  ctx.addIssue({ code: 'custom', path: ['endDate'], message: `must not be before startDate (${startDate})` });
}

const storedCampaign = z.object(campaignFieldRules).superRefine(endNotBeforeStart);

/** Problems with a stored campaign's fields; [] when it may be exported. */
export function checkCampaign(fields: Unchecked<CampaignFields>): FieldProblem[] {
  return check(storedCampaign, fields);
}

/** Problems with a campaign's advertiser (as a row): it must still exist in Broadstreet if it came from there. */
export function checkCampaignParent(advertiser: { removedAt: Date | null; mongoId: string }): FieldProblem[] {
  return checkParentPresent('advertiser', advertiser);
}

/**
 * CreateCampaignInput, field by field (the advertiser reference passes through).
 * A field left out takes its default; null is refused where the column has no null.
 */
export const createCampaignRules = z.looseObject(campaignFieldRules).partial().required({ name: true }).superRefine(endNotBeforeStart);

/** UpdateCampaignInput: a field left out stays as it is; null clears a field that may be empty. */
export const updateCampaignRules = z.looseObject(campaignFieldRules).partial().superRefine(endNotBeforeStart);
