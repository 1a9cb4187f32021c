// The dry run's plan: for each entity in scope, what an export would do —
// PLANNED_CREATE (under its own name, or the resolved one when Broadstreet has
// that name already), PLANNED_UPDATE (each field from Broadstreet's value to
// the local one; driftChecked false for fields Broadstreet never returns),
// PLANNED_DELETE, CONFLICT (the fields both sides changed), BLOCKED (why),
// UNCHANGED — with the fingerprints an applyPlan run compares
// (src/sync/plan/stamps.ts). Broadstreet is only read (lists, and each edited
// or deleted entity); nothing is sent and nothing local changes but the report.
import type { RunContext } from '../context.ts';
import { failureOf, syncError } from '../failures.ts';
import { threeWayMerge, type FieldChange, type FieldValues } from '../merge.ts';
import type { TwoWaySpec } from '../spec.ts';
import { baseOf } from '../status.ts';
import { localStamp, remoteStamp } from '../plan/stamps.ts';
import { EXPORT_SPECS, exportSpecOf, isNamed, specOf } from '../specs.ts';
import { nameScopeOf } from './name-scope.ts';
import { describe, entityOf, type PlanItem } from './plan.ts';
import { recordItems, type ExportState, type ItemRecord } from './state.ts';
import type { TwoWayItems } from './two-way.ts';

export async function previewNames(ctx: RunContext, state: ExportState): Promise<void> {
  const records: ItemRecord[] = [];
  for (const item of state.plan.items.filter((i) => !i.blocked)) {
    await ctx.checkpoint();
    records.push(await previewItem(ctx, state, item));
  }
  await recordItems(ctx, records);
  await recordUnchanged(ctx, state);
}

/** What the plan saw in Broadstreet for a create: the name it would use. */
export const createdNameStamp = (name: string) => remoteStamp({ name });

async function previewItem(ctx: RunContext, state: ExportState, item: PlanItem): Promise<ItemRecord> {
  const spec = exportSpecOf(item.type);
  const planned = { item, outcome: 'PLANNED_CREATE', localStamp: item.stamp } as const;
  if (!isNamed(spec)) {
    ctx.progress.record(item.type, 'created', `would create ${describe(item)}`);
    return { ...planned, remoteStamp: remoteStamp({ triple: item.name }) };
  }
  let name: string;
  try {
    name = await state.names.resolve(await nameScopeOf(ctx, state, spec, item), item.name);
  } catch (error) {
    const failure = failureOf(error, entityOf(item), `listing names for ${describe(item)}`);
    ctx.progress.error(failure);
    ctx.progress.record(item.type, 'failed', failure.message);
    return { item, outcome: 'BLOCKED', message: failure.message };
  }
  if (name === item.name) {
    ctx.progress.record(item.type, 'created', `would create ${describe(item)}`);
    return { ...planned, remoteStamp: createdNameStamp(name) };
  }
  const message = `${describe(item)} exists in Broadstreet already: would be created as "${name}"`;
  ctx.progress.warn(message);
  ctx.progress.record(item.type, 'created', message);
  return { ...planned, resolvedName: name, message, remoteStamp: createdNameStamp(name) };
}

const UNTOUCHED = { changedAt: null, deletedAt: null, conflictAt: null };

type ExportedRow = Record<string, unknown> & { id: number; mongoId: string; broadstreetId?: number | null };

/** Every entity of the run's types already in Broadstreet: nothing to do for it. */
async function recordUnchanged(ctx: RunContext, state: ExportState): Promise<void> {
  const scope = ctx.scope ? new Set(ctx.scope.mongoIds) : null;
  for (const spec of EXPORT_SPECS.filter((s) => ctx.entityTypes.includes(s.type))) {
    await ctx.checkpoint();
    const model = ctx.db[spec.model] as unknown as { findMany(args: object): Promise<ExportedRow[]> };
    const rows = await model.findMany({
      // Edited, deleted or conflicting rows are planned on their own (previewTwoWay, reportConflicts).
      where: { networkId: state.network.id, removedAt: null, ...spec.export.exported, ...(spec.twoWay ? UNTOUCHED : {}) },
      orderBy: { id: 'asc' },
      include: spec.export.include,
    });
    const records: ItemRecord[] = rows
      .filter((row) => !scope || scope.has(row.mongoId))
      .map((row) => ({
        item: { type: spec.type, id: row.id, mongoId: row.mongoId, name: spec.export.nameOf(row), parents: [], stamp: '' },
        outcome: 'UNCHANGED',
        broadstreetId: row.broadstreetId ?? undefined,
        localStamp: localStamp(row, spec.export.include),
      }));
    ctx.progress.count(spec.type, 'unchanged', records.length);
    await recordItems(ctx, records);
  }
}

type TwoWayRow = Record<string, unknown> & { id: number; syncedAt: Date | null; removedAt: Date | null };

