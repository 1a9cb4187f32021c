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
import { adminSchema, type AdvertiserAdmin } from './advertiser.rules.ts';
import { NODE_ID } from '../graphql/global-id.ts';

const AdvertiserAdminRef = builder.objectRef<AdvertiserAdmin>('AdvertiserAdmin').implement({
  description: 'A person who manages the advertiser in Broadstreet.',
  fields: (t) => ({ name: t.exposeString('name'), email: t.exposeString('email') }),
});

export const AdvertiserRef = builder.prismaNode('Advertiser', {
  id: NODE_ID,
  // node(id:) and nodes(ids:) answer null for an id that names no row, rather than failing.
  nullable: true,
  interfaces: [SyncedEntity],
  description: 'An advertiser: created locally or imported from Broadstreet.',
  fields: (t) => ({
    name: t.exposeString('name'),
    webHomeUrl: t.exposeString('webHomeUrl', { nullable: true }),
    notes: t.exposeString('notes', { nullable: true }),
    logoUrl: t.exposeString('logoUrl', { nullable: true }),
    admins: t.field({ type: [AdvertiserAdminRef], resolve: (row) => storedAdmins(row.admins) }),
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

/** Imported admins are whatever Broadstreet sent: show the well-formed ones. */
function storedAdmins(admins: unknown): AdvertiserAdmin[] {
  return Array.isArray(admins) ? admins.filter((a) => adminSchema.safeParse(a).success) : [];
}

export const AdvertiserConnection = entityConnection(AdvertiserRef, 'AdvertiserConnection');

const listWhere = wherePerArgs((args: NetworkListFilters, ctx: Context) => networkListWhere(args, ctx, 'advertiser'));

builder.queryFields((t) => ({
  advertisers: t.prismaConnection(
    {
      type: AdvertiserRef,
      cursor: 'id',
      description: 'The advertisers of a network, oldest first.',
      args: {
        networkId: t.arg.int({ required: true, description: 'Broadstreet network id.' }),
        ...syncFilterArgs,
        ...searchArgs,
        ...syncErrorArgs,
        ...orderArgs,
      },
      extensions: ORDERED_LIST,
      resolve: async (query, _root, args, ctx) =>
        findPage(ctx.services.db, 'advertiser', orderedPage(query, await listWhere(args, ctx), args.orderBy)),
      totalCount: async (_connection, args, ctx) => countRows(ctx.services.db, 'advertiser', await listWhere(args, ctx)),
    },
    AdvertiserConnection,
  ),
  advertiser: t.prismaField({
    type: AdvertiserRef,
    nullable: true,
    description: 'One advertiser, by either of its ids; null when there is none.',
    args: { ref: t.arg({ type: EntityRefInput, required: true }) },
    resolve: async (query, _root, { ref }, ctx) => {
      const row = await lookupByRef(ctx.services.db, 'advertiser', ref, { path: ['ref'] });
      return row && ctx.services.db.advertiser.findUnique({ ...query, where: { id: row.id } });
    },
  }),
}));
