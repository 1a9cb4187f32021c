// The dry run's plan: for each entity in scope, what an export would do —
// PLANNED_CREATE (under its own name, or the resolved one when Broadstreet has
// that name already), BLOCKED (why), UNCHANGED — with the fingerprints an
// applyPlan run compares (src/sync/plan/stamps.ts). Only lists are read from
// Broadstreet; nothing is sent and nothing local changes but the report.
import type { RunContext } from '../context.ts';
import { failureOf } from '../failures.ts';
import { localStamp, remoteStamp } from '../plan/stamps.ts';
import { EXPORT_SPECS, exportSpecOf, isNamed } from '../specs.ts';
import { nameScopeOf } from './name-scope.ts';
import { describe, entityOf, type PlanItem } from './plan.ts';
import { recordItems, type ExportState, type ItemRecord } from './state.ts';

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

type ExportedRow = Record<string, unknown> & { id: number; mongoId: string; broadstreetId?: number | null };

/** Every entity of the run's types already in Broadstreet: nothing to do for it. */
async function recordUnchanged(ctx: RunContext, state: ExportState): Promise<void> {
  const scope = ctx.scope ? new Set(ctx.scope.mongoIds) : null;
  for (const spec of EXPORT_SPECS.filter((s) => ctx.entityTypes.includes(s.type))) {
    await ctx.checkpoint();
    const model = ctx.db[spec.model] as unknown as { findMany(args: object): Promise<ExportedRow[]> };
    const rows = await model.findMany({
      where: { networkId: state.network.id, removedAt: null, ...spec.export.exported },
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
