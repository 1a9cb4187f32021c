import { countRows, findPage } from '../db/hot-reads.ts';
import { lookupByRef } from '../domain/refs.ts';
import { builder } from '../graphql/builder.ts';
import { entityConnection } from '../graphql/connections.ts';
import type { Context } from '../graphql/context.ts';
import {
  type NetworkListFilters,
  networkListWhere,
  searchArgs,
  syncErrorArgs,
  syncFilterArgs,
  wherePerArgs,
} from '../graphql/list-filters.ts';
import { ORDERED_LIST, orderArgs, orderedPage } from '../graphql/order.ts';

import { EntityRefInput } from '../graphql/entity-ref.ts';
import { SyncedEntity } from '../graphql/synced-entity.ts';
import { NODE_ID } from '../graphql/global-id.ts';

export const ZoneRef = builder.prismaNode('Zone', {
  id: NODE_ID,
  // node(id:) and nodes(ids:) answer null for an id that names no row, rather than failing.
  nullable: true,
  interfaces: [SyncedEntity],
  description: 'A zone (an ad slot on a site): created locally or imported from Broadstreet.',
  fields: (t) => ({
    name: t.exposeString('name'),
    alias: t.exposeString('alias', { nullable: true }),
    selfServe: t.exposeBoolean('selfServe'),
    network: t.relation('network'),
    removedAt: t.expose('removedAt', {
      type: 'DateTime',
      nullable: true,
      description: 'Set when an import no longer found it in Broadstreet.',
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

export const ZoneConnection = entityConnection(ZoneRef, 'ZoneConnection');

const listWhere = wherePerArgs((args: NetworkListFilters, ctx: Context) => networkListWhere(args, ctx, 'zone'));

builder.queryFields((t) => ({
  zones: t.prismaConnection(
    {
      type: ZoneRef,
      cursor: 'id',
      description: 'The zones of a network, oldest first.',
      args: {
        networkId: t.arg.int({ required: true, description: 'Broadstreet network id.' }),
        ...syncFilterArgs,
        ...searchArgs,
        ...syncErrorArgs,
        ...orderArgs,
      },
      extensions: ORDERED_LIST,
      resolve: async (query, _root, args, ctx) =>
        findPage(ctx.services.db, 'zone', orderedPage(query, await listWhere(args, ctx), args.orderBy)),
      totalCount: async (_connection, args, ctx) => countRows(ctx.services.db, 'zone', await listWhere(args, ctx)),
    },
    ZoneConnection,
  ),
  zone: t.prismaField({
    type: ZoneRef,
    nullable: true,
    description: 'One zone, by either of its ids; null when there is none.',
    args: { ref: t.arg({ type: EntityRefInput, required: true }) },
    resolve: async (query, _root, { ref }, ctx) => {
      const row = await lookupByRef(ctx.services.db, 'zone', ref, { path: ['ref'] });
      return row && ctx.services.db.zone.findUnique({ ...query, where: { id: row.id } });
    },
  }),
}));