/** The edits and deletes of synced rows: each entity read from Broadstreet and merged three ways, as the export will. */
export async function previewTwoWay(ctx: RunContext, twoWay: TwoWayItems): Promise<void> {
  const records: ItemRecord[] = [];
  for (const item of [...twoWay.updates, ...twoWay.deletes]) {
    await ctx.checkpoint();
    records.push(await previewChange(ctx, item));
  }
  await recordItems(ctx, records);
}

async function previewChange(ctx: RunContext, item: PlanItem): Promise<ItemRecord> {
  const spec = specOf(item.type);
  const two = spec.twoWay as TwoWaySpec<TwoWayRow>;
  const model = ctx.db[spec.model] as unknown as { findUnique(args: object): Promise<TwoWayRow | null> };
  const row = await model.findUnique({ where: { id: item.id }, include: exportSpecOf(item.type).export.include });
  const target = row && two.target(row);
  const deleting = item.op === 'DELETE';
  const doing = deleting ? 'deleting' : 'updating';
  if (!row || !target) return blocked(ctx, item, `${describe(item)} cannot be found in Broadstreet to ${deleting ? 'delete' : 'update'}`);
  let remote: FieldValues | null;
  try {
    remote = await two.fetch(ctx.client, target, { signal: ctx.signal });
  } catch (error) {
    const failure = failureOf(error, entityOf(item), `reading ${describe(item)} from Broadstreet before ${doing} it`);
    ctx.progress.error(failure);
    ctx.progress.record(item.type, 'failed', failure.message);
    return { item, outcome: 'BLOCKED', message: failure.message };
  }
  const stamps = { localStamp: item.stamp, remoteStamp: remoteStamp(remote) };
  const local = two.localValues(row);
  const merge = threeWayMerge(two.fields, baseOf(row), local, remote);
  const taken = merge.take.length > 0 ? `; would take ${merge.take.map((c) => c.field).join(', ')} as changed in Broadstreet` : '';
  const recreating = item.type === 'PLACEMENT' && row.intentRunId != null;
  if (deleting) {
    if (remote === null) {
      ctx.progress.record(item.type, 'deleted', `would mark ${describe(item)} removed: Broadstreet no longer has it`);
      return { item, outcome: 'PLANNED_DELETE', message: 'Broadstreet no longer has it: nothing to send', ...stamps };
    }
    const changedThere = [...merge.conflicts.map((c) => c.field), ...merge.take.map((c) => c.field)];
    if (changedThere.length > 0) {
      return conflictItem(
        ctx,
        item,
        `changed in Broadstreet (${changedThere.join(', ')}) since the two sides last agreed`,
        [...merge.take, ...merge.conflicts.map((c) => ({ field: c.field, from: c.local, to: c.remote, driftChecked: true }))],
        stamps,
      );
    }
    ctx.progress.record(item.type, 'deleted', `would delete ${describe(item)}`);
    return { item, outcome: 'PLANNED_DELETE', ...stamps };
  }
  if (remote === null && !recreating) {
    return conflictItem(ctx, item, 'Broadstreet no longer has it, and it was changed here', merge.push, stamps);
  }
  if (merge.conflicts.length > 0) {
    const fields = merge.conflicts.map((c) => c.field).join(', ');
    const changes = merge.conflicts.map((c) => ({ field: c.field, from: c.local, to: c.remote, driftChecked: true }));
    return conflictItem(ctx, item, `both sides changed ${fields}`, changes, stamps);
  }
  if (merge.push.length === 0) {
    ctx.progress.record(item.type, 'unchanged', `${describe(item)}: Broadstreet already has its changes`);
    return { item, outcome: 'UNCHANGED', changes: [], message: `Broadstreet already has these values${taken}`, ...stamps };
  }
  ctx.progress.record(item.type, 'updated', `would update ${describe(item)}`);
  const how = item.type === 'PLACEMENT' ? 'a placement has no PUT: its triple would be deleted and created again' : '';
  const unchecked = merge.push.filter((c) => !c.driftChecked).map((c) => c.field);
  const notes = [
    how,
    unchecked.length > 0
      ? `${unchecked.join(', ')}: Broadstreet never returns ${unchecked.length > 1 ? 'these' : 'this'}, so not drift-checked`
      : '',
    taken.slice(2),
  ].filter(Boolean);
  return { item, outcome: 'PLANNED_UPDATE', changes: merge.push, message: notes.join('; ') || undefined, ...stamps };
}

function conflictItem(
  ctx: RunContext,
  item: PlanItem,
  why: string,
  changes: FieldChange[],
  stamps: { localStamp: string; remoteStamp: string },
): ItemRecord {
  const message = `${describe(item)} would not be exported: ${why} (resolve it with resolveConflict after an import or export finds it)`;
  ctx.progress.error(syncError('CONFLICT', message, entityOf(item), { retryable: false }));
  ctx.progress.record(item.type, 'conflicts', message);
  return { item, outcome: 'CONFLICT', changes, message, ...stamps };
}

function blocked(ctx: RunContext, item: PlanItem, message: string): ItemRecord {
  ctx.progress.error(syncError('DEPENDENCY', message, entityOf(item), { retryable: false }));
  ctx.progress.record(item.type, 'skipped', message);
  return { item, outcome: 'BLOCKED', message };
}
