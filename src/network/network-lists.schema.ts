// Network.advertisers, zones, campaigns, advertisements and placements: a
// network's entities as connections, with orderBy (keyset cursors that carry
// their ordering) and hasSyncErrors, like the top-level lists.
import { AdvertisementConnection, AdvertisementRef } from '../advertisement/advertisement.schema.ts';
import { AdvertiserConnection, AdvertiserRef } from '../advertiser/advertiser.schema.ts';
import { CampaignConnection, CampaignRef } from '../campaign/campaign.schema.ts';
import { countRows, findPage } from '../db/hot-reads.ts';
import { listPage } from '../graphql/parent-columns.ts';
import type { Db } from '../db/index.ts';
import type { Network } from '../generated/prisma/client.ts';
import { builder } from '../graphql/builder.ts';
import { deletingWhere, INCLUDE_DELETING, syncErrorArgs, syncErrorsWhere } from '../graphql/list-filters.ts';
import { type ListOrder, ORDERED_LIST, orderArgs, orderedPage, unnamedOrderArgs } from '../graphql/order.ts';
import { PlacementConnection, PlacementRef } from '../placement/placement.schema.ts';
import { ZoneConnection, ZoneRef } from '../zone/zone.schema.ts';

type Model = 'advertiser' | 'zone' | 'campaign' | 'advertisement' | 'placement';

interface Args {
  orderBy?: ListOrder | null;
  hasSyncErrors?: boolean | null;
  includeDeleting?: boolean | null;
}

/** The where-clause of one network's list, computed once per args object (page and totalCount share it). */
const computed = new WeakMap<object, Promise<object>>();
function whereOf(db: Db, model: Model, network: Network, args: Args): Promise<object> {
  let where = computed.get(args);
  if (!where) {
    // Advertisements are import-only: they are never deleted here.
    const deleting = model === 'advertisement' ? {} : deletingWhere(args.includeDeleting ?? false);
    where = syncErrorsWhere(db, model, network.id, args.hasSyncErrors).then((errors) => ({
      networkId: network.id,
      ...deleting,
      ...errors,
    }));
    computed.set(args, where);
  }
  return where;
}

function networkList(model: Model, description: string) {
  return {
    cursor: 'id' as const,
    description: `${description} Without orderBy, oldest first.`,
    extensions: ORDERED_LIST,
    totalCount: async (network: Network, args: Args, ctx: { services: { db: Db } }) =>
      countRows(ctx.services.db, model, await whereOf(ctx.services.db, model, network, args)),
  };
}

builder.prismaObjectFields('Network', (t) => ({
  advertisers: t.prismaConnection(
    {
      type: AdvertiserRef,
      ...networkList('advertiser', 'Its advertisers (without those deleted here, unless includeDeleting).'),
      args: { ...orderArgs, ...syncErrorArgs, includeDeleting: t.arg.boolean({ defaultValue: false, description: INCLUDE_DELETING }) },
      resolve: async (query, network, args, ctx) =>
        findPage(
          ctx.services.db,
          'advertiser',
          orderedPage(query, await whereOf(ctx.services.db, 'advertiser', network, args), args.orderBy),
        ),
    },
    AdvertiserConnection,
  ),
  zones: t.prismaConnection(
    {
      type: ZoneRef,
      ...networkList('zone', 'Its zones (without those deleted here, unless includeDeleting).'),
      args: { ...orderArgs, ...syncErrorArgs, includeDeleting: t.arg.boolean({ defaultValue: false, description: INCLUDE_DELETING }) },
      resolve: async (query, network, args, ctx) =>
        findPage(ctx.services.db, 'zone', orderedPage(query, await whereOf(ctx.services.db, 'zone', network, args), args.orderBy)),
    },
    ZoneConnection,
  ),
  campaigns: t.prismaConnection(
    {
      type: CampaignRef,
      ...networkList('campaign', 'Its campaigns (without those deleted here, unless includeDeleting).'),
      args: { ...orderArgs, ...syncErrorArgs, includeDeleting: t.arg.boolean({ defaultValue: false, description: INCLUDE_DELETING }) },
      resolve: async (query, network, args, ctx, info) =>
        listPage(ctx, info, 'campaign', orderedPage(query, await whereOf(ctx.services.db, 'campaign', network, args), args.orderBy)),
    },
    CampaignConnection,
  ),
  advertisements: t.prismaConnection(
    {
      type: AdvertisementRef,
      ...networkList('advertisement', 'Its advertisements.'),
      args: { ...orderArgs, ...syncErrorArgs },
      resolve: async (query, network, args, ctx, info) =>
        listPage(
          ctx,
          info,
          'advertisement',
          orderedPage(query, await whereOf(ctx.services.db, 'advertisement', network, args), args.orderBy),
        ),
    },
    AdvertisementConnection,
  ),
  placements: t.prismaConnection(
    {
      type: PlacementRef,
      ...networkList('placement', 'Its placements (without those deleted here, unless includeDeleting).'),
      args: {
        ...unnamedOrderArgs,
        ...syncErrorArgs,
        includeDeleting: t.arg.boolean({ defaultValue: false, description: INCLUDE_DELETING }),
      },
      resolve: async (query, network, args, ctx, info) =>
        listPage(ctx, info, 'placement', orderedPage(query, await whereOf(ctx.services.db, 'placement', network, args), args.orderBy)),
    },
    PlacementConnection,
  ),
}));
