// GraphQL for sync runs: startSync, cancelSync, syncRun(s), syncProgress.
import { decodeGlobalID, encodeGlobalID } from '@pothos/plugin-relay';
import DataLoader from 'dataloader';
import { createContextCache } from '@pothos/core';
import { z } from 'zod';
import { MAX_PAGE_SIZE } from '../domain/limits.ts';
import { networkNotFound } from '../domain/refs.ts';
import type { EntityType, SyncDirection, SyncItemOutcome, SyncPhase, SyncStatus } from '../domain/enums.ts';
import { builder } from '../graphql/builder.ts';
import { entityConnection } from '../graphql/connections.ts';
import type { Context } from '../graphql/context.ts';
import { ConflictError, DependencyError, ErrorInterface, NotFoundError, ValidationError } from '../graphql/errors.ts';
import { EntityTypeEnum, SyncDirectionEnum, SyncItemOutcomeEnum, SyncPhaseEnum, SyncStatusEnum } from '../graphql/enums.ts';
import { EntitySyncError, FieldChangeRef, type SyncErrorRecord } from '../graphql/synced-entity.ts';
import type { FieldChange } from './merge.ts';
import { emptyCounts } from './progress.ts';
import { SyncAlreadyRunningError } from './errors.ts';
import { loadEvents } from './events.ts';
import { cancelSync, startSync } from './run.service.ts';
import { COUNT_KINDS, type EntityCounts, type ProgressEvent, type RunCounts } from './types.ts';
import { NODE_ID } from '../graphql/global-id.ts';

/** A run id as clients send it: the Relay id, or the bare number. */
export function parseRunId(id: string): number | null {
  if (/^\d+$/.test(id)) return Number(id);
  try {
    const { typename, id: raw } = decodeGlobalID(id);
    return typename === 'SyncRun' && /^\d+$/.test(raw) ? Number(raw) : null;
  } catch {
    return null;
  }
}

const COUNT_DESCRIPTIONS: Partial<Record<(typeof COUNT_KINDS)[number], string>> = {
  plannedCreates: 'A dry run: entities it would create (a dry run never counts them as created).',
  plannedUpdates: 'A dry run: entities it would update.',
  plannedDeletes: 'A dry run: entities it would delete.',
};

const SyncCount = builder.objectRef<EntityCounts & { entityType: EntityType }>('SyncCount').implement({
  description: 'What a run did to one entity type.',
  fields: (t) => ({
    entityType: t.field({ type: EntityTypeEnum, resolve: (c) => c.entityType }),
    // Runs stored before a kind existed have no counter for it: 0.
    ...Object.fromEntries(
      COUNT_KINDS.map((kind) => [kind, t.int({ description: COUNT_DESCRIPTIONS[kind], resolve: (c) => c[kind] ?? 0 })]),
    ),
  }),
});

export const SyncProgressEvent = builder.objectRef<ProgressEvent>('SyncProgressEvent').implement({
  description: 'One step of a run, as stored in its event log and pushed live.',
  fields: (t) => ({
    seq: t.exposeInt('seq', { description: 'Position in the run’s event log, from 1, without gaps.' }),
    runId: t.id({ resolve: (e) => encodeGlobalID('SyncRun', e.runId) }),
    status: t.field({ type: SyncStatusEnum, resolve: (e) => e.status }),
    phase: t.field({ type: SyncPhaseEnum, nullable: true, resolve: (e) => e.phase }),
    current: t.exposeInt('current'),
    total: t.exposeInt('total'),
    percentage: t.exposeInt('percentage'),
    message: t.exposeString('message'),
    errors: t.field({ type: [EntitySyncError], description: 'Errors raised since the previous event.', resolve: (e) => e.errors }),
    warnings: t.exposeStringList('warnings', { description: 'Warnings raised since the previous event.' }),
    at: t.expose('at', { type: 'DateTime' }),
  }),
});

const runErrorsLoader = createContextCache(
  (ctx: Context) =>
    new DataLoader<number, SyncErrorRecord[]>(async (runIds) => {
      const rows = await ctx.services.db.syncError.findMany({ where: { runId: { in: [...runIds] } }, orderBy: { id: 'asc' } });
      return runIds.map((id) => rows.filter((r) => r.runId === id));
    }),
);

