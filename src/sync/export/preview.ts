// The dry run's report: for each entity an export would send, whether it
// would be created under its own name or renamed. Only lists are read from
// Broadstreet; nothing is sent and nothing local changes but the report.
import { db } from '../../db/index.ts';
import type { RunContext } from '../context.ts';
import { failureOf } from '../failures.ts';
import type { ExportState, ItemRecord } from './export.ts';
import { recordItems } from './export.ts';
import type { NameScope } from './names.ts';
import { describe, entityOf, type PlanItem } from './plan.ts';

export async function previewNames(ctx: RunContext, state: ExportState): Promise<void> {
  const records: ItemRecord[] = [];
  for (const item of state.plan.items.filter((i) => !i.blocked)) {
    await ctx.checkpoint();
    records.push(await previewItem(ctx, state, item));
  }
  await recordItems(ctx, records);
}

async function previewItem(ctx: RunContext, state: ExportState, item: PlanItem): Promise<ItemRecord> {
  if (item.type === 'PLACEMENT') {
    ctx.progress.record(item.type, 'created', `would create ${describe(item)}`);
    return { item, outcome: 'PLANNED' };
  }
  let name: string;
  try {
    name = await state.names.resolve(await previewScope(state, item), item.name);
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

/** Campaigns under an advertiser that is itself new can only clash with each other. */
async function previewScope(state: ExportState, item: PlanItem): Promise<NameScope> {
  const networkId = state.network.broadstreetId!;
  if (item.type === 'ADVERTISER') return { kind: 'advertisers', networkId };
  if (item.type === 'ZONE') return { kind: 'zones', networkId };
  const { advertiser } = await db().campaign.findUniqueOrThrow({
    where: { id: item.id },
    select: { advertiser: { select: { id: true, broadstreetId: true } } },
  });
  if (advertiser.broadstreetId !== null) return { kind: 'campaigns', advertiserId: advertiser.broadstreetId };
  const scope: NameScope = { kind: 'campaigns', advertiserId: -advertiser.id };
  state.names.markEmpty(scope);
  return scope;
}
