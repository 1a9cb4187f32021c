// Export: local → Broadstreet. Validation, then advertisers, zones, campaigns,
// placements (parents before children, children of a failed parent skipped),
// then cleanup. A dry run stops after validation, having sent nothing.
import { db } from '../../db/index.ts';
import type { SyncPhase } from '../../domain/enums.ts';
import type { Network } from '../../generated/prisma/client.ts';
import { forEachEntity, RunFatal, type RunContext } from '../context.ts';
import { createEntity, type Outcome } from './create.ts';
import { checkNetworkOrigin } from '../network-origin.ts';
import { RemoteNames } from './names.ts';
import { syncError } from '../failures.ts';
import { buildPlan, describe, entityOf, itemKey, type ExportPlan, type ExportType, type PlanItem } from './plan.ts';
import { previewNames } from './preview.ts';

const PHASES: [ExportType, SyncPhase][] = [
  ['ADVERTISER', 'ADVERTISERS'],
  ['ZONE', 'ZONES'],
  ['CAMPAIGN', 'CAMPAIGNS'],
  ['PLACEMENT', 'PLACEMENTS'],
];

export interface ExportState {
  plan: ExportPlan;
  names: RemoteNames;
  outcomes: Map<string, Outcome>;
  /** Of failed and skipped items: whether a retry run could succeed. */
  retryable: Map<string, boolean>;
  network: Network;
}

export async function runExport(ctx: RunContext): Promise<void> {
  if (!ctx.network?.broadstreetId) throw new RunFatal(`network ${ctx.run.networkId} is not in the local database`);
  const network = (ctx.network = await checkNetworkOrigin(ctx, ctx.network));
  await ctx.progress.enterPhase('VALIDATION', 0, 'checking local entities');
  const plan = await buildPlan(ctx, network);
  ctx.progress.addToTotal(plan.items.length);
  const names = new RemoteNames(ctx.client, ctx.signal);
  const state: ExportState = { plan, names, outcomes: new Map(), retryable: new Map(), network };
  await reportBlocked(ctx, plan);
  if (ctx.run.dryRun) {
    await previewNames(ctx, state);
    return;
  }
  await recordItems(ctx, plan.items.filter((i) => !i.blocked).map((i) => ({ item: i, outcome: 'PENDING' })));
  ctx.progress.advance(plan.items.filter((i) => !i.blocked).length, `${plan.items.length} local entities checked`);

  for (const [type, phase] of PHASES) {
    if (!ctx.entityTypes.includes(type)) continue;
    const items = plan.items.filter((i) => i.type === type && !i.blocked);
    await ctx.progress.enterPhase(phase, items.length, `exporting ${items.length} ${phase.toLowerCase()}`);
    await forEachEntity(ctx, items, (item) => exportItem(ctx, state, item));
    await ctx.progress.flush();
  }
  await ctx.progress.enterPhase('CLEANUP', 0, 'clearing spent intents');
  await clearSpentIntents(ctx);
}

async function exportItem(ctx: RunContext, state: ExportState, item: PlanItem): Promise<void> {
  await ctx.checkpoint();
  const failedParent = item.parents
    .map((p) => ({ parent: state.plan.byKey.get(itemKey(p.type, p.id))!, outcome: state.outcomes.get(itemKey(p.type, p.id)) }))
    .find(({ outcome }) => outcome === 'FAILED' || outcome === 'SKIPPED');
  const key = itemKey(item.type, item.id);
  if (failedParent) {
    const message = `${describe(item)} skipped: its ${failedParent.parent.type.toLowerCase()} "${failedParent.parent.name}" was not exported`;
    const retryable = state.retryable.get(itemKey(failedParent.parent.type, failedParent.parent.id)) ?? false;
    state.outcomes.set(key, 'SKIPPED');
    state.retryable.set(key, retryable);
    ctx.progress.error(syncError('DEPENDENCY', message, entityOf(item), { retryable }));
    ctx.progress.record(item.type, 'skipped', message);
    await recordItems(ctx, [{ item, outcome: 'SKIPPED', message }]);
    return;
  }
  const result = await createEntity(ctx, state, item);
  state.outcomes.set(key, result.outcome);
  // A failure whose lookup or create could not be classified is taken as transient.
  if (result.outcome === 'FAILED') state.retryable.set(key, result.retryable ?? true);
}

/** Blocked entities fail (VALIDATION) or are skipped (DEPENDENCY) in the validation phase. */
async function reportBlocked(ctx: RunContext, plan: ExportPlan): Promise<void> {
  const blocked = plan.items.filter((i) => i.blocked);
  for (const item of blocked) {
    ctx.progress.error(item.blocked!);
    ctx.progress.record(item.type, item.blocked!.code === 'VALIDATION' ? 'failed' : 'skipped', item.blocked!.message);
  }
  await recordItems(ctx, blocked.map((item) => ({ item, outcome: 'BLOCKED', message: item.blocked!.message })));
}

const IN_CHUNK = 500;

export interface ItemRecord {
  item: PlanItem;
  outcome: string;
  message?: string;
  resolvedName?: string;
  broadstreetId?: number;
}

/** Writes the per-entity report (SyncItem), creating or updating each row. */
export async function recordItems(ctx: RunContext, records: ItemRecord[]): Promise<void> {
  if (records.length === 0) return;
  const existing = new Set<string>();
  // In chunks: Prisma refuses a query with more bound values than the database
  // allows (an export of 1,000 entities failed here at once on SQLite).
  for (let i = 0; i < records.length; i += IN_CHUNK) {
    const mongoIds = records.slice(i, i + IN_CHUNK).map((r) => r.item.mongoId);
    const rows = await db().syncItem.findMany({ where: { runId: ctx.run.id, mongoId: { in: mongoIds } }, select: { mongoId: true } });
    for (const row of rows) existing.add(row.mongoId);
  }
  const data = (r: ItemRecord) => ({
    outcome: r.outcome,
    message: r.message ?? null,
    resolvedName: r.resolvedName ?? null,
    broadstreetId: r.broadstreetId ?? null,
  });
  const fresh = records.filter((r) => !existing.has(r.item.mongoId));
  if (fresh.length > 0) {
    await db().syncItem.createMany({
      data: fresh.map((r) => ({ runId: ctx.run.id, entityType: r.item.type, mongoId: r.item.mongoId, name: r.item.name, ...data(r) })),
    });
  }
  const known = records.filter((r) => existing.has(r.item.mongoId));
  if (known.length > 0) {
    await db().$transaction(
      known.map((r) => db().syncItem.update({ where: { runId_mongoId: { runId: ctx.run.id, mongoId: r.item.mongoId } }, data: data(r) })),
    );
  }
}

/** Intents of this run on rows that are now in Broadstreet are spent; clear any left behind. */
async function clearSpentIntents(ctx: RunContext): Promise<void> {
  const spent = { where: { intentRunId: ctx.run.id, broadstreetId: { not: null } }, data: { intentName: null, intentRunId: null } };
  await db().$transaction([
    db().advertiser.updateMany(spent),
    db().zone.updateMany(spent),
    db().campaign.updateMany(spent),
    db().placement.updateMany({ where: { intentRunId: ctx.run.id, syncedAt: { not: null } }, data: { intentRunId: null } }),
  ]);
}