builder.prismaObject('SyncItem', {
  description: 'What an export (or its dry run) planned or did for one local entity.',
  fields: (t) => ({
    entityType: t.field({ type: EntityTypeEnum, resolve: (i) => i.entityType as EntityType }),
    mongoId: t.exposeString('mongoId'),
    name: t.exposeString('name', { nullable: true }),
    resolvedName: t.exposeString('resolvedName', {
      nullable: true,
      description: 'The name used in Broadstreet when it differs (a name conflict).',
    }),
    outcome: t.field({
      type: SyncItemOutcomeEnum,
      description:
        'A dry run (the plan): PLANNED_CREATE (resolvedName set when renamed), PLANNED_UPDATE, PLANNED_DELETE, UNCHANGED, CONFLICT or BLOCKED. Export: PENDING until its turn, then CREATED, UPDATED, DELETED, FAILED, SKIPPED or CONFLICT (changed since the plan, or the id Broadstreet gave is held by another local row); BLOCKED when validation refused it. PLANNED and RENAMED were the dry run values before PLANNED_CREATE.',
      // The same values the String form answered: on the wire nothing changed.
      resolve: (i) => i.outcome as SyncItemOutcome,
    }),
    broadstreetId: t.exposeInt('broadstreetId', { nullable: true }),
    message: t.exposeString('message', { nullable: true }),
    changes: t.field({
      type: [FieldChangeRef],
      description:
        'The field changes planned or made (UPDATE: each field from → to; driftChecked false for fields Broadstreet never returns).',
      resolve: (i) => (Array.isArray(i.changes) ? (i.changes as unknown as FieldChange[]) : []),
    }),
  }),
});

const pageSize = z.number().int().min(1, 'must be at least 1').max(MAX_PAGE_SIZE, `must be at most ${MAX_PAGE_SIZE}`);

export const SyncRunRef = builder.prismaNode('SyncRun', {
  id: NODE_ID,
  // node(id:) and nodes(ids:) answer null for an id that names no row, rather than failing.
  nullable: true,
  description: 'One import or export: its state, counters, errors and event log.',
  fields: (t) => ({
    networkId: t.exposeInt('networkId', { description: 'The Broadstreet network id.' }),
    direction: t.field({ type: SyncDirectionEnum, resolve: (r) => r.direction as SyncDirection }),
    dryRun: t.exposeBoolean('dryRun'),
    entityTypes: t.field({ type: [EntityTypeEnum], resolve: (r) => r.entityTypes as EntityType[] }),
    status: t.field({ type: SyncStatusEnum, resolve: (r) => r.status as SyncStatus }),
    phase: t.field({ type: SyncPhaseEnum, nullable: true, resolve: (r) => r.phase as SyncPhase | null }),
    percentage: t.exposeInt('percentage'),
    failureReason: t.exposeString('failureReason', { nullable: true }),
    cancelRequested: t.exposeBoolean('cancelRequested'),
    attempts: t.exposeInt('attempts', { description: 'How many times a process started executing it (more than 1: resumed).' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    startedAt: t.expose('startedAt', { type: 'DateTime', nullable: true }),
    finishedAt: t.expose('finishedAt', { type: 'DateTime', nullable: true }),
    retryOf: t.relation('retryOf', { nullable: true }),
    applyPlan: t.relation('applyPlan', { nullable: true, description: 'The dry run whose plan this run executes.' }),
    appliedBy: t.relation('appliedBy', {
      nullable: true,
      description: 'A dry run: the run that applied its plan (a plan is applied once).',
    }),
    counts: t.field({
      type: [SyncCount],
      resolve: (r) =>
        Object.entries(r.counts as RunCounts).map(([entityType, counts]) => ({
          entityType: entityType as EntityType,
          // Runs stored before a kind existed have no counter for it.
          ...emptyCounts(),
          ...counts!,
        })),
    }),
    errors: t.field({
      type: [EntitySyncError],
      description:
        `The run's errors, in order: all of them, or a page of \`first\` (at most ${MAX_PAGE_SIZE}) after ` +
        `the first \`after\` (the errors of a run only ever append).`,
      args: {
        first: t.arg.int({ validate: pageSize }),
        after: t.arg.int({ description: 'How many errors to pass over.', validate: z.number().int().min(0, 'must not be negative') }),
      },
      resolve: (r, args, ctx) =>
        args.first == null && args.after == null
          ? runErrorsLoader(ctx).load(r.id)
          : ctx.services.db.syncError.findMany({
              where: { runId: r.id },
              orderBy: { id: 'asc' },
              skip: args.after ?? 0,
              take: args.first ?? MAX_PAGE_SIZE,
            }),
    }),
    errorCount: t.int({
      description: 'How many errors the run has.',
      resolve: async (r, _args, ctx) => (await runErrorsLoader(ctx).load(r.id)).length,
    }),
    events: t.field({
      type: [SyncProgressEvent],
      description:
        `A page of the event log, in order: \`first\` events (default and at most ${MAX_PAGE_SIZE}) with seq ` +
        `greater than \`after\`; page on with the last seq.`,
      args: {
        after: t.arg.int({ description: 'Only events with seq greater than this.' }),
        first: t.arg.int({ validate: pageSize }),
      },
      resolve: (r, args, ctx) => loadEvents(ctx.services.db, r.id, args.after ?? 0, undefined, args.first ?? MAX_PAGE_SIZE),
    }),
    eventCount: t.int({ description: 'How many events the run has stored (their seq runs from 1 to this).', resolve: (r) => r.lastSeq }),
    items: t.relatedConnection(
      'items',
      {
        description: 'The per-entity report of an export or dry run.',
        cursor: 'id',
        totalCount: true,
        query: { orderBy: { id: 'asc' } },
      },
      { name: 'SyncItemConnection' },
      { name: 'SyncItemEdge' },
    ),
  }),
});

export const SyncRunConnection = entityConnection(SyncRunRef, 'SyncRunConnection');

export interface RunFilter {
  networkId?: number | null;
  status?: readonly SyncStatus[] | null;
  direction?: SyncDirection | null;
}

export function runWhere(filter: RunFilter) {
  return {
    ...(filter.networkId != null ? { networkId: filter.networkId } : {}),
    ...(filter.status?.length ? { status: { in: [...filter.status] } } : {}),
    ...(filter.direction ? { direction: filter.direction } : {}),
  };
}

builder.objectType(SyncAlreadyRunningError, {
  name: 'SyncAlreadyRunningError',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    run: t.prismaField({
      type: 'SyncRun',
      resolve: (query, e, _args, ctx) => ctx.services.db.syncRun.findUniqueOrThrow({ ...query, where: { id: e.run.id } }),
    }),
  }),
});

