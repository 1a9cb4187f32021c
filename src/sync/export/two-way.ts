// The two-way half of an export (DESIGN.md §2b): pushing local edits of
// synced entities (PUT with the changed fields; a placement's restrictions by
// deleting and re-creating its triple) and sending local deletes, children
// first. Before each write Broadstreet's current values are read and merged
// three ways: remote-only changes are taken, local-only ones pushed, and a
// field changed on both sides stops the entity as a CONFLICT, leaving both
// sides as they are. Every write is crash-safe: PUT and DELETE are idempotent
// and re-checked against Broadstreet on resume; a placement re-create records
// its intent (intentRunId) before the delete, so a resume that finds the
// triple gone creates it instead of taking it for a remote deletion.
// A transient failure (NETWORK, RATE_LIMIT) that outlasts a call's retry
// budget in a phase's first pass is not recorded: the entity is tried again
// in the phase's second pass (`final`), as creates are (DESIGN.md §3, 7).
import { BroadstreetError } from '../../broadstreet/index.ts';
import type { ExportableType } from '../../domain/enums.ts';
import type { Network } from '../../generated/prisma/client.ts';
import type { RunContext } from '../context.ts';
import { failureOf, isTransient, syncError } from '../failures.ts';
import { threeWayMerge, type FieldChange, type FieldConflict, type FieldValues } from '../merge.ts';
import type { RemoteTarget, TwoWaySpec } from '../spec.ts';
import { EXPORT_SPECS, exportSpecOf, specOf } from '../specs.ts';
import { baseOf, conflictOf, type StoredConflict } from '../status.ts';
import { localStamp, remoteStamp } from '../plan/stamps.ts';
import { remoteChangedSincePlan } from './since-plan.ts';
import { describe, entityOf, type PlanItem } from './plan.ts';
import { recordItems, type Result } from './state.ts';

/** The order deletes go in: children before parents. */
export const DELETE_ORDER: readonly ExportableType[] = ['PLACEMENT', 'CAMPAIGN', 'ADVERTISER', 'ZONE'];

const MAX_UNKNOWN_OUTCOMES = 5;

interface Row {
  id: number;
  mongoId: string;
  base: unknown;
  conflict: unknown;
  removedAt: Date | null;
  deletedAt: Date | null;
  syncedAt: Date | null;
  intentRunId?: number | null;
  [column: string]: unknown;
}

interface Model {
  findMany(args: object): Promise<Row[]>;
  findUnique(args: object): Promise<Row | null>;
  update(args: { where: { id: number }; data: object }): Promise<unknown>;
  updateMany(args: object): Promise<{ count: number }>;
  count(args: object): Promise<number>;
}

const modelOf = (ctx: RunContext, type: ExportableType) => ctx.db[specOf(type).model] as unknown as Model;
const twoWayOf = (type: ExportableType) => specOf(type).twoWay as TwoWaySpec<Row>;

export interface TwoWayItems {
  updates: PlanItem[];
  deletes: PlanItem[];
  /** Rows in CONFLICT: the export skips them until resolveConflict. */
  conflicts: PlanItem[];
}

/** The synced rows an export sends edits or deletes of, and those it must skip as conflicts. */
export async function loadTwoWayItems(ctx: RunContext, network: Network): Promise<TwoWayItems> {
  const scope = ctx.scope ? new Set(ctx.scope.mongoIds) : null;
  const items: TwoWayItems = { updates: [], deletes: [], conflicts: [] };
  for (const spec of EXPORT_SPECS) {
    if (!ctx.entityTypes.includes(spec.type) || !spec.twoWay) continue;
    const model = modelOf(ctx, spec.type);
    const base = { networkId: network.id, ...spec.export.exported };
    const read = (where: object) => model.findMany({ where: { ...base, ...where }, orderBy: { id: 'asc' }, include: spec.export.include });
    const [changed, deleting, conflicting] = await Promise.all([
      read({ changedAt: { not: null }, deletedAt: null, removedAt: null, conflictAt: null }),
      read({ deletedAt: { not: null }, removedAt: null, conflictAt: null }),
      read({ conflictAt: { not: null } }),
    ]);
    const itemOf = (row: Row, op: PlanItem['op']): PlanItem => ({
      type: spec.type,
      id: row.id,
      mongoId: row.mongoId,
      name: spec.export.nameOf(row),
      parents: [],
      op,
      stamp: localStamp(row, spec.export.include),
    });
    const inScope = (row: Row) => !scope || scope.has(row.mongoId);
    items.updates.push(...changed.filter(inScope).map((r) => itemOf(r, 'UPDATE')));
    items.deletes.push(...deleting.filter(inScope).map((r) => itemOf(r, 'DELETE')));
    items.conflicts.push(...conflicting.filter(inScope).map((r) => itemOf(r, 'UPDATE')));
  }
  return items;
}

