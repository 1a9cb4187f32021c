// The rules a placement obeys, on create and update and again before an export
// (checkPlacement on the stored row, checkPlacementParents on its three parents).
import { z } from 'zod';
import { MAX_RESTRICTION_LENGTH, MAX_RESTRICTIONS } from '../domain/limits.ts';
import { check, checkParentPresent, lineText, mongoIdSchema, type FieldProblem, type Unchecked } from '../domain/rules.ts';

export const restrictionsSchema = z
  .array(
    z
      .string({ error: 'must be text' })
      .trim()
      .min(1, 'must not be empty')
      .max(MAX_RESTRICTION_LENGTH, `must be at most ${MAX_RESTRICTION_LENGTH} characters`)
      .pipe(lineText),
    { error: 'must be a list of strings' },
  )
  .max(MAX_RESTRICTIONS, `must have at most ${MAX_RESTRICTIONS} restrictions`);

/** A placement's writable fields as stored (a row of the Placement table has them). */
export interface PlacementFields {
  restrictions: unknown;
}

const storedPlacement = z.object({ restrictions: restrictionsSchema });

/** Problems with a stored placement's fields; [] when it may be exported. */
export function checkPlacement(fields: Unchecked<PlacementFields>): FieldProblem[] {
  return check(storedPlacement, fields);
}

interface ParentRow {
  mongoId: string;
  networkId: number;
  removedAt: Date | null;
}

/** The three parents of a placement, as rows, under the names the input gives them. */
export interface PlacementParents {
  campaign: ParentRow;
  advertisement: ParentRow;
  zone: ParentRow;
}

/** Problems with a placement's parents: all in the campaign's network, none gone from Broadstreet. */
export function checkPlacementParents(parents: PlacementParents, fieldNames = { advertisement: 'advertisementId' }): FieldProblem[] {
  const { campaign, advertisement, zone } = parents;
  const problems = [
    ...checkParentPresent('campaign', campaign),
    ...checkParentPresent(fieldNames.advertisement, advertisement),
    ...checkParentPresent('zone', zone),
  ];
  for (const [field, row] of [
    [fieldNames.advertisement, advertisement],
    ['zone', zone],
  ] as const) {
    if (row.networkId !== campaign.networkId) {
      problems.push({ path: [field], message: `${row.mongoId} is in another network than the campaign` });
    }
  }
  return problems;
}

/** CreatePlacementInput, field by field (the parent references pass through). */
export const createPlacementRules = z.looseObject({ restrictions: restrictionsSchema.nullish() });

/** UpdatePlacementInput. */
export const updatePlacementRules = z.looseObject({ mongoId: mongoIdSchema, restrictions: restrictionsSchema });

export const deletePlacementRules = z.looseObject({ mongoId: mongoIdSchema });