/**
 * A network no list may name: not in the local database and never synced. (A
 * network whose first import failed has runs but no row: its runs are listed.)
 */
async function assertKnownNetwork(ctx: Context, networkId: number): Promise<void> {
  const db = ctx.services.db;
  const [network, run] = await Promise.all([
    db.network.findUnique({ where: { broadstreetId: networkId }, select: { id: true } }),
    db.syncRun.findFirst({ where: { networkId }, select: { id: true } }),
  ]);
  if (!network && !run) throw networkNotFound(networkId);
}

builder.queryFields((t) => ({
  syncRun: t.prismaField({
    type: 'SyncRun',
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: (query, _root, args, ctx) => {
      const id = parseRunId(args.id);
      return id === null ? null : ctx.services.db.syncRun.findUnique({ ...query, where: { id } });
    },
  }),
  syncRuns: t.prismaConnection(
    {
      type: 'SyncRun',
      cursor: 'id',
      description: 'Sync history, newest first; optionally of one network, by status and direction.',
      args: {
        networkId: t.arg.int(),
        status: t.arg({ type: [SyncStatusEnum], description: 'Only runs in one of these statuses.' }),
        direction: t.arg({ type: SyncDirectionEnum, description: 'Only imports or only exports.' }),
      },
      totalCount: async (_parent, args, ctx) => {
        if (args.networkId != null) await assertKnownNetwork(ctx, args.networkId);
        return ctx.services.db.syncRun.count({ where: runWhere(args) });
      },
      resolve: async (query, _root, args, ctx) => {
        if (args.networkId != null) await assertKnownNetwork(ctx, args.networkId);
        return ctx.services.db.syncRun.findMany({ ...query, where: runWhere(args), orderBy: { id: 'desc' } });
      },
    },
    SyncRunConnection,
  ),
}));

