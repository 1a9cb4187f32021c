// Expected failures are data: each is a GraphQL type implementing Error and
// a member of the result union of the mutations that can raise it.
import { ConflictError, DependencyError, NotFoundError, ReadOnlyError, ValidationError, type FieldProblem } from '../domain/errors.ts';
import { ENTITY_TYPES, type EntityType } from '../domain/enums.ts';
import { builder } from './builder.ts';
import { EntityTypeEnum } from './enums.ts';

export { ConflictError, DependencyError, ExpectedError, NotFoundError, ReadOnlyError, ValidationError } from '../domain/errors.ts';
export type { FieldProblem } from '../domain/errors.ts';

export const ErrorInterface = builder.interfaceRef<Error>('Error').implement({
  description: 'Every expected failure implements Error.',
  // Each error class is named as its GraphQL type (where an Error is not a union member, e.g. RefusedItem.error).
  resolveType: (error) => error.name,
  fields: (t) => ({ message: t.exposeString('message') }),
});

const FieldError = builder.objectRef<FieldProblem>('FieldError').implement({
  description: 'One input field that was refused, and why.',
  fields: (t) => ({
    path: t.exposeStringList('path', { description: 'The path to the field within the input, e.g. ["input", "name"].' }),
    message: t.exposeString('message'),
  }),
});

builder.objectType(ValidationError, {
  name: 'ValidationError',
  interfaces: [ErrorInterface],
  fields: (t) => ({ fieldErrors: t.field({ type: [FieldError], resolve: (e) => e.fieldErrors }) }),
});

/** An error's entity type as the EntityType enum; null when it names something else (a sync run). */
const entityTypeOf = (value: string | undefined): EntityType | null =>
  (ENTITY_TYPES as readonly string[]).includes(value ?? '') ? (value as EntityType) : null;

builder.objectType(NotFoundError, {
  name: 'NotFoundError',
  interfaces: [ErrorInterface],
  fields: (t) => ({ entityType: t.field({ type: EntityTypeEnum, nullable: true, resolve: (e) => entityTypeOf(e.entityType) }) }),
});

builder.objectType(ConflictError, { name: 'ConflictError', interfaces: [ErrorInterface], fields: () => ({}) });
builder.objectType(DependencyError, { name: 'DependencyError', interfaces: [ErrorInterface], fields: () => ({}) });

builder.objectType(ReadOnlyError, {
  name: 'ReadOnlyError',
  description: 'The entity exists in Broadstreet: it is read-only here (change it in Broadstreet, then import).',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    // Nullable like NotFoundError.entityType, so that both can be selected side by side.
    entityType: t.field({ type: EntityTypeEnum, nullable: true, resolve: (e) => entityTypeOf(e.entityType) }),
    mongoId: t.exposeString('mongoId'),
  }),
});
