// orderBy on entity lists, with keyset cursors that carry their ordering.
//
// Without orderBy a list is in creation order (the local id) and its cursors
// are plugin-prisma's id cursors, as before. With orderBy the rows are ordered
// by the field and then by id (ties are broken by id, so the order is total
// and stable), and each cursor holds the ordering, the row's value of the
// field and its id: the next page is "after (value, id)" in that order, which
// needs no row to still exist and neither repeats nor skips a row when rows
// are inserted between pages. A cursor of one ordering used with another (or
// with none) is refused with BAD_USER_INPUT.
//
// plugin-prisma formats every edge's cursor from the row's id; the lists that
// take orderBy are marked (ORDERED_LIST) and wrapped once the schema is built
// (withOrderedCursors) so that their edges and pageInfo carry these cursors.
import { encodeBase64, encodeCursorChunk } from '@pothos/core';
import { defaultFieldResolver, type GraphQLFieldResolver, type GraphQLSchema, isObjectType } from 'graphql';
import { ValidationError } from '../domain/errors.ts';
import { builder } from './builder.ts';

export const ORDER_FIELDS = ['NAME', 'CREATED_AT', 'UPDATED_AT'] as const;
export type OrderField = (typeof ORDER_FIELDS)[number];
export type OrderDirection = 'ASC' | 'DESC';

export interface ListOrder {
  field: OrderField;
  direction: OrderDirection;
}

const COLUMN: Record<OrderField, 'name' | 'createdAt' | 'updatedAt'> = { NAME: 'name', CREATED_AT: 'createdAt', UPDATED_AT: 'updatedAt' };

export const OrderDirectionEnum = builder.enumType('OrderDirection', { values: ['ASC', 'DESC'] as const });
const EntityOrderFieldEnum = builder.enumType('EntityOrderField', {
  description: 'What an entity list is ordered by; ties are broken by creation order (the local id).',
  values: ORDER_FIELDS,
});
const UnnamedOrderFieldEnum = builder.enumType('UnnamedEntityOrderField', {
  description: 'What a list of entities without a name (placements) is ordered by; ties are broken by creation order.',
  values: ['CREATED_AT', 'UPDATED_AT'] as const,
});

const EntityOrderInput = builder.inputType('EntityOrder', {
  fields: (t) => ({
    field: t.field({ type: EntityOrderFieldEnum, required: true }),
    direction: t.field({ type: OrderDirectionEnum, required: true, defaultValue: 'ASC' }),
  }),
});
const UnnamedEntityOrderInput = builder.inputType('UnnamedEntityOrder', {
  fields: (t) => ({
    field: t.field({ type: UnnamedOrderFieldEnum, required: true }),
    direction: t.field({ type: OrderDirectionEnum, required: true, defaultValue: 'ASC' }),
  }),
});

const ORDER_DESCRIPTION = 'Without it: oldest first (creation order). Cursors hold the ordering: page on with the same orderBy.';

/** orderBy for lists of named entities; spread into a list field's args. */
export const orderArgs = builder.args((t) => ({ orderBy: t.field({ type: EntityOrderInput, description: ORDER_DESCRIPTION }) }));
/** orderBy for placements (no name). */
export const unnamedOrderArgs = builder.args((t) => ({
  orderBy: t.field({ type: UnnamedEntityOrderInput, description: ORDER_DESCRIPTION }),
}));

/** Field extension marking a list whose edges get ordering cursors (see withOrderedCursors). */
export const ORDERED_LIST = { orderedList: true } as const;

interface PageQuery {
  cursor?: { id?: unknown };
  skip?: number;
  take?: number;
}

type Bound = 'gt' | 'lt';

const orderKey = (order: ListOrder) => `${order.field}:${order.direction}`;
const notACursor = () => ValidationError.of([{ path: ['after'], message: 'is not a cursor of this list' }]);

/**
 * Turns plugin-prisma's page query (Prisma's `cursor` + `skip: 1`) into a
 * keyset page in the given order (creation order without one), with its orderBy.
 */