const StartSyncInput = builder.inputType('StartSyncInput', {
  fields: (t) => ({
    networkId: t.int({ required: true, description: 'The Broadstreet network id.' }),
    direction: t.field({ type: SyncDirectionEnum, required: true }),
    dryRun: t.boolean({
      defaultValue: false,
      description:
        'Send and write nothing. An export validates and reports what it would create (and under which ' +
        'names); an import is a read-only preview: its counts say what it would create, update and mark ' +
        'removed. An import preview needs the network imported once.',
    }),
    entityTypes: t.field({ type: [EntityTypeEnum], description: 'Default: every type the direction allows.' }),
    retryOf: t.id({ description: 'Re-run only what failed or was skipped in that finished run.' }),
    applyPlan: t.id({
      description:
        'A finished dry run of this network in the same direction (export or import): execute exactly its plan — only its entities, only its actions. An entity changed on either side since the plan was made is skipped as CONFLICT ("changed since the plan"). A plan is applied once; the run takes the plan’s entity types (leave entityTypes, dryRun and retryOf out).',
    }),
  }),
});

const CancelSyncInput = builder.inputType('CancelSyncInput', {
  fields: (t) => ({ runId: t.id({ required: true, description: 'The run to stop (SyncRun.id).' }) }),
});

builder.mutationFields((t) => ({
  startSync: t.field({
    type: SyncRunRef,
    description: 'Starts an import or export of one network; the run executes in the background.',
    args: { input: t.arg({ type: StartSyncInput, required: true }) },
    errors: {
      types: [ValidationError, NotFoundError, DependencyError, ConflictError, SyncAlreadyRunningError],
      union: { name: 'StartSyncResult' },
      result: { name: 'StartSyncPayload' },
      dataField: { name: 'run' },
    },
    resolve: async (_root, { input }, ctx) => {
      let retryOf: number | null = null;
      if (input.retryOf != null) {
        retryOf = parseRunId(String(input.retryOf));
        if (retryOf === null) {
          throw new ValidationError('retryOf is not a run id', [{ path: ['input', 'retryOf'], message: 'not a run id' }]);
        }
      }
      let applyPlan: number | null = null;
      if (input.applyPlan != null) {
        applyPlan = parseRunId(String(input.applyPlan));
        if (applyPlan === null) {
          throw new ValidationError('applyPlan is not a run id', [{ path: ['input', 'applyPlan'], message: 'not a run id' }]);
        }
      }
      return startSync(ctx.services, { ...input, retryOf, applyPlan });
    },
  }),
  cancelSync: t.field({
    type: SyncRunRef,
    description: 'Stops a run at its next entity boundary; what it did stays done.',
    args: {
      input: t.arg({ type: CancelSyncInput }),
      runId: t.arg.id({ deprecationReason: 'Use `input: { runId }`, like every other mutation.' }),
    },
    errors: {
      types: [ValidationError, NotFoundError, ConflictError],
      union: { name: 'CancelSyncResult' },
      result: { name: 'CancelSyncPayload' },
      dataField: { name: 'run' },
    },
    resolve: (_root, args, ctx) => {
      const runId = args.input?.runId ?? args.runId;
      if (runId == null || (args.input && args.runId != null)) {
        throw new ValidationError('name the run once: cancelSync(input: { runId })', [
          { path: ['input', 'runId'], message: 'required (and not with the deprecated runId argument)' },
        ]);
      }
      const id = parseRunId(String(runId));
      if (id === null) throw new NotFoundError(`run ${runId} does not exist`, 'SyncRun');
      return cancelSync(ctx.services, id);
    },
  }),
}));

builder.subscriptionField('syncProgress', (t) =>
  t.field({
    type: SyncProgressEvent,
    description: 'Replays stored events after `afterSeq`, then follows the run live; completes when the run ends.',
    args: { runId: t.arg.id({ required: true }), afterSeq: t.arg.int() },
    subscribe: async (_root, args, ctx) => {
      const id = parseRunId(String(args.runId));
      const feed = id === null ? null : await ctx.services.feeds.open(id);
      // A NotFoundError is a GraphQLError with extensions.code NOT_FOUND, as lists answer an unknown network.
      if (!feed) throw new NotFoundError(`run ${args.runId} does not exist`);
      return ctx.services.feeds.follow(feed, args.afterSeq ?? 0);
    },
    resolve: (event) => event,
  }),
);
