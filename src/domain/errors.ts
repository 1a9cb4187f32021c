// Expected failures: thrown by services and rules, returned to clients as
// members of a mutation's result union (src/graphql/errors.ts). They extend
// GraphQLError so that, thrown from a field without a result union (a query),
// they still reach the client with their message instead of being masked.
import { GraphQLError, type GraphQLErrorExtensions } from 'graphql';

/** A failure the client caused and can act on; never masked. */
export class ExpectedError extends GraphQLError {
  constructor(message: string, extensions: GraphQLErrorExtensions = { code: 'BAD_USER_INPUT' }) {
    super(message, { extensions });
  }
}

export class NotFoundError extends ExpectedError {
  override name = 'NotFoundError';
  constructor(
    message: string,
    readonly entityType?: string,
  ) {
    super(message, { code: 'NOT_FOUND' });
  }
}

export class ConflictError extends ExpectedError {
  override name = 'ConflictError';
}

export class DependencyError extends ExpectedError {
  override name = 'DependencyError';
}

export interface FieldProblem {
  path: string[];
  message: string;
}

export class ValidationError extends ExpectedError {
  override name = 'ValidationError';
  constructor(
    message: string,
    readonly fieldErrors: FieldProblem[] = [],
  ) {
    super(message, { code: 'BAD_USER_INPUT', fieldErrors });
  }

  /** One error for a list of field problems; its message names each of them. */
  static of(problems: FieldProblem[]): ValidationError {
    const detail = problems.map((p) => `${p.path.join('.')}: ${p.message}`).join('; ');
    return new ValidationError(`Invalid input: ${detail}`, problems);
  }
}

/** A write refused because the entity is synced with Broadstreet: it is changed there, then imported. */
export class ReadOnlyError extends ExpectedError {
  override name = 'ReadOnlyError';
  constructor(
    message: string,
    readonly entityType: string,
    readonly mongoId: string,
  ) {
    super(message, { code: 'READ_ONLY' });
  }
}

/** One item of a batch that was refused, and why. */
export interface RefusedItem {
  /** Its position in the input list. */
  index: number;
  broadstreetId: number | null;
  mongoId: string | null;
  error: ExpectedError;
}

/** A batch written all or none, refused because of these items: nothing was written. */
export class BatchRefusedError extends ExpectedError {
  override name = 'BatchRefusedError';
  constructor(
    message: string,
    readonly refused: RefusedItem[],
  ) {
    super(message, { code: 'BAD_USER_INPUT' });
  }
}
