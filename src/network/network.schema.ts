import { lookupByRef } from '../domain/refs.ts';
import { builder } from '../graphql/builder.ts';
import { EntityRefInput } from '../graphql/entity-ref.ts';
import { SyncedEntity } from '../graphql/synced-entity.ts';
import { entityConnection } from '../graphql/connections.ts';
import type { Context } from '../graphql/context.ts';
import { syncErrorArgs, syncErrorsWhere, wherePerArgs } from '../graphql/list-filters.ts';
import { ORDERED_LIST, orderArgs, orderedPage } from '../graphql/order.ts';
import { NODE_ID } from '../graphql/global-id.ts';

export const NetworkRef = builder.prismaNode('Network', {
  id: NODE_ID,
  // node(id:) and nodes(ids:) answer null for an id that names no row, rather than failing.
  nullable: true,
  interfaces: [SyncedEntity],
  description: 'A Broadstreet network: imported, never created locally.',
  fields: (t) => ({
    name: t.exposeString('name'),
    groupId: t.exposeInt('groupId', { nullable: true }),
    webHomeUrl: t.exposeString('webHomeUrl', { nullable: true }),
    logoUrl: t.exposeString('logoUrl', { nullable: true }),
    valetActive: t.exposeBoolean('valetActive', { nullable: true }),
    path: t.exposeString('path', { nullable: true }),
    broadstreetBaseUrl: t.exposeString('broadstreetBaseUrl', {
      nullable: true,
      description:
        'The Broadstreet API its rows came from; a run against another one is refused (see relinkNetwork). Null until its next run.',
    }),
    removedAt: t.expose('removedAt', {
      type: 'DateTime',
      nullable: true,
      description: 'Set when an import no longer found it in Broadstreet.',
    }),
  }),
});

export const NetworkConnection = entityConnection(NetworkRef, 'NetworkConnection');

const networksWhere = wherePerArgs((args: { hasSyncErrors?: boolean | null }, ctx: Context) =>
  syncErrorsWhere(ctx.services.db, 'network', null, args.hasSyncErrors),
);

builder.queryFields((t) => ({
  networks: t.prismaField({
    type: [NetworkRef],
    description: 'Every network imported from Broadstreet, by name.',
    deprecationReason: 'Use networksConnection: a connection with totalCount, orderBy and hasSyncErrors. Removed in the next release.',
    resolve: (query, _root, _args, ctx) => ctx.services.db.network.findMany({ ...query, orderBy: [{ name: 'asc' }, { id: 'asc' }] }),
  }),
  networksConnection: t.prismaConnection(
    {
      type: NetworkRef,
      cursor: 'id',
      description: 'Every network imported from Broadstreet; without orderBy, oldest first.',
      args: { ...orderArgs, ...syncErrorArgs },
      extensions: ORDERED_LIST,
      resolve: async (query, _root, args, ctx) =>
        ctx.services.db.network.findMany(orderedPage(query, await networksWhere(args, ctx), args.orderBy)),
      totalCount: async (_connection, args, ctx) => ctx.services.db.network.count({ where: await networksWhere(args, ctx) }),
    },
    NetworkConnection,
  ),
  network: t.prismaField({
    type: NetworkRef,
    nullable: true,
    description: 'One network, by either of its ids; null when there is none.',
    args: { ref: t.arg({ type: EntityRefInput, required: true }) },
    resolve: async (query, _root, { ref }, ctx) => {
      const row = await lookupByRef(ctx.services.db, 'network', ref, { path: ['ref'] });
      return row && ctx.services.db.network.findUnique({ ...query, where: { id: row.id } });
    },
  }),
}));
