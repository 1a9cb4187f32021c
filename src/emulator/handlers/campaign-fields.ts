// Reading and checking the campaign fields of POST and PUT /campaigns.
import { DISPLAY_TYPES, WEIGHT_NAMES, type CampaignRecord, type DisplayType } from '../model.ts';
import type { Params } from '../params.ts';
import { bool, FieldErrors, has, requiredName, text } from './common.ts';

type CampaignFields = Omit<CampaignRecord, 'id' | 'networkId' | 'advertiserId' | 'origin'>;

export const CAMPAIGN_DEFAULTS: CampaignFields = {
  name: '',
  startDate: null,
  endDate: null,
  maxImpressionCount: null,
  displayType: 'no_repeat',
  weight: 1,
  pacingType: 'asap',
  impressionMaxType: 'cap',
  paused: false,
  archived: false,
  notes: null,
};

/** The fields present in params applied over `base`; throws 422 listing every bad field. */
export function campaignFields(params: Params, base: CampaignFields, creating: boolean): CampaignFields {
  const errors = new FieldErrors();
  const out: CampaignFields = { ...base };
  if (creating || has(params, 'name')) out.name = requiredName(params, 'name', errors);
  if (has(params, 'start_date')) [out.startDate, out.startsAt] = moment(params, 'start_date', errors);
  if (has(params, 'end_date')) [out.endDate, out.endsAt] = moment(params, 'end_date', errors);
  if (out.startDate && out.endDate && out.endDate < out.startDate) errors.add('end_date', 'must be after the start date');
  if (has(params, 'max_impression_count')) out.maxImpressionCount = count(params, 'max_impression_count', errors);
  if (has(params, 'display_type')) out.displayType = displayType(params, errors);
  if (has(params, 'weight')) out.weight = weight(params, errors);
  if (has(params, 'pacing_type')) out.pacingType = text(params, 'pacing_type', errors);
  if (has(params, 'impression_max_type')) out.impressionMaxType = text(params, 'impression_max_type', errors);
  if (has(params, 'notes')) out.notes = text(params, 'notes', errors);
  out.paused = bool(params, 'paused', errors) ?? out.paused;
  out.archived = bool(params, 'archived', errors) ?? out.archived;
  errors.throwIfAny();
  return out;
}

/** `YYYY-MM-DD`, or with a time: [the day echoed by lists, the moment taken (a date alone is midnight)]; anything else is refused. */
function moment(params: Params, name: string, errors: FieldErrors): [string | null, string | null] {
  const value = text(params, name, errors);
  if (value === null) return [null, null];
  const match = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}:\d{2})(:\d{2})?.*)?$/.exec(value.trim());
  const day = match?.[1];
  if (!day || Number.isNaN(Date.parse(`${day}T00:00:00Z`)) || new Date(`${day}T00:00:00Z`).toISOString().slice(0, 10) !== day) {
    errors.add(name, 'is not a valid date');
    return [null, null];
  }
  const time = match[2] ? `${match[2]}${match[3] ?? ':00'}` : '00:00:00';
  return [day, `${day} ${time}`];
}

function count(params: Params, name: string, errors: FieldErrors): number | null {
  const raw = params[name];
  if (raw === null || raw === '') return null;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) {
    errors.add(name, 'must be a whole number');
    return null;
  }
  return n;
}

function displayType(params: Params, errors: FieldErrors): DisplayType | null {
  const value = text(params, 'display_type', errors);
  if (value === null) return null;
  if ((DISPLAY_TYPES as readonly string[]).includes(value)) return value as DisplayType;
  errors.add('display_type', 'is not included in the list');
  return null;
}

/** Sent as a number (names are accepted too); stored as a number, read back as a name. */
function weight(params: Params, errors: FieldErrors): number {
  const raw = params.weight;
  const named = typeof raw === 'string' ? WEIGHT_NAMES[raw.trim().toLowerCase()] : undefined;
  const n = named ?? (raw === '' || raw === null || typeof raw === 'boolean' ? NaN : Number(raw));
  if (!Number.isFinite(n) || n < 0) {
    errors.add('weight', 'is not a valid weight');
    return 1;
  }
  return n;
}
