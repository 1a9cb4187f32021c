// GraphQL for schedules and status: SyncSchedule and its mutations,
// Network.syncSchedules / syncSummary / syncRuns, the syncSummaryChanged
// subscription, and what runs gained (trigger, schedule, automatic retry,
// webhook deliveries).
import { decodeGlobalID } from '@pothos/plugin-relay';
import type { EntityType, SyncDirection } from '../domain/enums.ts';
import type { Network } from '../generated/prisma/client.ts';
import { builder } from '../graphql/builder.ts';
import type { Context } from '../graphql/context.ts';
import { NotFoundError, ValidationError } from '../graphql/errors.ts';
import { EntityTypeEnum, SyncDirectionEnum, SyncStatusEnum } from '../graphql/enums.ts';
import { RUN_TRIGGERS } from './run.service.ts';
import { createSchedule, deleteSchedule, updateSchedule } from './schedules/schedule.service.ts';
import { entityStateCounts, type EntityStateCounts } from './summary.ts';
import { runWhere, SyncRunConnection } from './sync.schema.ts';
import { NODE_ID } from '../graphql/global-id.ts';

const SyncTriggerEnum = builder.enumType('SyncTrigger', {
  description: 'Who started a run: startSync, a schedule tick, an automatic retry, or the first-start import.',
  values: RUN_TRIGGERS,
});

const TickOutcomeEnum = builder.enumType('SyncScheduleTickOutcome', {
  description: 'STARTED: the tick started a run; SKIPPED: it did not (reason says why, e.g. a run was in progress).',
  values: ['PENDING', 'STARTED', 'SKIPPED'] as const,
});

/** A schedule id as clients send it: the Relay id, or the bare number. */
function parseScheduleId(id: string | number): number | null {
  const raw = String(id);
  if (/^\d+$/.test(raw)) return Number(raw);
  try {
    const decoded = decodeGlobalID(raw);
    return decoded.typename === 'SyncSchedule' && /^\d+$/.test(decoded.id) ? Number(decoded.id) : null;
  } catch {
    return null;
  }
}

builder.prismaObject('SyncScheduleTick', {
  description: 'One tick of a schedule: the run it started, or why it was skipped.',
  fields: (t) => ({
    dueAt: t.expose('dueAt', { type: 'DateTime', description: 'When the tick fell due.' }),
    outcome: t.field({ type: TickOutcomeEnum, resolve: (tick) => tick.outcome as 'PENDING' | 'STARTED' | 'SKIPPED' }),
    run: t.prismaField({
      type: 'SyncRun',
      nullable: true,
      description: 'The run it started; for a tick skipped because a run was in progress, that run.',
      resolve: (query, tick, _args, ctx) =>
        tick.runId == null ? null : ctx.services.db.syncRun.findUnique({ ...query, where: { id: tick.runId } }),
    }),
    reason: t.exposeString('reason', { nullable: true, description: 'Why it was skipped, or that it stands for several missed ticks.' }),
    at: t.expose('at', { type: 'DateTime' }),
  }),
});

