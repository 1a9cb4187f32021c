// What all six entity types share: both identities and their sync state.
import DataLoader from 'dataloader';
import { createContextCache } from '@pothos/core';
import type { EntityType, SyncErrorCode } from '../domain/enums.ts';
import type { SyncErrorRecord } from '../sync/types.ts';
import { builder } from './builder.ts';
import type { Context } from './context.ts';
import { EntityTypeEnum, SyncErrorCodeEnum } from './enums.ts';

export type { SyncErrorRecord };

export const EntitySyncError = builder.objectRef<SyncErrorRecord>('EntitySyncError').implement({
  description: 'One failed attempt to sync one entity.',
  fields: (t) => ({
    code: t.field({ type: SyncErrorCodeEnum, resolve: (e) => e.code as SyncErrorCode }),
    message: t.exposeString('message'),
    entityType: t.field({ type: EntityTypeEnum, nullable: true, resolve: (e) => e.entityType as EntityType | null }),
    mongoId: t.exposeString('mongoId', { nullable: true }),
    broadstreetId: t.exposeInt('broadstreetId', { nullable: true }),
    retryable: t.exposeBoolean('retryable'),
    attempt: t.exposeInt('attempt'),
    at: t.expose('at', { type: 'DateTime' }),
  }),
});

/** How many recent errors an entity shows. */
export const RECENT_SYNC_ERRORS = 10;

const recentErrorsLoader = createContextCache(
  (ctx: Context) =>
    new DataLoader<string, SyncErrorRecord[]>(
      async (mongoIds) => {
        const rows = await ctx.services.db.syncError.findMany({
          where: { mongoId: { in: [...mongoIds] } },
          orderBy: { id: 'desc' },
        });
        const byEntity = new Map<string, SyncErrorRecord[]>();
        for (const row of rows) {
          const list = byEntity.get(row.mongoId!) ?? [];
          if (list.length < RECENT_SYNC_ERRORS) list.push(row);
          byEntity.set(row.mongoId!, list);
        }
        return mongoIds.map((id) => byEntity.get(id) ?? []);
      },
      {
        // Prisma refuses an IN list longer than the database's bound-value limit
        // (999 on SQLite): a page of 500 placements with their parents' errors
        // asked for ~2,000 at once and failed.
        maxBatchSize: 500,
      },
    ),
);

export interface SyncedEntityShape {
  mongoId: string;
  broadstreetId?: number | null;
  createdLocally: boolean;
  syncedAt: Date | null;
}

export const SyncedEntity = builder.interfaceRef<SyncedEntityShape>('SyncedEntity').implement({
  description: 'An entity that lives locally and, once synced, in Broadstreet.',
  // Through Node, every synced entity has its Relay id (API.md lists it here).
  interfaces: [builder.nodeInterfaceRef()],
  fields: (t) => ({
    mongoId: t.exposeString('mongoId', { description: '24-hex ObjectId made locally; never changes.' }),
    broadstreetId: t.int({
      nullable: true,
      description:
        "Broadstreet's id; null while the entity is local-only (always null for placements, which Broadstreet identifies by their triple).",
      resolve: (e) => e.broadstreetId ?? null,
    }),
    createdLocally: t.exposeBoolean('createdLocally'),
    syncedAt: t.expose('syncedAt', { type: 'DateTime', nullable: true }),
    syncErrors: t.field({
      type: [EntitySyncError],
      description: `Errors of recent sync attempts, newest first (at most ${RECENT_SYNC_ERRORS}).`,
      resolve: (e, _args, ctx) => recentErrorsLoader(ctx).load(e.mongoId),
    }),
  }),
});
