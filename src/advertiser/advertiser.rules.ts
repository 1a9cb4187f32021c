// The rules an advertiser's own fields obey, on create and update and again
// before an export (checkAdvertiser on the stored row).
import { z } from 'zod';
import { MAX_ADMINS } from '../domain/limits.ts';
import { check, httpUrlSchema, nameSchema, textSchema, type FieldProblem, type Unchecked } from '../domain/rules.ts';

export const adminSchema = z.object({
  name: nameSchema,
  email: z.email({ error: 'must be an email address' }).max(254, 'must be at most 254 characters'),
});
export type AdvertiserAdmin = z.infer<typeof adminSchema>;

export const adminsSchema = z.array(adminSchema).max(MAX_ADMINS, `must have at most ${MAX_ADMINS} admins`);

/** The fields a user writes, each with its rule. */
export const advertiserFieldRules = {
  name: nameSchema,
  webHomeUrl: httpUrlSchema.nullable(),
  notes: textSchema.nullable(),
  admins: adminsSchema,
};

/** An advertiser's writable fields as stored (a row of the Advertiser table has them). */
export interface AdvertiserFields {
  name: string;
  webHomeUrl: string | null;
  notes: string | null;
  admins: unknown;
}

const storedAdvertiser = z.object(advertiserFieldRules);

/** Problems with a stored advertiser's fields; [] when it may be exported. */
export function checkAdvertiser(fields: Unchecked<AdvertiserFields>): FieldProblem[] {
  return check(storedAdvertiser, fields);
}

/**
 * Broadstreet's API takes no admins (its POST and PUT have no such field), so
 * admins given here would be stored and never sent, then replaced by the next
 * import: refused instead. Imported admins are shown as Broadstreet has them.
 */
export const NO_LOCAL_ADMINS =
  "Broadstreet's API cannot set an advertiser's admins, so they would never reach Broadstreet: add " +
  'them in Broadstreet (the next import brings them here), or leave admins empty';

const inputFieldRules = {
  ...advertiserFieldRules,
  // After the list's own rules (pipe): a malformed admin is reported as such first.
  admins: adminsSchema.pipe(z.array(adminSchema).max(0, NO_LOCAL_ADMINS)),
};

/** CreateAdvertiserInput, field by field (other keys, such as networkId, pass through). */
export const createAdvertiserRules = z.looseObject(inputFieldRules).partial().required({ name: true });

/** UpdateAdvertiserInput: a field left out stays as it is; null clears a field that may be empty. */
export const updateAdvertiserRules = z.looseObject(inputFieldRules).partial();