/** Rows in CONFLICT are skipped, each with a CONFLICT error naming its fields (the run is PARTIAL). */
export async function reportConflicts(ctx: RunContext, items: PlanItem[]): Promise<void> {
  for (const item of items) {
    const row = await modelOf(ctx, item.type).findUnique({ where: { id: item.id } });
    const conflict = row && conflictOf(row);
    const message = `${describe(item)} skipped: ${conflict ? conflictWords(conflict) : 'it is in conflict with Broadstreet'}; settle it with resolveConflict`;
    ctx.progress.error(syncError('CONFLICT', message, entityOf(item), { retryable: false }));
    ctx.progress.record(item.type, 'conflicts', message);
    await recordItems(ctx, [{ item, outcome: 'CONFLICT', message, changes: conflict ? conflictChanges(conflict.fields) : [] }]);
  }
}

function conflictWords(conflict: StoredConflict): string {
  if (conflict.localDeleted) return 'it was deleted here and in Broadstreet';
  if (conflict.remoteDeleted) return 'Broadstreet no longer has it, and it was changed or deleted here';
  return `both sides changed ${conflict.fields.map((f) => f.field).join(', ')}`;
}

/** A conflict as field changes for the run's report: local → remote. */
const conflictChanges = (fields: FieldConflict[]): FieldChange[] =>
  fields.map((f) => ({ field: f.field, from: f.local, to: f.remote, driftChecked: true }));

/**
 * Pushes one synced row's local edits. `final`: in a phase's second pass, so a
 * transient failure is recorded; in the first it is deferred to the second.
 */
export async function pushUpdate(ctx: RunContext, item: PlanItem, final: boolean): Promise<Result> {
  const twoWay = twoWayOf(item.type);
  const model = modelOf(ctx, item.type);
  const row = await model.findUnique({ where: { id: item.id }, include: exportSpecOf(item.type).export.include });
  if (!row || row.conflict || row.removedAt || row.deletedAt) return { outcome: 'SKIPPED' };
  const target = twoWay.target(row);
  if (!target) return fail(ctx, item, new Error('not in Broadstreet'), `updating ${describe(item)}`, final);
  let remote: FieldValues | null;
  try {
    remote = await twoWay.fetch(ctx.client, target, { signal: ctx.signal });
  } catch (error) {
    return fail(ctx, item, error, `reading ${describe(item)} from Broadstreet before updating it`, final);
  }
  if (changedSincePlan(item, remote)) return remoteChangedSincePlan(ctx, item);
  const local = twoWay.localValues(row);
  const base = baseOf(row);
  // A re-create whose delete went through before a crash: the triple is gone because of this export.
  const recreating = item.type === 'PLACEMENT' && row.intentRunId != null;
  if (remote === null && !recreating)
    return conflict(ctx, item, row, { remoteDeleted: true, fields: remoteDeletedFields(twoWay, base, local) });
  const merge = threeWayMerge(twoWay.fields, base, local, remote);
  if (merge.conflicts.length > 0) return conflict(ctx, item, row, { remoteDeleted: false, fields: merge.conflicts });
  if (item.type === 'PLACEMENT')
    return recreatePlacement(ctx, item, target, merge.merged, remote === null ? [] : merge.push, remote === null, final);
  const push = merge.push;
  if (push.length > 0) {
    const changes = Object.fromEntries(push.map((c) => [c.field, c.to]));
    try {
      await twoWay.update!(ctx.client, target, changes, merge.merged, { signal: ctx.signal });
    } catch (error) {
      return fail(ctx, item, error, `updating ${describe(item)} in Broadstreet`, final);
    }
  }
  await agreed(ctx, item, merge.merged);
  return done(ctx, item, push, merge.take);
}

