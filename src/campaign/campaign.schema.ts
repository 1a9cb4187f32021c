import { z } from 'zod';
import { countRows } from '../db/hot-reads.ts';
import { listPage } from '../graphql/parent-columns.ts';
import { isCalendarDate } from '../domain/dates.ts';
import { findByRef, lookupByRef, type EntityRef } from '../domain/refs.ts';
import { builder } from '../graphql/builder.ts';
import { BY_ID, entityConnection } from '../graphql/connections.ts';
import {
  networkListWhere,
  searchArgs,
  syncErrorArgs,
  syncFilterArgs,
  type NetworkListFilters,
  wherePerArgs,
  INCLUDE_DELETING,
  deletingWhere,
} from '../graphql/list-filters.ts';
import { ORDERED_LIST, orderArgs, orderedPage } from '../graphql/order.ts';

import type { Context } from '../graphql/context.ts';
import { EntityRefInput } from '../graphql/entity-ref.ts';
import { SyncedEntity } from '../graphql/synced-entity.ts';
import { DisplayTypeEnum, ImpressionMaxTypeEnum, knownOrNull, PacingTypeEnum } from './campaign.enums.ts';
import { DISPLAY_TYPES, IMPRESSION_MAX_TYPES, PACING_TYPES } from './campaign.rules.ts';
import { NODE_ID } from '../graphql/global-id.ts';

const textReason = (field: string, enumName: string) =>
  `${field} is the ${enumName} enum now; this is the text it answered before (the stored Broadstreet value, ` +
  `also one outside the enum, where ${field} is null). Removed in the next release.`;

