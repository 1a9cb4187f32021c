// The dry run's report: for each entity an export would send, whether it
// would be created under its own name or renamed. Only lists are read from
// Broadstreet; nothing is sent and nothing local changes but the report.
import type { RunContext } from '../context.ts';
import { failureOf } from '../failures.ts';
import { exportSpecOf, isNamed } from '../specs.ts';
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
}

async function previewItem(ctx: RunContext, state: ExportState, item: PlanItem): Promise<ItemRecord> {
  const spec = exportSpecOf(item.type);
  if (!isNamed(spec)) {
    ctx.progress.record(item.type, 'created', `would create ${describe(item)}`);
    return { item, outcome: 'PLANNED' };
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
    return { item, outcome: 'PLANNED' };
  }
  const message = `${describe(item)} exists in Broadstreet already: would be created as "${name}"`;
  ctx.progress.warn(message);
  ctx.progress.record(item.type, 'created', message);
  return { item, outcome: 'RENAMED', resolvedName: name, message };
}
