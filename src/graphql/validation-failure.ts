// How plugin-validation's failures reach clients: one ValidationError listing
// every refused field, a member of the mutation's result union (or a GraphQL
// error on a query field).
import { z } from 'zod';
import { ValidationError, type FieldProblem } from '../domain/errors.ts';
import { MAX_PAGE_SIZE } from '../domain/limits.ts';

interface Issue {
  readonly message: string;
  readonly path?: ReadonlyArray<PropertyKey | { readonly key: PropertyKey }> | undefined;
}

export function validationFailure(result: { readonly issues: ReadonlyArray<Issue> }): ValidationError {
  return ValidationError.of(result.issues.map(toFieldProblem));
}

function toFieldProblem(issue: Issue): FieldProblem {
  const path = (issue.path ?? []).map((part) => String(typeof part === 'object' ? part.key : part));
  return { path, message: issue.message };
}

export const pageSizeSchema = z
  .number()
  .int()
  .min(0, 'must not be negative')
  .max(MAX_PAGE_SIZE, `must be at most ${MAX_PAGE_SIZE}; page through larger lists with after`);