/** The row now agrees with Broadstreet on every field: its values, base, and no pending changes. */
async function agreed(ctx: RunContext, item: PlanItem, values: FieldValues): Promise<void> {
  const twoWay = twoWayOf(item.type);
  await modelOf(ctx, item.type).update({
    where: { id: item.id },
    data: { ...twoWay.columns(values), base: values, changedAt: null, syncedAt: new Date() },
  });
}

async function done(ctx: RunContext, item: PlanItem, pushed: FieldChange[], taken: FieldChange[]): Promise<Result> {
  if (taken.length > 0) ctx.progress.warn(`${describe(item)}: took ${taken.map((c) => c.field).join(', ')} as changed in Broadstreet`);
  if (pushed.length === 0) {
    ctx.progress.record(item.type, 'unchanged', `${describe(item)}: Broadstreet already has its changes`);
    await recordItems(ctx, [{ item, outcome: 'UNCHANGED', changes: [], message: 'Broadstreet already had these values' }]);
    return { outcome: 'UNCHANGED' };
  }
  ctx.progress.record(item.type, 'updated', `updated ${describe(item)}`);
  await recordItems(ctx, [{ item, outcome: 'UPDATED', changes: pushed }]);
  return { outcome: 'UPDATED' };
}

/**
 * A placement has no PUT: its triple is deleted and created again with the
 * new restrictions. The intent is recorded before the delete; a resume that
 * finds the triple gone (its delete went through) only creates.
 */
async function recreatePlacement(
  ctx: RunContext,
  item: PlanItem,
  target: RemoteTarget,
  merged: FieldValues,
  push: FieldChange[],
  remoteGone: boolean,
  final: boolean,
): Promise<Result> {
  if (!remoteGone && push.length === 0) {
    await modelOf(ctx, 'PLACEMENT').update({ where: { id: item.id }, data: { intentRunId: null } });
    await agreed(ctx, item, merged);
    return done(ctx, item, [], []);
  }
  const triple = 'triple' in target ? target.triple : null;
  if (!triple) return fail(ctx, item, new Error('no triple'), `re-creating ${describe(item)}`, final);
  const restrictions = (merged.restrictions as string[]) ?? [];
  const from = remoteGone ? null : (push[0]?.from ?? null);
  await modelOf(ctx, 'PLACEMENT').update({ where: { id: item.id }, data: { intentRunId: ctx.run.id } });
  const opts = { signal: ctx.signal };
  if (!remoteGone) {
    try {
      await ctx.client.deletePlacement(triple, opts);
    } catch (error) {
      if (!isNotFound(error)) return fail(ctx, item, error, `deleting ${describe(item)} to re-create it with new restrictions`, final);
    }
  }
  for (let unknown = 0; ; ) {
    try {
      await ctx.client.createPlacement({ ...triple, restrictions }, opts);
      break;
    } catch (error) {
      const outcomeUnknown = error instanceof BroadstreetError && (error.outcomeUnknown || error.code === 'VALIDATION');
      if (outcomeUnknown && ++unknown < MAX_UNKNOWN_OUTCOMES) {
        try {
          const found = await twoWayOf('PLACEMENT').fetch(ctx.client, target, opts);
          if (found) break;
        } catch (lookupError) {
          return fail(ctx, item, lookupError, `looking up ${describe(item)}`, final);
        }
        continue;
      }
      // The intent stays: the second pass (or the next export) finds the triple gone and creates it, never taking it for a remote deletion.
      return fail(ctx, item, error, `re-creating ${describe(item)} with new restrictions`, final);
    }
  }
  await modelOf(ctx, 'PLACEMENT').update({ where: { id: item.id }, data: { intentRunId: null } });
  await agreed(ctx, item, merged);
  return done(ctx, item, [{ field: 'restrictions', from, to: restrictions, driftChecked: true }], []);
}

