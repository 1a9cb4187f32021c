// What all six entity types share: both identities and their sync state.
import DataLoader from 'dataloader';
import { createContextCache } from '@pothos/core';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { findPage } from '../db/hot-reads.ts';
import type { EntityType, SyncErrorCode } from '../domain/enums.ts';
import type { FieldChange, FieldConflict } from '../sync/merge.ts';
import { changedFields, conflictOf, syncStatusOf, type StoredConflict, type TwoWayRow } from '../sync/status.ts';
import type { SyncErrorRecord } from '../sync/types.ts';
import { builder } from './builder.ts';
import type { Context } from './context.ts';
import { READS_COLUMN } from './global-id.ts';
import { EntitySyncStatusEnum, EntityTypeEnum, SyncErrorCodeEnum } from './enums.ts';

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
        const rows = await findPage<SyncErrorRecord & { mongoId: string | null }>(ctx.services.db, 'syncError', {
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

export const FieldChangeRef = builder.objectRef<FieldChange>('FieldChange').implement({
  description: 'One field changed, planned or made: from → to.',
  fields: (t) => ({
    field: t.exposeString('field', { description: 'The GraphQL field name.' }),
    from: t.field({ type: 'JSON', nullable: true, resolve: (c) => c.from ?? null }),
    to: t.field({ type: 'JSON', nullable: true, resolve: (c) => c.to ?? null }),
    driftChecked: t.exposeBoolean('driftChecked', {
      description:
        'false for fields Broadstreet accepts but never returns (campaign paused, pacingType, …): what it holds cannot be checked.',
    }),
  }),
});

export const FieldConflictRef = builder.objectRef<FieldConflict>('FieldConflict').implement({
  description: 'A field changed on both sides to different values.',
  fields: (t) => ({
    field: t.exposeString('field'),
    base: t.field({ type: 'JSON', nullable: true, description: 'The value both sides last agreed on.', resolve: (c) => c.base ?? null }),
    local: t.field({ type: 'JSON', nullable: true, resolve: (c) => c.local ?? null }),
    remote: t.field({ type: 'JSON', nullable: true, description: "Broadstreet's value.", resolve: (c) => c.remote ?? null }),
  }),
});

export const SyncConflictRef = builder.objectRef<StoredConflict>('SyncConflict').implement({
  description: 'Both sides changed the entity: its export is blocked until resolveConflict keeps LOCAL or REMOTE.',
  fields: (t) => ({
    detectedAt: t.field({ type: 'DateTime', resolve: (c) => new Date(c.detectedAt) }),
    runId: t.id({ nullable: true, resolve: (c) => (c.runId === null ? null : encodeGlobalID('SyncRun', c.runId)) }),
    remoteDeleted: t.exposeBoolean('remoteDeleted', {
      description: 'Broadstreet removed it while it was edited or deleted here.',
    }),
    localDeleted: t.boolean({
      description: 'With remoteDeleted: it was deleted here too. Keeping either side makes it REMOVED.',
      resolve: (c) => c.localDeleted === true,
    }),
    fields: t.field({ type: [FieldConflictRef], resolve: (c) => c.fields }),
  }),
});

/** The entity type of the object a SyncedEntity field resolves on (Campaign → CAMPAIGN). */
const typeOfParent = (name: string) => name.toUpperCase() as EntityType;

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
      // It reads that column alone (a joined parent can be read for it; placements have none: null, as here).
      extensions: { [READS_COLUMN]: 'broadstreetId' },
    }),
    createdLocally: t.exposeBoolean('createdLocally'),
    syncedAt: t.expose('syncedAt', { type: 'DateTime', nullable: true }),
    syncStatus: t.field({
      type: EntitySyncStatusEnum,
      resolve: (e, _args, _ctx, info) => syncStatusOf(typeOfParent(info.parentType.name), e as unknown as TwoWayRow),
    }),
    changedFields: t.stringList({
      description: 'Local edits not yet pushed to Broadstreet (GraphQL field names).',
      resolve: (e, _args, _ctx, info) => changedFields(typeOfParent(info.parentType.name), e as unknown as TwoWayRow),
    }),
    conflict: t.field({
      type: SyncConflictRef,
      nullable: true,
      description: 'null unless syncStatus is CONFLICT.',
      resolve: (e) => conflictOf(e as unknown as TwoWayRow),
    }),
    syncErrors: t.field({
      type: [EntitySyncError],
      description: `Errors of recent sync attempts, newest first (at most ${RECENT_SYNC_ERRORS}).`,
      resolve: (e, _args, ctx) => recentErrorsLoader(ctx).load(e.mongoId),
    }),
  }),
});
