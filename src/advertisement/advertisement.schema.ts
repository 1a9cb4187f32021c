// Advertisements are import-only: read here, never written.
import { countRows } from '../db/hot-reads.ts';
import { listPage } from '../graphql/parent-columns.ts';
import { findByRef, lookupByRef } from '../domain/refs.ts';
import { builder } from '../graphql/builder.ts';
import { BY_ID, entityConnection } from '../graphql/connections.ts';
import { networkListWhere, searchArgs, syncErrorArgs, wherePerArgs } from '../graphql/list-filters.ts';
import { ORDERED_LIST, orderArgs, orderedPage } from '../graphql/order.ts';

import type { Context } from '../graphql/context.ts';
import { EntityRefInput } from '../graphql/entity-ref.ts';
import { SyncedEntity } from '../graphql/synced-entity.ts';
import type { EntityRef } from '../domain/refs.ts';
import { NODE_ID } from '../graphql/global-id.ts';

export const AdvertisementRef = builder.prismaNode('Advertisement', {
  id: NODE_ID,
  // node(id:) and nodes(ids:) answer null for an id that names no row, rather than failing.
  nullable: true,
  interfaces: [SyncedEntity],
  description: 'An advertisement (creative): imported from Broadstreet, never created locally.',
  fields: (t) => ({
    name: t.exposeString('name'),
    type: t.exposeString('type', { nullable: true, description: 'Broadstreet type, e.g. StaticAdvertisement or HtmlAdvertisement.' }),
    previewUrl: t.exposeString('previewUrl', { nullable: true }),
    activeUrl: t.exposeString('activeUrl', { nullable: true }),
    advertiser: t.relation('advertiser'),
    network: t.relation('network'),
    remoteUpdatedAt: t.expose('remoteUpdatedAt', { type: 'DateTime', nullable: true, description: 'When Broadstreet last changed it.' }),
    removedAt: t.expose('removedAt', {
      type: 'DateTime',
      nullable: true,
      description: 'Set when an import no longer found it in Broadstreet.',
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

export const AdvertisementConnection = entityConnection(AdvertisementRef, 'AdvertisementConnection');

interface AdvertisementFilters {
  networkId: number;
  advertiser?: EntityRef | null;
  includeRemoved?: boolean | null;
  search?: string | null;
  hasSyncErrors?: boolean | null;
}

const advertisementWhere = wherePerArgs(async (args: AdvertisementFilters, ctx: Context) => {
  const where = await networkListWhere(args, ctx, 'advertisement');
  if (!args.advertiser) return where;
  const advertiser = await findByRef(ctx.services.db, 'advertiser', args.advertiser, { networkId: where.networkId, path: ['advertiser'] });
  return { ...where, advertiserId: advertiser.id };
});

builder.queryFields((t) => ({
  advertisements: t.prismaConnection(
    {
      type: AdvertisementRef,
      cursor: 'id',
      description: 'The advertisements of a network, oldest first; optionally of one advertiser.',
      args: {
        networkId: t.arg.int({ required: true, description: 'Broadstreet network id.' }),
        advertiser: t.arg({ type: EntityRefInput }),
        includeRemoved: t.arg.boolean({
          defaultValue: true,
          description: 'Whether to list advertisements an import found gone from Broadstreet.',
        }),
        ...searchArgs,
        ...syncErrorArgs,
        ...orderArgs,
      },
      extensions: ORDERED_LIST,
      resolve: async (query, _root, args, ctx, info) =>
        listPage(ctx, info, 'advertisement', orderedPage(query, await advertisementWhere(args, ctx), args.orderBy)),
      totalCount: async (_connection, args, ctx) => countRows(ctx.services.db, 'advertisement', await advertisementWhere(args, ctx)),
    },
    AdvertisementConnection,
  ),
  advertisement: t.prismaField({
    type: AdvertisementRef,
    nullable: true,
    description: 'One advertisement, by either of its ids; null when there is none.',
    args: { ref: t.arg({ type: EntityRefInput, required: true }) },
    resolve: async (query, _root, { ref }, ctx) => {
      const row = await lookupByRef(ctx.services.db, 'advertisement', ref, { path: ['ref'] });
      return row && ctx.services.db.advertisement.findUnique({ ...query, where: { id: row.id } });
    },
  }),
}));

builder.prismaObjectField('Advertiser', 'advertisements', (t) =>
  t.relatedConnection(
    'advertisements',
    { cursor: 'id', totalCount: true, query: { orderBy: BY_ID }, description: 'Its advertisements, oldest first.' },
    AdvertisementConnection,
  ),
);