/** The deletes of this phase's first pass deferred to its second: local row ids by type. */
export type DeferredDeletes = ReadonlyMap<ExportableType, ReadonlySet<number>>;

/**
 * Sends one local delete; children go first (the caller's order), and a parent
 * whose children are not all gone waits: for its children's second pass when
 * one of them was deferred to it (`deferred`), else for a later export.
 */
export async function pushDelete(ctx: RunContext, item: PlanItem, final: boolean, deferred: DeferredDeletes = new Map()): Promise<Result> {
  const twoWay = twoWayOf(item.type);
  const model = modelOf(ctx, item.type);
  const row = await model.findUnique({ where: { id: item.id }, include: exportSpecOf(item.type).export.include });
  if (!row || row.conflict || !row.deletedAt) return { outcome: 'SKIPPED' };
  if (row.removedAt) return deleted(ctx, item, 'already deleted');
  const waiting = await childrenNotGone(ctx, item, deferred);
  if (waiting?.deferredChild && !final) {
    ctx.progress.warn(`${describe(item)} waits for its children's deletes, tried again at the end of the phase`);
    return { outcome: 'SKIPPED', retryable: true, deferred: true };
  }
  if (waiting) {
    const message = `${describe(item)} not deleted: ${waiting.message}`;
    ctx.progress.error(syncError('DEPENDENCY', message, entityOf(item), { retryable: true }));
    ctx.progress.record(item.type, 'skipped', message);
    await recordItems(ctx, [{ item, outcome: 'SKIPPED', message }]);
    return { outcome: 'SKIPPED' };
  }
  const target = twoWay.target(row);
  if (!target) return fail(ctx, item, new Error('not in Broadstreet'), `deleting ${describe(item)}`, final);
  let remote: FieldValues | null;
  try {
    remote = await twoWay.fetch(ctx.client, target, { signal: ctx.signal });
  } catch (error) {
    return fail(ctx, item, error, `reading ${describe(item)} from Broadstreet before deleting it`, final);
  }
  if (changedSincePlan(item, remote)) return remoteChangedSincePlan(ctx, item);
  if (remote === null) return deleted(ctx, item, 'Broadstreet no longer had it');
  // Changed in Broadstreet since the two sides last agreed: deleting would throw that change away unseen.
  const merge = threeWayMerge(twoWay.fields, baseOf(row), twoWay.localValues(row), remote);
  const remoteChanges = merge.take.map((c) => ({ field: c.field, base: c.from, local: c.from, remote: c.to }));
  const conflicts = [...merge.conflicts, ...remoteChanges];
  if (conflicts.length > 0) return conflict(ctx, item, row, { remoteDeleted: false, fields: conflicts });
  try {
    await twoWay.delete(ctx.client, target, { signal: ctx.signal });
  } catch (error) {
    if (!isNotFound(error)) return fail(ctx, item, error, `deleting ${describe(item)} in Broadstreet`, final);
    return deleted(ctx, item, 'Broadstreet no longer had it (404)');
  }
  return deleted(ctx, item);
}

/**
 * Why a parent's delete must wait: children of it not yet deleted in
 * Broadstreet (or not removed here); deferredChild: one of them is deferred to
 * this phase's second pass.
 */
async function childrenNotGone(
  ctx: RunContext,
  item: PlanItem,
  deferred: DeferredDeletes,
): Promise<{ message: string; deferredChild: boolean } | null> {
  for (const relation of twoWayOf(item.type).children.filter((c) => !c.cascadeOnly)) {
    const model = ctx.db[relation.model] as unknown as Model;
    const where = { [relation.column]: item.id, removedAt: null };
    const left = await model.count({ where });
    if (left === 0) continue;
    // Matched here, not with `id IN (…)`: an outage can defer more deletes than a query may bind values.
    const deferredIds = deferred.get(relation.type as ExportableType);
    const deferredChild =
      !!deferredIds?.size && (await model.findMany({ where, select: { id: true } })).some((child) => deferredIds.has(child.id));
    return { message: `${left} of its ${relation.type.toLowerCase()}(s) are not deleted in Broadstreet yet`, deferredChild };
  }
  return null;
}

