// The filters of entity lists (sync state, name search, removed rows) and the
// network a list is in.
import { createContextCache } from '@pothos/core';
import DataLoader from 'dataloader';
import { z } from 'zod';
import { unicodeText } from '../domain/rules.ts';
import { findPage } from '../db/hot-reads.ts';
import { databaseTarget, type Db } from '../db/index.ts';
import type { SyncState } from '../domain/enums.ts';
import { MAX_SEARCH_LENGTH } from '../domain/limits.ts';
import { networkNotFound } from '../domain/refs.ts';
import type { Network } from '../generated/prisma/client.ts';
import { builder } from './builder.ts';
import { BY_ID } from './connections.ts';
import type { Context } from './context.ts';
import { SyncStateEnum } from './enums.ts';

/** The filters of entity lists; spread into a list field's args. */
export const syncFilterArgs = builder.args((t) => ({
  syncState: t.field({
    type: SyncStateEnum,
    defaultValue: 'ALL',
    description:
      'LOCAL: not yet in Broadstreet; SYNCED: in Broadstreet; CHANGED: in Broadstreet with local edits not yet pushed; CONFLICT: in conflict; ALL: every one.',
  }),
  includeDeleting: t.boolean({
    defaultValue: false,
    description: 'Whether to list entities deleted here whose deletion the next export sends to Broadstreet (syncStatus DELETING).',
  }),
  includeRemoved: t.boolean({
    defaultValue: true,
    description: 'Whether to list entities an import found gone from Broadstreet (their removedAt is set).',
  }),
}));

export const syncErrorArgs = builder.args((t) => ({
  hasSyncErrors: t.boolean({
    description: 'true: only entities whose sync attempts since they last synced left errors (their syncErrors); false: only the others.',
  }),
}));

type ErrorModel = 'network' | 'advertiser' | 'zone' | 'campaign' | 'advertisement' | 'placement';

/**
 * The where-clause of hasSyncErrors: entities with a sync error recorded
 * after their last successful sync (syncedAt), or never synced. Errors are
 * kept per mongoId (SyncError), without a relation Prisma could filter on:
 * the errored mongoIds are read first (one grouped query), then the rows.
 */
export async function syncErrorsWhere(
  db: Db,
  model: ErrorModel,
  networkId: number | null,
  value: boolean | null | undefined,
): Promise<{ id?: { in: number[] } | { notIn: number[] } }> {
  if (value == null) return {};
  const latest = await db.syncError.groupBy({
    by: ['mongoId'],
    where: { entityType: model.toUpperCase(), mongoId: { not: null } },
    _max: { at: true },
  });
  const lastError = new Map(latest.map((l) => [l.mongoId!, l._max.at!]));
  const delegate = db[model] as unknown as {
    findMany(args: object): Promise<{ id: number; mongoId: string; syncedAt: Date | null }[]>;
  };
  const rows =
    lastError.size === 0
      ? []
      : await delegate.findMany({
          where: { mongoId: { in: [...lastError.keys()] }, ...(networkId === null ? {} : { networkId }) },
          select: { id: true, mongoId: true, syncedAt: true },
        });
  const errored = rows.filter((r) => r.syncedAt === null || lastError.get(r.mongoId)! > r.syncedAt).map((r) => r.id);
  return value ? { id: { in: errored } } : { id: { notIn: errored } };
}

export const searchArgs = builder.args((t) => ({
  search: t.string({
    description: `Case-insensitive substring of the name (at most ${MAX_SEARCH_LENGTH} characters).`,
    validate: z.string().max(MAX_SEARCH_LENGTH, `must be at most ${MAX_SEARCH_LENGTH} characters`).pipe(unicodeText),
  }),
}));

/** Where-clause for a sync state, on models whose broadstreetId marks them synced. */
export function syncStateWhere(state: SyncState | null | undefined) {
  if (state === 'LOCAL') return { broadstreetId: null };
  if (state === 'SYNCED') return { broadstreetId: { not: null } };
  return twoWayStateWhere(state);
}