export const SyncScheduleRef = builder.prismaNode('SyncSchedule', {
  id: NODE_ID,
  nullable: true,
  description: 'A network’s schedule: each tick starts an ordinary run.',
  fields: (t) => ({
    networkId: t.exposeInt('networkId', { description: 'The Broadstreet network id.' }),
    direction: t.field({ type: SyncDirectionEnum, resolve: (s) => s.direction as SyncDirection }),
    entityTypes: t.field({ type: [EntityTypeEnum], resolve: (s) => s.entityTypes as EntityType[] }),
    every: t.exposeString('every', { nullable: true, description: 'An ISO 8601 duration such as PT15M (exactly one of every and cron).' }),
    cron: t.exposeString('cron', { nullable: true, description: 'A cron expression (five fields, or six with seconds).' }),
    timeZone: t.exposeString('timeZone', { nullable: true, description: 'The IANA time zone the cron expression is read in.' }),
    enabled: t.exposeBoolean('enabled', { description: 'false: paused; no tick fires.' }),
    nextRunAt: t.expose('nextRunAt', { type: 'DateTime', nullable: true, description: 'The next tick; null while paused.' }),
    retryAttempts: t.exposeInt('retryAttempts', {
      nullable: true,
      description: 'Automatic retries of a PARTIAL run it started (null: SYNC_AUTO_RETRY applies).',
    }),
    retryDelay: t.exposeString('retryDelay', {
      nullable: true,
      description: 'Delay before the first automatic retry (doubling after), ISO 8601.',
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    lastRun: t.prismaField({
      type: 'SyncRun',
      nullable: true,
      description: 'The last run a tick started.',
      resolve: (query, s, _args, ctx) =>
        s.lastRunId == null ? null : ctx.services.db.syncRun.findUnique({ ...query, where: { id: s.lastRunId } }),
    }),
    ticks: t.relation('ticks', {
      description: 'Its latest ticks, newest first (at most `first`, default 20): what each started, or why it was skipped.',
      args: { first: t.arg.int({ defaultValue: 20 }) },
      query: (args) => ({ orderBy: { id: 'desc' }, take: Math.min(Math.max(args.first ?? 20, 1), 500) }),
    }),
  }),
});

builder.prismaObject('WebhookDelivery', {
  description: 'One attempt to POST a run’s end to SYNC_WEBHOOK_URL.',
  fields: (t) => ({
    attempt: t.exposeInt('attempt'),
    delivered: t.exposeBoolean('delivered', { description: 'The receiver answered 2xx.' }),
    httpStatus: t.exposeInt('httpStatus', { nullable: true, description: 'The receiver’s status; null when no answer came.' }),
    error: t.exposeString('error', { nullable: true }),
    at: t.expose('at', { type: 'DateTime' }),
  }),
});

builder.prismaObjectFields('SyncRun', (t) => ({
  trigger: t.field({ type: SyncTriggerEnum, resolve: (r) => r.trigger as (typeof RUN_TRIGGERS)[number] }),
  schedule: t.prismaField({
    type: 'SyncSchedule',
    nullable: true,
    description: 'The schedule whose tick started it (or the run it retries).',
    resolve: (query, r, _args, ctx) =>
      r.scheduleId == null ? null : ctx.services.db.syncSchedule.findUnique({ ...query, where: { id: r.scheduleId } }),
  }),
  autoRetryAt: t.expose('autoRetryAt', {
    type: 'DateTime',
    nullable: true,
    description: 'When its automatic retry is due (null: none is waiting); the retry is a run with retryOf this one.',
  }),
  webhookDeliveries: t.relation('webhookDeliveries', {
    description: 'Each attempt to notify SYNC_WEBHOOK_URL of its end, in order.',
    query: { orderBy: { id: 'asc' } },
  }),
}));

interface SummarySource {
  network: Network;
  counts?: Promise<EntityStateCounts>;
}

const counts = (s: SummarySource, ctx: Context) => (s.counts ??= entityStateCounts(ctx.services.db, s.network));
const countField = (description: string, key: keyof EntityStateCounts) =>
  ({ description, resolve: async (s: SummarySource, _args: object, ctx: Context) => (await counts(s, ctx))[key] }) as const;

const lastRunOf = (direction: SyncDirection) => ({
  type: 'SyncRun' as const,
  nullable: true as const,
  description: `The latest finished ${direction.toLowerCase()} (dry runs included).`,
  resolve: (query: object, s: SummarySource, _args: object, ctx: Context) =>
    ctx.services.db.syncRun.findFirst({
      ...query,
      where: { networkId: s.network.broadstreetId ?? -1, direction, finishedAt: { not: null } },
      orderBy: { id: 'desc' },
    }),
});

export const NetworkSyncSummary = builder.objectRef<SummarySource>('NetworkSyncSummary').implement({
  description: 'Where a network stands: last runs, what runs now, the next ticks, and entity counts.',
  fields: (t) => ({
    lastImport: t.prismaField(lastRunOf('IMPORT')),
    lastExport: t.prismaField(lastRunOf('EXPORT')),
    activeRun: t.prismaField({
      type: 'SyncRun',
      nullable: true,
      description: 'The run queued or in progress, if any.',
      resolve: (query, s, _args, ctx) =>
        ctx.services.db.syncRun.findUnique({ ...query, where: { activeKey: String(s.network.broadstreetId) } }),
    }),
    schedules: t.prismaField({
      type: ['SyncSchedule'],
      description: 'The network’s schedules, each with its next tick.',
      resolve: (query, s, _args, ctx) =>
        ctx.services.db.syncSchedule.findMany({ ...query, where: { networkId: s.network.broadstreetId ?? -1 }, orderBy: { id: 'asc' } }),
    }),
    localCount: t.int(countField('Entities never exported (local only).', 'localCount')),
    changedCount: t.int(countField('Synced entities changed locally since they last agreed with Broadstreet.', 'changedCount')),
    conflictCount: t.int(countField('Entities changed on both sides, waiting for resolveConflict.', 'conflictCount')),
    erroredCount: t.int(countField('Entities that failed in the latest import or export.', 'erroredCount')),
    removedCount: t.int(countField('Entities Broadstreet no longer has.', 'removedCount')),
  }),
});

builder.prismaObjectFields('Network', (t) => ({
  syncSummary: t.field({ type: NetworkSyncSummary, resolve: (network) => ({ network }) }),
  syncSchedules: t.prismaField({
    type: ['SyncSchedule'],
    resolve: (query, network, _args, ctx) =>
      ctx.services.db.syncSchedule.findMany({ ...query, where: { networkId: network.broadstreetId ?? -1 }, orderBy: { id: 'asc' } }),
  }),
  syncRuns: t.prismaConnection(
    {
      type: 'SyncRun',
      cursor: 'id',
      description: 'The network’s runs, newest first, by status and direction.',
      args: {
        status: t.arg({ type: [SyncStatusEnum], description: 'Only runs in one of these statuses.' }),
        direction: t.arg({ type: SyncDirectionEnum, description: 'Only imports or only exports.' }),
      },
      totalCount: (network, args, ctx) =>
        ctx.services.db.syncRun.count({ where: runWhere({ ...args, networkId: network.broadstreetId ?? -1 }) }),
      resolve: (query, network, args, ctx) =>
        ctx.services.db.syncRun.findMany({
          ...query,
          where: runWhere({ ...args, networkId: network.broadstreetId ?? -1 }),
          orderBy: { id: 'desc' },
        }),
    },
    SyncRunConnection,
  ),
}));

const CadenceFields = {
  every: 'An ISO 8601 duration, such as PT15M or PT4H (exactly one of every and cron).',
  cron: 'A cron expression, such as "0 */4 * * *" (five fields, or six with seconds).',
  timeZone: 'The IANA time zone of the cron expression (default UTC).',
};

const CreateSyncScheduleInput = builder.inputType('CreateSyncScheduleInput', {
  fields: (t) => ({
    networkId: t.int({ required: true, description: 'The Broadstreet network id.' }),
    direction: t.field({ type: SyncDirectionEnum, required: true }),
    entityTypes: t.field({ type: [EntityTypeEnum], description: 'Default: every type the direction allows.' }),
    every: t.string({ description: CadenceFields.every }),
    cron: t.string({ description: CadenceFields.cron }),
    timeZone: t.string({ description: CadenceFields.timeZone }),
    enabled: t.boolean({ defaultValue: true }),
    retryAttempts: t.int({ description: 'Automatic retries of a PARTIAL run it starts, 0 to 10 (default: SYNC_AUTO_RETRY).' }),
    retryDelay: t.string({ description: 'Delay before the first automatic retry, ISO 8601 (doubling after; default PT30S).' }),
  }),
});

const UpdateSyncScheduleInput = builder.inputType('UpdateSyncScheduleInput', {
  fields: (t) => ({
    id: t.id({ required: true, description: 'SyncSchedule.id.' }),
    entityTypes: t.field({ type: [EntityTypeEnum] }),
    every: t.string({ description: `${CadenceFields.every} Giving it replaces a cron expression.` }),
    cron: t.string({ description: `${CadenceFields.cron} Giving it replaces an interval.` }),
    timeZone: t.string({ description: CadenceFields.timeZone }),
    enabled: t.boolean({ description: 'false pauses it, true resumes it (from the next tick after now).' }),
    retryAttempts: t.int(),
    retryDelay: t.string(),
  }),
});

const DeleteSyncScheduleInput = builder.inputType('DeleteSyncScheduleInput', {
  fields: (t) => ({ id: t.id({ required: true, description: 'SyncSchedule.id.' }) }),
});

function scheduleId(id: string | number): number {
  const parsed = parseScheduleId(id);
  if (parsed === null) throw new NotFoundError(`schedule ${id} does not exist`, 'SyncSchedule');
  return parsed;
}

/** GraphQL's null means "not given" for optional update fields, except where null is a value (retry policy). */
const given = <T>(value: T | null | undefined): T | undefined => (value === null ? undefined : value);

builder.mutationFields((t) => ({
  createSyncSchedule: t.field({
    type: SyncScheduleRef,
    description: 'Schedules a network’s imports or exports; each tick starts an ordinary run.',
    args: { input: t.arg({ type: CreateSyncScheduleInput, required: true }) },
    errors: {
      types: [ValidationError, NotFoundError],
      union: { name: 'CreateSyncScheduleResult' },
      result: { name: 'CreateSyncSchedulePayload' },
      dataField: { name: 'schedule' },
    },
    resolve: (_root, { input }, ctx) => createSchedule(ctx.services, { ...input, direction: input.direction }),
  }),
  updateSyncSchedule: t.field({
    type: SyncScheduleRef,
    description: 'Changes a schedule: its cadence, entity types, retry policy, or pauses (enabled: false) and resumes it.',
    args: { input: t.arg({ type: UpdateSyncScheduleInput, required: true }) },
    errors: {
      types: [ValidationError, NotFoundError],
      union: { name: 'UpdateSyncScheduleResult' },
      result: { name: 'UpdateSyncSchedulePayload' },
      dataField: { name: 'schedule' },
    },
    resolve: (_root, { input }, ctx) =>
      updateSchedule(ctx.services, {
        id: scheduleId(input.id),
        entityTypes: given(input.entityTypes),
        every: given(input.every),
        cron: given(input.cron),
        timeZone: given(input.timeZone),
        enabled: given(input.enabled),
        retryAttempts: input.retryAttempts,
        retryDelay: input.retryDelay,
      }),
  }),
  deleteSyncSchedule: t.field({
    type: SyncScheduleRef,
    description: 'Deletes a schedule; its runs stay in the history. Answers the schedule as it was.',
    args: { input: t.arg({ type: DeleteSyncScheduleInput, required: true }) },
    errors: {
      types: [ValidationError, NotFoundError],
      union: { name: 'DeleteSyncScheduleResult' },
      result: { name: 'DeleteSyncSchedulePayload' },
      dataField: { name: 'schedule' },
    },
    resolve: (_root, { input }, ctx) => deleteSchedule(ctx.services, scheduleId(input.id)),
  }),
}));

builder.subscriptionField('syncSummaryChanged', (t) =>
  t.field({
    type: NetworkSyncSummary,
    description: 'The network’s sync summary now, then again each time it changes (a run starts or ends, a schedule changes or ticks).',
    args: { networkId: t.arg.int({ required: true, description: 'The Broadstreet network id.' }) },
    // The network is checked before the stream starts, as syncProgress checks its run: an unknown one is an
    // execution result with a GraphQL error (extensions.code NOT_FOUND), not a failed stream.
    subscribe: async (_root, { networkId }, ctx) => {
      const network = await ctx.services.db.network.findUnique({ where: { broadstreetId: networkId }, select: { id: true } });
      if (!network) throw new NotFoundError(`network ${networkId} is not in the local database`, 'NETWORK');
      return (async function* () {
        const changes = ctx.services.pubsub.subscribe('sync:summary', networkId);
        try {
          yield networkId;
          for await (const _change of changes) yield networkId;
        } finally {
          await changes.return();
        }
      })();
    },
    resolve: async (networkId: number, _args, ctx) => ({
      network: await ctx.services.db.network.findUniqueOrThrow({ where: { broadstreetId: networkId } }),
    }),
  }),
);
