// Field rules shared by every entity type, and the plumbing that turns a zod
// result into field problems. The same schemas check GraphQL input and, before
// an export, stored rows.
import { z } from 'zod';
import { ValidationError, type FieldProblem } from './errors.ts';
import { isMongoId } from './ids.ts';
import { MAX_NAME_LENGTH, MAX_TEXT_LENGTH, MAX_URL_LENGTH } from './limits.ts';

export type { FieldProblem } from './errors.ts';

export const nameSchema = z
  .string({ error: (issue) => (issue.input == null ? 'is required' : 'must be text') })
  .trim()
  .min(1, 'must not be empty')
  .max(MAX_NAME_LENGTH, `must be at most ${MAX_NAME_LENGTH} characters`);

/** Free text such as notes: optional, bounded. */
export const textSchema = z.string().max(MAX_TEXT_LENGTH, `must be at most ${MAX_TEXT_LENGTH} characters`);

/** A short optional label such as a zone alias. */
export const labelSchema = z.string().trim().max(MAX_NAME_LENGTH, `must be at most ${MAX_NAME_LENGTH} characters`);

/**
 * An absolute http(s) URL with a domain name. Scheme-less values such as
 * `example.de` (which Broadstreet itself returns) are refused rather than
 * guessed at, so what is stored is exactly what the client sent.
 */
export const httpUrlSchema = z
  .string()
  .trim()
  .max(MAX_URL_LENGTH, `must be at most ${MAX_URL_LENGTH} characters`)
  .pipe(z.httpUrl({ error: 'must be an absolute http:// or https:// URL, e.g. https://example.com' }));

export const mongoIdSchema = z.string().refine(isMongoId, 'must be a 24-character hexadecimal ObjectId');

export const broadstreetIdSchema = z.number().int().positive('must be a positive integer');

/** A row's fields before they are checked: any value may be wrong. */
export type Unchecked<T> = { [K in keyof T]: unknown };

/** The field problems of a failed parse, each path prefixed (e.g. with "input"). */
export function problemsOf(error: z.ZodError | undefined, prefix: string[] = []): FieldProblem[] {
  return (error?.issues ?? []).map((issue) => ({
    path: [...prefix, ...issue.path.map(String)],
    message: issue.message,
  }));
}

/** Runs a schema over a value and reports its problems; [] when it passes. */
export function check(schema: z.ZodType, value: unknown, prefix: string[] = []): FieldProblem[] {
  return problemsOf(schema.safeParse(value).error, prefix);
}

/** Throws one ValidationError for all problems (paths prefixed, e.g. with "input"); nothing when there are none. */
export function assertValid(problems: FieldProblem[], prefix: string[] = ['input']): void {
  if (problems.length === 0) return;
  throw ValidationError.of(problems.map((p) => ({ ...p, path: [...prefix, ...p.path] })));
}

/** The keys whose value is not undefined: in an update, a field left out stays as it is. */
export function definedOnly<T extends object>(fields: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as never;
}

/** A parent an import found gone from Broadstreet cannot take new children: their export would fail. */
export function checkParentPresent(field: string, parent: { removedAt: Date | null; mongoId: string }): FieldProblem[] {
  return parent.removedAt ? [{ path: [field], message: `${parent.mongoId} was removed from Broadstreet; choose another` }] : [];
}
