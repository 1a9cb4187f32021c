// Campaign displayType, pacingType and impressionMaxType as GraphQL enums.
// Stored values stay Broadstreet's wire text (no_repeat, asap, cap, …): each
// enum value's internal value is that text, so resolvers and inputs deal in
// stored values and only the schema shows the enum names.
//
// Inputs took these as strings before. The lower-case text is not accepted
// as a deprecated enum value beside the new names: GraphQL Code Generator
// (and other clients that map enums to TypeScript enums) would derive the
// same member name from NO_REPEAT and no_repeat and fail. The README's
// changelog says so.
//
// Real data is messy (broadstreet-api.md): a stored value outside the enum
// answers null in the enum field, and the deprecated *Text field still shows
// the stored text as it is.
import { builder } from '../graphql/builder.ts';
import { DISPLAY_TYPES, IMPRESSION_MAX_TYPES, PACING_TYPES } from './campaign.rules.ts';

function wireEnum<const W extends string>(name: string, description: string, wire: readonly W[]) {
  const values: Record<string, { value: W; description: string }> = {};
  for (const w of wire) values[w.toUpperCase()] = { value: w, description: `Broadstreet's ${w}.` };
  return builder.enumType(name, { description, values });
}

export const DisplayTypeEnum = wireEnum(
  'DisplayType',
  "Whether a page may show a campaign's ads more than once (Broadstreet's display_type).",
  DISPLAY_TYPES,
);
export const PacingTypeEnum = wireEnum('PacingType', "How Broadstreet spreads a campaign's impressions (pacing_type).", PACING_TYPES);
export const ImpressionMaxTypeEnum = wireEnum(
  'ImpressionMaxType',
  'Whether maxImpressionCount is a cap or a goal (impression_max_type).',
  IMPRESSION_MAX_TYPES,
);

/** A stored value the enum knows, or null (a value outside it stays readable in the deprecated text field). */
export function knownOrNull<W extends string>(known: readonly W[], stored: string | null): W | null {
  return stored !== null && (known as readonly string[]).includes(stored) ? (stored as W) : null;
}