/** Placements have no id of their own in Broadstreet: syncedAt marks them synced. */
export function placementSyncStateWhere(state: SyncState | null | undefined) {
  if (state === 'LOCAL') return { syncedAt: null };
  if (state === 'SYNCED') return { syncedAt: { not: null } };
  return twoWayStateWhere(state);
}

/** CHANGED and CONFLICT as syncStatus reads them (changedAt and conflictAt mirror the row's state). */
function twoWayStateWhere(state: SyncState | null | undefined) {
  if (state === 'CHANGED') return { changedAt: { not: null }, conflictAt: null, deletedAt: null, removedAt: null };
  if (state === 'CONFLICT') return { conflictAt: { not: null } };
  return {};
}

/** DELETING rows are listed only when asked for (lists without the argument, such as advertisements, have none). */
/** What includeDeleting means, on every list that takes it. */
export const INCLUDE_DELETING =
  'Whether to list entities deleted here whose deletion the next export sends to Broadstreet (syncStatus DELETING).';

export function deletingWhere(includeDeleting: boolean | null | undefined) {
  return includeDeleting === false ? { deletedAt: null } : {};
}

export function removedWhere(includeRemoved: boolean | null | undefined) {
  return includeRemoved === false ? { removedAt: null } : {};
}

/**
 * Case-insensitive name search on both providers. Prisma's `contains` is a
 * LIKE that escapes nothing: SQLite's LIKE ignores ASCII case by itself and
 * has no escape character, so there `%` and `_` in a search match any one
 * character; PostgreSQL needs `mode: 'insensitive'` (ILIKE, which the SQLite
 * client's types do not know) and escapes with a backslash, so there they
 * match only themselves.
 */
export function nameSearchWhere(db: Db, search: string | null | undefined): { name?: { contains: string } } {
  if (!search) return {};
  if (databaseTarget(db).provider === 'postgresql') {
    return { name: { contains: search.replace(/[\\%_]/g, '\\$&'), mode: 'insensitive' } as { contains: string } };
  }
  return { name: { contains: search.replace(/[%_]/g, '_') } };
}

const networkLoader = createContextCache(
  (ctx: Context) =>
    new DataLoader<number, Network | null>(async (ids) => {
      const rows = await findPage<Network>(ctx.services.db, 'network', { where: { broadstreetId: { in: [...ids] } }, orderBy: BY_ID });
      return ids.map((id) => rows.find((row) => row.broadstreetId === id) ?? null);
    }),
);

/** The local network row of a Broadstreet network id, once per request; NotFoundError if absent. */
export async function networkOf(ctx: Context, broadstreetId: number): Promise<Network> {
  const network = await networkLoader(ctx).load(broadstreetId);
  if (!network) throw networkNotFound(broadstreetId);
  return network;
}

export interface NetworkListFilters {
  /** Broadstreet network id. */
  networkId: number;
  syncState?: SyncState | null;
  includeRemoved?: boolean | null;
  includeDeleting?: boolean | null;
  search?: string | null;
  hasSyncErrors?: boolean | null;
}

/** The where-clause of a list of one network's named entities (advertisers, zones, campaigns, advertisements). */
export async function networkListWhere(args: NetworkListFilters, ctx: Context, model: ErrorModel) {
  const network = await networkOf(ctx, args.networkId);
  return {
    networkId: network.id,
    ...syncStateWhere(args.syncState),
    ...removedWhere(args.includeRemoved),
    ...deletingWhere(args.includeDeleting),
    ...nameSearchWhere(ctx.services.db, args.search),
    ...(await syncErrorsWhere(ctx.services.db, model, network.id, args.hasSyncErrors)),
  };
}

/**
 * A list's where-clause, computed once per field resolution: the page and its
 * totalCount are resolved with the same args object, so they share the lookups.
 */
export function wherePerArgs<A extends object, W>(compute: (args: A, ctx: Context) => Promise<W>) {
  const computed = new WeakMap<A, Promise<W>>();
  return (args: A, ctx: Context): Promise<W> => {
    let where = computed.get(args);
    if (!where) {
      where = compute(args, ctx);
      computed.set(args, where);
    }
    return where;
  };
}
