// @ts-check
// What the edit forms offer, per entity type: every input field of the
// update… mutation (UpdateAdvertiserInput, UpdateZoneInput,
// UpdateCampaignInput, UpdatePlacementInput), how it is entered, and what an
// empty value means. test/dashboard/edit-fields.test.ts checks this against
// schema.graphql: a field the API gains, or an enum value, shows up here.
import {
  DELETE_ADVERTISER,
  DELETE_CAMPAIGN,
  DELETE_PLACEMENT,
  DELETE_ZONE,
  UPDATE_ADVERTISER,
  UPDATE_CAMPAIGN,
  UPDATE_PLACEMENT,
  UPDATE_ZONE,
} from './queries.js';

/**
 * How a field is entered:
 * - text, textarea, date: empty sends null (clears it) where `required` is not set;
 * - number (Float), integer (Int): empty sends null; an integer field refuses a fraction before sending;
 * - checkbox: true or false;
 * - select: one of `options` (the schema's enum values), or the empty choice, which sends null;
 * - list: comma-separated strings; empty sends [];
 * - admins: shown, never sent (`fixed` says why).
 * @typedef {'text' | 'textarea' | 'date' | 'number' | 'integer' | 'checkbox' | 'select' | 'list' | 'admins'} FieldKind
 * @typedef {{ value: string, label: string }} Option
 * @typedef {{
 *   name: string,
 *   label: string,
 *   kind: FieldKind,
 *   options?: Option[],
 *   required?: boolean,
 *   hint?: string,
 *   writeOnly?: boolean,
 *   localOnly?: string,
 *   fixed?: string,
 * }} FormField
 * `required`: the API refuses null (an emptied field is sent and refused with its error).
 * `writeOnly`: Broadstreet accepts it but never returns it (pushed when changed here; not drift-checked).
 * `localOnly`: editable while the entity is only here; once synced, the reason it is not.
 * `fixed`: never editable here, and why.
 * @typedef {{ entityType: string, update: string, remove: string, field: string, ref: (node: any) => object, fields: FormField[] }} EditSpec
 */

/** @param {string[]} values enum values as the schema names them @param {Record<string, string>} [labels] @returns {Option[]} */
function options(values, labels = {}) {
  return values.map((value) => ({
    value,
    label: labels[value] ?? value.charAt(0) + value.slice(1).toLowerCase().replace(/_/g, ' '),
  }));
}

/** The schema's enum values (DisplayType, PacingType, ImpressionMaxType). */
export const ENUMS = {
  DisplayType: ['ALLOW_REPEAT_ADVERTISEMENT', 'ALLOW_REPEAT_CAMPAIGN', 'FORCE_REPEAT_CAMPAIGN', 'NO_REPEAT'],
  PacingType: ['ASAP', 'EVEN'],
  ImpressionMaxType: ['CAP', 'GOAL'],
};

/** Per list type: the mutations, how the entity is named in their input, and its fields. @type {Record<string, EditSpec>} */
export const EDITABLE = {
  advertisers: {
    entityType: 'ADVERTISER',
    update: UPDATE_ADVERTISER,
    remove: DELETE_ADVERTISER,
    field: 'updateAdvertiser',
    ref: (node) => ({ advertiser: { mongoId: node.mongoId } }),
    fields: [
      { name: 'name', label: 'Name', kind: 'text', required: true },
      { name: 'webHomeUrl', label: 'Web home URL', kind: 'text', hint: 'An absolute http:// or https:// URL.' },
      { name: 'notes', label: 'Notes', kind: 'textarea' },
      {
        name: 'admins',
        label: 'Admins',
        kind: 'admins',
        fixed: "Broadstreet's API cannot set admins: change them in Broadstreet, and the next import brings them here.",
      },
    ],
  },
  zones: {
    entityType: 'ZONE',
    update: UPDATE_ZONE,
    remove: DELETE_ZONE,
    field: 'updateZone',
    ref: (node) => ({ zone: { mongoId: node.mongoId } }),
    fields: [
      { name: 'name', label: 'Name', kind: 'text', required: true },
      { name: 'alias', label: 'Alias', kind: 'text' },
      {
        name: 'selfServe',
        label: 'Self-serve',
        kind: 'checkbox',
        localOnly: "Broadstreet's API cannot change it once the zone is in Broadstreet.",
      },
    ],
  },
  campaigns: {
    entityType: 'CAMPAIGN',
    update: UPDATE_CAMPAIGN,
    remove: DELETE_CAMPAIGN,
    field: 'updateCampaign',
    ref: (node) => ({ campaign: { mongoId: node.mongoId } }),
    fields: [
      { name: 'name', label: 'Name', kind: 'text', required: true },
      { name: 'startDate', label: 'Start date', kind: 'date' },
      { name: 'endDate', label: 'End date', kind: 'date', hint: 'Not before the start date.' },
      {
        name: 'weight',
        label: 'Weight',
        kind: 'number',
        required: true,
        hint: 'Above 0, at most 127 (Broadstreet: low 0.5, default 1, high 1.5, sponsorship 127).',
      },
      {
        name: 'displayType',
        label: 'Display type',
        kind: 'select',
        options: options(ENUMS.DisplayType),
      },
      { name: 'pacingType', label: 'Pacing type', kind: 'select', options: options(ENUMS.PacingType, { ASAP: 'ASAP' }), writeOnly: true },
      { name: 'maxImpressionCount', label: 'Impression max', kind: 'integer', hint: 'A whole number, not negative; empty for none.' },
      {
        name: 'impressionMaxType',
        label: 'Impression max type',
        kind: 'select',
        options: options(ENUMS.ImpressionMaxType, { CAP: 'Cap', GOAL: 'Goal' }),
        writeOnly: true,
      },
      { name: 'paused', label: 'Paused', kind: 'checkbox', writeOnly: true },
      { name: 'archived', label: 'Archived', kind: 'checkbox', writeOnly: true },
      { name: 'notes', label: 'Notes', kind: 'textarea', writeOnly: true },
    ],
  },
  placements: {
    entityType: 'PLACEMENT',
    update: UPDATE_PLACEMENT,
    remove: DELETE_PLACEMENT,
    field: 'updatePlacement',
    ref: (node) => ({ mongoId: node.mongoId }),
    fields: [{ name: 'restrictions', label: 'Restrictions (comma-separated)', kind: 'list' }],
  },
};

/** The update input's name per list type, and the field that names the entity (checked against the schema). */
export const UPDATE_INPUTS = {
  advertisers: { input: 'UpdateAdvertiserInput', ref: 'advertiser' },
  zones: { input: 'UpdateZoneInput', ref: 'zone' },
  campaigns: { input: 'UpdateCampaignInput', ref: 'campaign' },
  placements: { input: 'UpdatePlacementInput', ref: 'mongoId' },
};