/**
 * applyPlan: Broadstreet's values are not what the plan saw. Checked before
 * this run's first write of the entity only: what a second pass finds may be
 * that write's own doing (a PUT or DELETE whose answer was lost, a re-create's
 * delete), never a change since the plan.
 */
function changedSincePlan(item: PlanItem, remote: FieldValues | null): boolean {
  if (item.plannedRemote === undefined || item.planChecked) return false;
  if (remoteStamp(remote) !== item.plannedRemote) return true;
  item.planChecked = true;
  return false;
}

/** The row is gone from Broadstreet: removed here, kept in the audit trail (as are rows that hung off it only there). */
async function deleted(ctx: RunContext, item: PlanItem, how?: string): Promise<Result> {
  const now = new Date();
  await ctx.db.$transaction(async (tx) => {
    await (tx[specOf(item.type).model] as unknown as Model).update({
      where: { id: item.id },
      data: { removedAt: now, changedAt: null, intentRunId: null },
    });
    for (const relation of twoWayOf(item.type).children.filter((c) => c.cascadeOnly)) {
      await (tx[relation.model] as unknown as Model).updateMany({
        where: { [relation.column]: item.id, removedAt: null },
        data: { removedAt: now },
      });
    }
  });
  ctx.progress.record(item.type, 'deleted', `deleted ${describe(item)}${how ? `: ${how}` : ''}`);
  await recordItems(ctx, [{ item, outcome: 'DELETED', message: how }]);
  return { outcome: 'DELETED' };
}

/** Both sides changed the entity: stored as its conflict, both sides left as they are, the run PARTIAL. */
async function conflict(
  ctx: RunContext,
  item: PlanItem,
  row: Row,
  found: { remoteDeleted: boolean; fields: FieldConflict[] },
): Promise<Result> {
  const now = new Date();
  const stored: StoredConflict = { detectedAt: now.toISOString(), runId: ctx.run.id, ...found };
  await modelOf(ctx, item.type).update({ where: { id: row.id }, data: { conflict: stored as never, conflictAt: now } });
  const message = `${describe(item)} not exported: ${conflictWords(stored)} (resolve it with resolveConflict)`;
  ctx.progress.error(syncError('CONFLICT', message, entityOf(item), { retryable: false }));
  ctx.progress.record(item.type, 'conflicts', message);
  await recordItems(ctx, [{ item, outcome: 'CONFLICT', message, changes: conflictChanges(found.fields) }]);
  return { outcome: 'CONFLICT', retryable: false };
}

/** A remote deletion met local changes: each changed field, Broadstreet's side null. */
function remoteDeletedFields(twoWay: TwoWaySpec<Row>, base: FieldValues | null, local: FieldValues): FieldConflict[] {
  const merge = threeWayMerge(twoWay.fields, base, local, null);
  return merge.push.map((c) => ({ field: c.field, base: c.from, local: c.to, remote: null }));
}

function isNotFound(error: unknown): boolean {
  return error instanceof BroadstreetError && error.code === 'NOT_FOUND';
}

async function fail(ctx: RunContext, item: PlanItem, error: unknown, doing: string, final: boolean): Promise<Result> {
  const failure =
    error instanceof BroadstreetError || (error as { name?: string })?.name === 'AbortError'
      ? failureOf(error, entityOf(item), doing)
      : syncError('DEPENDENCY', `${doing}: ${(error as Error).message}`, entityOf(item), { retryable: false });
  if (!final && isTransient(failure)) {
    ctx.progress.warn(`${failure.message}; tried again at the end of the phase`);
    return { outcome: 'FAILED', retryable: true, deferred: true };
  }
  ctx.progress.error(failure);
  ctx.progress.record(item.type, 'failed', failure.message);
  await recordItems(ctx, [{ item, outcome: 'FAILED', message: failure.message }]);
  return { outcome: 'FAILED', retryable: failure.retryable };
}
