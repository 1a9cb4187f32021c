import { countRows } from '../db/hot-reads.ts';
import { listPage } from '../graphql/parent-columns.ts';
import type { SyncState } from '../domain/enums.ts';
import { findByRef, type EntityRef } from '../domain/refs.ts';
import { mongoIdSchema } from '../domain/rules.ts';
import { builder } from '../graphql/builder.ts';
import { BY_ID, entityConnection } from '../graphql/connections.ts';
import {
  deletingWhere,
  networkOf,
  placementSyncStateWhere,
  removedWhere,
  syncErrorArgs,
  syncErrorsWhere,
  syncFilterArgs,
  wherePerArgs,
  INCLUDE_DELETING,
} from '../graphql/list-filters.ts';
import { ORDERED_LIST, orderedPage, unnamedOrderArgs } from '../graphql/order.ts';
import type { Context } from '../graphql/context.ts';
import { EntityRefInput } from '../graphql/entity-ref.ts';
import { SyncedEntity } from '../graphql/synced-entity.ts';
import { NODE_ID } from '../graphql/global-id.ts';

export const PlacementRef = builder.prismaNode('Placement', {
  id: NODE_ID,
  // node(id:) and nodes(ids:) answer null for an id that names no row, rather than failing.
  nullable: true,
  interfaces: [SyncedEntity],
  description:
    'An advertisement placed in a zone by a campaign. Broadstreet gives placements no id: the triple ' +
    '(campaign, advertisement, zone) is unique, and broadstreetId is always null.',
  fields: (t) => ({
    campaign: t.relation('campaign'),
    advertisement: t.relation('advertisement'),
    zone: t.relation('zone'),
    network: t.relation('network'),
    restrictions: t.stringList({ resolve: (row) => storedRestrictions(row.restrictions) }),
    removedAt: t.expose('removedAt', {
      type: 'DateTime',
      nullable: true,
      description: 'Set when an import no longer found it in Broadstreet.',
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

function storedRestrictions(restrictions: unknown): string[] {
  return Array.isArray(restrictions) ? restrictions.filter((r): r is string => typeof r === 'string') : [];
}

export const PlacementConnection = entityConnection(PlacementRef, 'PlacementConnection');

interface PlacementFilters {
  networkId: number;
  campaign?: EntityRef | null;
  advertisement?: EntityRef | null;
  zone?: EntityRef | null;
  syncState?: SyncState | null;
  includeRemoved?: boolean | null;
  includeDeleting?: boolean | null;
  hasSyncErrors?: boolean | null;
}

const placementWhere = wherePerArgs(async (args: PlacementFilters, ctx: Context) => {
  const network = await networkOf(ctx, args.networkId);
  const scope = (field: string) => ({ networkId: network.id, path: [field] });
  const [campaign, advertisement, zone] = await Promise.all([
    args.campaign && findByRef(ctx.services.db, 'campaign', args.campaign, scope('campaign')),
    args.advertisement && findByRef(ctx.services.db, 'advertisement', args.advertisement, scope('advertisement')),
    args.zone && findByRef(ctx.services.db, 'zone', args.zone, scope('zone')),
  ]);
  return {
    networkId: network.id,
    ...(campaign ? { campaignId: campaign.id } : {}),
    ...(advertisement ? { advertisementId: advertisement.id } : {}),
    ...(zone ? { zoneId: zone.id } : {}),
    ...placementSyncStateWhere(args.syncState),
    ...removedWhere(args.includeRemoved),
    ...deletingWhere(args.includeDeleting),
    ...(await syncErrorsWhere(ctx.services.db, 'placement', network.id, args.hasSyncErrors)),
  };
});

builder.queryFields((t) => ({
  placements: t.prismaConnection(
    {
      type: PlacementRef,
      cursor: 'id',
      description: 'The placements of a network, oldest first; optionally of one campaign, advertisement and/or zone.',
      args: {
        networkId: t.arg.int({ required: true, description: 'Broadstreet network id.' }),
        campaign: t.arg({ type: EntityRefInput }),
        advertisement: t.arg({ type: EntityRefInput }),
        zone: t.arg({ type: EntityRefInput }),
        ...syncFilterArgs,
        ...syncErrorArgs,
        ...unnamedOrderArgs,
      },
      extensions: ORDERED_LIST,
      resolve: async (query, _root, args, ctx, info) =>
        listPage(ctx, info, 'placement', orderedPage(query, await placementWhere(args, ctx), args.orderBy)),
      totalCount: async (_connection, args, ctx) => countRows(ctx.services.db, 'placement', await placementWhere(args, ctx)),
    },
    PlacementConnection,
  ),
  placement: t.prismaField({
    type: PlacementRef,
    nullable: true,
    description: 'One placement, by its mongoId (placements have no Broadstreet id); null when there is none.',
    args: { mongoId: t.arg.string({ required: true, validate: mongoIdSchema }) },
    resolve: (query, _root, { mongoId }, ctx) => ctx.services.db.placement.findUnique({ ...query, where: { mongoId } }),
  }),
}));

for (const parent of ['Campaign', 'Zone', 'Advertisement'] as const) {
  builder.prismaObjectField(parent, 'placements', (t) =>
    t.relatedConnection(
      'placements',
      {
        cursor: 'id',
        totalCount: true,
        args: { includeDeleting: t.arg.boolean({ defaultValue: false, description: INCLUDE_DELETING }) },
        query: (args) => ({ where: deletingWhere(args.includeDeleting), orderBy: BY_ID }),
        description: 'Its placements, oldest first (without those deleted here, unless includeDeleting).',
      },
      PlacementConnection,
    ),
  );
}
