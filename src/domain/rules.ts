// Field rules shared by every entity type, and the plumbing that turns a zod
// result into field problems. The same schemas check GraphQL input and, before
// an export, stored rows.
import { z } from 'zod';
import { ValidationError, type FieldProblem } from './errors.ts';
import { isMongoId } from './ids.ts';
import { MAX_NAME_LENGTH, MAX_TEXT_LENGTH, MAX_URL_LENGTH } from './limits.ts';

export type { FieldProblem } from './errors.ts';

/** Half of a UTF-16 surrogate pair without its other half: not Unicode text (SQLite refuses it, PostgreSQL would store garbage). */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** Control characters (NUL included), which no name, label or URL can hold. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is this pattern's job
const CONTROL = /[\u0001-\u001F\u007F]/;

/** Any stored text: valid Unicode, no NUL (PostgreSQL refuses it; Broadstreet would receive it). */
export const unicodeText = z
  .string()
  .refine((v) => !LONE_SURROGATE.test(v), 'must be valid Unicode text (it holds half of a surrogate pair)')
  .refine((v) => !v.includes('\u0000'), 'must not contain a NUL character');

/** Text of one line: no control characters either. */
export const lineText = unicodeText.refine((v) => !CONTROL.test(v), 'must not contain control characters (line breaks, tabs, NUL…)');

export const nameSchema = z
  .string({ error: (issue) => (issue.input == null ? 'is required' : 'must be text') })
  .trim()
  .min(1, 'must not be empty')
  .max(MAX_NAME_LENGTH, `must be at most ${MAX_NAME_LENGTH} characters`)
  .pipe(lineText);

/** Free text such as notes: optional, bounded; line breaks allowed. */
export const textSchema = z.string().max(MAX_TEXT_LENGTH, `must be at most ${MAX_TEXT_LENGTH} characters`).pipe(unicodeText);

/** A short optional label such as a zone alias. */
export const labelSchema = z.string().trim().max(MAX_NAME_LENGTH, `must be at most ${MAX_NAME_LENGTH} characters`).pipe(lineText);

/**
 * An absolute http(s) URL with a domain name. Scheme-less values such as
 * `example.de` (which Broadstreet itself returns) are refused rather than
 * guessed at, so what is stored is exactly what the client sent.
 */
export const httpUrlSchema = z
  .string()
  .trim()
  .max(MAX_URL_LENGTH, `must be at most ${MAX_URL_LENGTH} characters`)
  .pipe(lineText)
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

/**
 * The problems an edit answers for. A synced row's other fields hold what
 * Broadstreet has, and real data is messy (a scheme-less URL, say): they are
 * not sent back unless changed, so only the fields the edit sets are checked.
 */
export function problemsOfEdit(problems: FieldProblem[], synced: boolean, changes: object): FieldProblem[] {
  if (!synced) return problems;
  const set = new Set(Object.keys(changes));
  return problems.filter((p) => set.has(String(p.path[0])));
}

/** The keys whose value is not undefined: in an update, a field left out stays as it is. */
export function definedOnly<T extends object>(fields: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as never;
}

/** A parent an import found gone from Broadstreet cannot take new children: their export would fail. */
export function checkParentPresent(field: string, parent: { removedAt: Date | null; mongoId: string }): FieldProblem[] {
  return parent.removedAt ? [{ path: [field], message: `${parent.mongoId} was removed from Broadstreet; choose another` }] : [];
}
