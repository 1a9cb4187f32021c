// The rules a zone's own fields obey, on create and update and again before
// an export (checkZone on the stored row).
import { z } from 'zod';
import { check, labelSchema, nameSchema, type FieldProblem, type Unchecked } from '../domain/rules.ts';

/** A zone's writable fields as stored (a row of the Zone table has them). */
export interface ZoneFields {
  name: string;
  alias: string | null;
  selfServe: boolean;
}

const zoneFieldRules = {
  name: nameSchema,
  alias: labelSchema.nullable(),
  selfServe: z.boolean({ error: 'must be true or false' }),
};

const storedZone = z.object(zoneFieldRules);

/** Problems with a stored zone's fields; [] when it may be exported. */
export function checkZone(fields: Unchecked<ZoneFields>): FieldProblem[] {
  return check(storedZone, fields);
}

/** CreateZoneInput, field by field (other keys, such as networkId, pass through). */
export const createZoneRules = z.looseObject(zoneFieldRules).partial().required({ name: true });

/** UpdateZoneInput: a field left out stays as it is; null clears a field that may be empty. */
export const updateZoneRules = z.looseObject(zoneFieldRules).partial();