type SortOrder = 'asc' | 'desc';
/** Typed for Prisma as an id order: the other columns are of the same model. */
type OrderBy = { id: SortOrder }[];

export function orderedPage<Q extends PageQuery, W extends object>(
  query: Q,
  where: W,
  order: ListOrder | null | undefined,
): Omit<Q, 'cursor' | 'skip'> & { where: W; orderBy: OrderBy } {
  const { cursor, skip: _skip, ...rest } = query;
  const backwards = (rest.take ?? 0) < 0;
  if (!order) {
    const page = { ...rest, where, orderBy: [{ id: 'asc' as SortOrder }] };
    if (!cursor) return page;
    if (typeof cursor.id !== 'number') throw notACursor();
    return { ...page, where: { AND: [where, { id: backwards ? { lt: cursor.id } : { gt: cursor.id } }] } as unknown as W };
  }
  const column = COLUMN[order.field];
  const dir: SortOrder = order.direction === 'ASC' ? 'asc' : 'desc';
  const orderBy = [{ [column]: dir }, { id: dir }] as unknown as OrderBy;
  if (!cursor) return { ...rest, where, orderBy };
  const after = parseOrderCursor(cursor.id, order);
  // Forward in ASC (or backward in DESC) means greater; the id breaks ties the same way.
  const op: Bound = (order.direction === 'ASC') !== backwards ? 'gt' : 'lt';
  const value = order.field === 'NAME' ? after.value : new Date(after.value as string);
  const bound = { OR: [{ [column]: { [op]: value } }, { [column]: value, id: { [op]: after.id } }] };
  return { ...rest, where: { AND: [where, bound] } as unknown as W, orderBy };
}

/** The cursor of a row in an ordering. */
export function orderCursor(order: ListOrder, row: Record<string, unknown>): string {
  const raw = row[COLUMN[order.field]];
  const value = raw instanceof Date ? raw.toISOString() : raw;
  return encodeBase64(`GPC:${encodeCursorChunk(JSON.stringify([orderKey(order), value ?? null, row.id]))}`);
}

function parseOrderCursor(payload: unknown, order: ListOrder): { value: unknown; id: number } {
  if (typeof payload !== 'string') {
    throw ValidationError.of([
      { path: ['after'], message: `is a cursor of this list in creation order, not ordered by ${orderKey(order)}` },
    ]);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload);
  } catch {
    throw notACursor();
  }
  if (!Array.isArray(parsed) || parsed.length !== 3 || typeof parsed[2] !== 'number') throw notACursor();
  const [key, value, id] = parsed as [unknown, unknown, number];
  if (key !== orderKey(order)) {
    throw ValidationError.of([
      { path: ['after'], message: `is a cursor of this list ordered by ${String(key)}, not by ${orderKey(order)}; start again without it` },
    ]);
  }
  const valid = order.field === 'NAME' ? typeof value === 'string' : typeof value === 'string' && !Number.isNaN(Date.parse(value));
  if (!valid) throw notACursor();
  return { value, id };
}

interface ConnectionResult {
  edges: ({ cursor: string; node: Record<string, unknown> } | null)[];
  pageInfo: { startCursor: string | null; endCursor: string | null };
}

/** Gives the edges (and pageInfo) of every ORDERED_LIST field called with orderBy their ordering cursors. */
export function withOrderedCursors(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      if (!field.extensions?.orderedList) continue;
      const resolve: GraphQLFieldResolver<unknown, unknown> = field.resolve ?? defaultFieldResolver;
      field.resolve = async (parent, args, context, info) => {
        const result = (await resolve(parent, args, context, info)) as ConnectionResult | null;
        const order = (args as { orderBy?: ListOrder | null }).orderBy;
        if (!result || !order) return result;
        for (const edge of result.edges) if (edge) edge.cursor = orderCursor(order, edge.node);
        result.pageInfo.startCursor = result.edges[0]?.cursor ?? null;
        result.pageInfo.endCursor = result.edges.at(-1)?.cursor ?? null;
        return result;
      };
    }
  }
  return schema;
}
