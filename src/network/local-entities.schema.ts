// localEntities(networkId): what an export of a network would upload — its
// local-only entities, per type, each a connection with totalCount.
import { AdvertiserConnection, AdvertiserRef } from '../advertiser/advertiser.schema.ts';
import { CampaignConnection, CampaignRef } from '../campaign/campaign.schema.ts';
import { countRows, findPage } from '../db/hot-reads.ts';
import { listPage } from '../graphql/parent-columns.ts';
import type { Db } from '../db/index.ts';
import type { Network } from '../generated/prisma/client.ts';
import { builder } from '../graphql/builder.ts';
import { BY_ID, keysetPage } from '../graphql/connections.ts';
import { networkOf } from '../graphql/list-filters.ts';
import { PlacementConnection, PlacementRef } from '../placement/placement.schema.ts';
import { ZoneConnection, ZoneRef } from '../zone/zone.schema.ts';
import { NetworkRef } from './network.schema.ts';

/** Local-only rows of one network: never exported (no broadstreetId; placements: never synced). */
const localWhere = (network: Network) => ({ networkId: network.id, broadstreetId: null });
const localPlacementsWhere = (network: Network) => ({ networkId: network.id, syncedAt: null });

function countLocal(db: Db, network: Network) {
  return Promise.all([
    countRows(db, 'advertiser', localWhere(network)),
    countRows(db, 'zone', localWhere(network)),
    countRows(db, 'campaign', localWhere(network)),
    countRows(db, 'placement', localPlacementsWhere(network)),
  ]);
}

const LocalEntitiesSummary = builder.objectRef<Network>('LocalEntitiesSummary').implement({
  description: 'What an export of the network would upload: its local-only entities per type, oldest first, with counts.',
  fields: (t) => ({
    network: t.prismaField({
      type: NetworkRef,
      resolve: (query, network, _args, ctx) => ctx.services.db.network.findUniqueOrThrow({ ...query, where: { id: network.id } }),
    }),
    total: t.int({
      description: 'Local-only entities of every type together.',
      resolve: async (network, _args, ctx) => (await countLocal(ctx.services.db, network)).reduce((sum, n) => sum + n, 0),
    }),
    advertisers: t.prismaConnection(
      {
        type: AdvertiserRef,
        cursor: 'id',
        resolve: (query, network, _args, ctx) =>
          findPage(ctx.services.db, 'advertiser', { ...keysetPage(query, localWhere(network)), orderBy: BY_ID }),
        totalCount: (network, _args, ctx) => countRows(ctx.services.db, 'advertiser', localWhere(network)),
      },
      AdvertiserConnection,
    ),
    zones: t.prismaConnection(
      {
        type: ZoneRef,
        cursor: 'id',
        resolve: (query, network, _args, ctx) =>
          findPage(ctx.services.db, 'zone', { ...keysetPage(query, localWhere(network)), orderBy: BY_ID }),
        totalCount: (network, _args, ctx) => countRows(ctx.services.db, 'zone', localWhere(network)),
      },
      ZoneConnection,
    ),
    campaigns: t.prismaConnection(
      {
        type: CampaignRef,
        cursor: 'id',
        resolve: (query, network, _args, ctx, info) =>
          listPage(ctx, info, 'campaign', { ...keysetPage(query, localWhere(network)), orderBy: BY_ID }),
        totalCount: (network, _args, ctx) => countRows(ctx.services.db, 'campaign', localWhere(network)),
      },
      CampaignConnection,
    ),
    placements: t.prismaConnection(
      {
        type: PlacementRef,
        cursor: 'id',
        resolve: (query, network, _args, ctx, info) =>
          listPage(ctx, info, 'placement', { ...keysetPage(query, localPlacementsWhere(network)), orderBy: BY_ID }),
        totalCount: (network, _args, ctx) => countRows(ctx.services.db, 'placement', localPlacementsWhere(network)),
      },
      PlacementConnection,
    ),
  }),
});

builder.queryField('localEntities', (t) =>
  t.field({
    type: LocalEntitiesSummary,
    description: 'What an export of the network would upload, per type, with counts.',
    args: { networkId: t.arg.int({ required: true, description: 'Broadstreet network id.' }) },
    resolve: (_root, { networkId }, ctx) => networkOf(ctx, networkId),
  }),
);
