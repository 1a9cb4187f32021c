// What every entity list shares: a named connection type with totalCount,
// a stable order, and keyset pages.
import type { ObjectRef } from '@pothos/core';
import { ValidationError } from '../domain/errors.ts';
import { builder } from './builder.ts';

type BuilderTypes = typeof builder.$inferSchemaTypes;
type TotalCount = number | (() => number | Promise<number>);

/** A shared `XConnection` type whose totalCount counts every row the filters match. */
export function entityConnection<T extends object>(type: ObjectRef<BuilderTypes, T>, name: string) {
  return builder.connectionObject({
    type,
    name,
    fields: (t) => ({
      totalCount: t.int({
        description: 'How many rows match the filters, across all pages.',
        resolve: (connection) => {
          const { totalCount } = connection as { totalCount?: TotalCount };
          if (totalCount === undefined) throw new Error(`${name} was resolved without a totalCount`);
          return typeof totalCount === 'function' ? totalCount() : totalCount;
        },
      }),
    }),
  });
}

/** Entity lists are ordered by creation (the local id): stable, and new rows only ever append. */
export const BY_ID = { id: 'asc' } as const;

interface PageQuery {
  cursor?: { id?: unknown };
  skip?: number;
  take?: number;
}

/**
 * Turns plugin-prisma's page query (Prisma's `cursor` + `skip: 1`) into
 * keyset pagination on the id: `id > cursor` (or `<` going backwards). Prisma's
 * cursor needs the cursor's row to exist, so a page after a deleted row would
 * silently come back empty; a keyset condition does not care.
 */
export function keysetPage<Q extends PageQuery, W extends object>(query: Q, where: W): Omit<Q, 'cursor' | 'skip'> & { where: W } {
  const { cursor, skip: _skip, ...rest } = query;
  if (!cursor) return { ...rest, where };
  if (typeof cursor.id !== 'number') throw ValidationError.of([{ path: ['after'], message: 'is not a cursor of this list' }]);
  const bound = (rest.take ?? 0) < 0 ? { lt: cursor.id } : { gt: cursor.id };
  // Typed as W: an AND of W and an id bound is a where-clause of the same model.
  return { ...rest, where: { AND: [where, { id: bound }] } as unknown as W };
}