export const CampaignRef = builder.prismaNode('Campaign', {
  id: NODE_ID,
  // node(id:) and nodes(ids:) answer null for an id that names no row, rather than failing.
  nullable: true,
  interfaces: [SyncedEntity],
  description: 'A campaign of an advertiser: created locally or imported from Broadstreet.',
  fields: (t) => ({
    name: t.exposeString('name'),
    advertiser: t.relation('advertiser'),
    network: t.relation('network'),
    startDate: t.expose('startDate', { type: 'Date', nullable: true }),
    endDate: t.expose('endDate', { type: 'Date', nullable: true }),
    weight: t.exposeFloat('weight', { nullable: true }),
    paused: t.exposeBoolean('paused', { nullable: true }),
    archived: t.exposeBoolean('archived'),
    active: t.exposeBoolean('active', { nullable: true, description: 'As Broadstreet last reported it.' }),
    displayType: t.field({
      type: DisplayTypeEnum,
      nullable: true,
      description: 'null when unset, or when Broadstreet sent a value outside the enum (displayTypeText shows it).',
      resolve: (c) => knownOrNull(DISPLAY_TYPES, c.displayType),
    }),
    pacingType: t.field({
      type: PacingTypeEnum,
      nullable: true,
      description: 'null when unset, or for a value outside the enum (pacingTypeText shows it).',
      resolve: (c) => knownOrNull(PACING_TYPES, c.pacingType),
    }),
    impressionMaxType: t.field({
      type: ImpressionMaxTypeEnum,
      nullable: true,
      description: 'null when unset, or for a value outside the enum (impressionMaxTypeText shows it).',
      resolve: (c) => knownOrNull(IMPRESSION_MAX_TYPES, c.impressionMaxType),
    }),
    displayTypeText: t.exposeString('displayType', { nullable: true, deprecationReason: textReason('displayType', 'DisplayType') }),
    pacingTypeText: t.exposeString('pacingType', { nullable: true, deprecationReason: textReason('pacingType', 'PacingType') }),
    impressionMaxTypeText: t.exposeString('impressionMaxType', {
      nullable: true,
      deprecationReason: textReason('impressionMaxType', 'ImpressionMaxType'),
    }),
    maxImpressionCount: t.exposeInt('maxImpressionCount', { nullable: true }),
    notes: t.exposeString('notes', { nullable: true }),
    path: t.exposeString('path', { nullable: true }),
    removedAt: t.expose('removedAt', {
      type: 'DateTime',
      nullable: true,
      description: 'Set when an import no longer found it in Broadstreet.',
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

export const CampaignConnection = entityConnection(CampaignRef, 'CampaignConnection');

const calendarDate = z.string().refine(isCalendarDate, 'must be a date written YYYY-MM-DD');

interface CampaignFilters extends NetworkListFilters {
  advertiser?: EntityRef | null;
  active?: boolean | null;
  paused?: boolean | null;
  startsBefore?: string | null;
  endsAfter?: string | null;
}

/** Broadstreet's active flag: false also lists campaigns it never reported on. */
const activeWhere = (value: boolean | null | undefined) =>
  value == null ? [] : [value ? { active: true } : { OR: [{ active: false }, { active: null }] }];
const pausedWhere = (value: boolean | null | undefined) => (value == null ? [] : [{ paused: value }]);

/** Dates are stored as YYYY-MM-DD text, which orders as the dates do. */
function dateWhere(args: CampaignFilters) {
  return [
    ...(args.startsBefore ? [{ startDate: { lt: args.startsBefore } }] : []),
    // A campaign without an end date runs on: it ends after any date.
    ...(args.endsAfter ? [{ OR: [{ endDate: { gt: args.endsAfter } }, { endDate: null }] }] : []),
  ];
}

const campaignWhere = wherePerArgs(async (args: CampaignFilters, ctx: Context) => {
  const where = await networkListWhere(args, ctx, 'campaign');
  const advertiser = args.advertiser
    ? await findByRef(ctx.services.db, 'advertiser', args.advertiser, { networkId: where.networkId, path: ['advertiser'] })
    : null;
  const conditions = [...activeWhere(args.active), ...pausedWhere(args.paused), ...dateWhere(args)];
  return { ...where, ...(advertiser ? { advertiserId: advertiser.id } : {}), ...(conditions.length ? { AND: conditions } : {}) };
});

builder.queryFields((t) => ({
  campaigns: t.prismaConnection(
    {
      type: CampaignRef,
      cursor: 'id',
      description: 'The campaigns of a network, oldest first; optionally of one advertiser.',
      args: {
        networkId: t.arg.int({ required: true, description: 'Broadstreet network id.' }),
        advertiser: t.arg({ type: EntityRefInput }),
        active: t.arg.boolean({ description: 'Only campaigns Broadstreet reported active (true) or not (false).' }),
        paused: t.arg.boolean({ description: 'Only paused campaigns (true), or only those not paused (false).' }),
        startsBefore: t.arg({ type: 'Date', description: 'Only campaigns whose start date is before this day.', validate: calendarDate }),
        endsAfter: t.arg({
          type: 'Date',
          description: 'Only campaigns whose end date is after this day, or that have none.',
          validate: calendarDate,
        }),
        ...syncFilterArgs,
        ...searchArgs,
        ...syncErrorArgs,
        ...orderArgs,
      },
      extensions: ORDERED_LIST,
      resolve: async (query, _root, args, ctx, info) =>
        listPage(ctx, info, 'campaign', orderedPage(query, await campaignWhere(args, ctx), args.orderBy)),
      totalCount: async (_connection, args, ctx) => countRows(ctx.services.db, 'campaign', await campaignWhere(args, ctx)),
    },
    CampaignConnection,
  ),
  campaign: t.prismaField({
    type: CampaignRef,
    nullable: true,
    description: 'One campaign, by either of its ids; null when there is none.',
    args: { ref: t.arg({ type: EntityRefInput, required: true }) },
    resolve: async (query, _root, { ref }, ctx) => {
      const row = await lookupByRef(ctx.services.db, 'campaign', ref, { path: ['ref'] });
      return row && ctx.services.db.campaign.findUnique({ ...query, where: { id: row.id } });
    },
  }),
}));

builder.prismaObjectField('Advertiser', 'campaigns', (t) =>
  t.relatedConnection(
    'campaigns',
    {
      cursor: 'id',
      totalCount: true,
      args: { includeDeleting: t.arg.boolean({ defaultValue: false, description: INCLUDE_DELETING }) },
      query: (args) => ({ where: deletingWhere(args.includeDeleting), orderBy: BY_ID }),
      description: 'Its campaigns, oldest first (without those deleted here, unless includeDeleting).',
    },
    CampaignConnection,
  ),
);
