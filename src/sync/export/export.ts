// Export: local → Broadstreet. Validation, then advertisers, zones, campaigns,
// placements (parents before children, children of a failed parent skipped),
// then cleanup. A dry run stops after validation, having sent nothing.
import { forEachEntity, RunFatal, type RunContext } from '../context.ts';
import { checkNetworkOrigin } from '../network-origin.ts';
import { EXPORT_SPECS, specOf } from '../specs.ts';
import { narrowToPlan } from './apply.ts';
import { createEntity } from './create.ts';
import { RemoteNames } from './names.ts';
import { syncError } from '../failures.ts';
import { buildPlan, describe, entityOf, itemKey, type ExportPlan, type PlanItem } from './plan.ts';
import { previewNames } from './preview.ts';
import { recordItems, type ExportState } from './state.ts';

export async function runExport(ctx: RunContext): Promise<void> {
  if (!ctx.network?.broadstreetId) throw new RunFatal(`network ${ctx.run.networkId} is not in the local database`);
  const network = (ctx.network = await checkNetworkOrigin(ctx, ctx.network));
  await ctx.progress.enterPhase('VALIDATION', 0, 'checking local entities');
  const plan = await buildPlan(ctx, network);
  if (ctx.run.applyPlanId != null) await narrowToPlan(ctx, plan, ctx.run.applyPlanId);
  ctx.progress.addToTotal(plan.items.length);
  const names = new RemoteNames((scope) => specOf(scope.type).list!(ctx.client, scope, { signal: ctx.signal }));
  const state: ExportState = { plan, names, outcomes: new Map(), retryable: new Map(), network };
  await reportBlocked(ctx, plan);
  if (ctx.run.dryRun) {
    await previewNames(ctx, state);
    return;
  }
  await recordItems(
    ctx,
    plan.items.filter((i) => !i.blocked).map((i) => ({ item: i, outcome: 'PENDING' })),
  );
  ctx.progress.advance(plan.items.filter((i) => !i.blocked).length, `${plan.items.length} local entities checked`);

  for (const spec of EXPORT_SPECS) {
    if (!ctx.entityTypes.includes(spec.type)) continue;
    const items = plan.items.filter((i) => i.type === spec.type && !i.blocked);
    await ctx.progress.enterPhase(spec.phase, items.length, `exporting ${items.length} ${spec.label}`);
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

/** Blocked entities fail (VALIDATION) or are skipped (DEPENDENCY; CONFLICT: changed since the plan) in the validation phase. */
async function reportBlocked(ctx: RunContext, plan: ExportPlan): Promise<void> {
  const blocked = plan.items.filter((i) => i.blocked);
  for (const item of blocked) {
    ctx.progress.error(item.blocked!);
    ctx.progress.record(item.type, item.blocked!.code === 'VALIDATION' ? 'failed' : 'skipped', item.blocked!.message);
  }
  await recordItems(
    ctx,
    blocked.map((item) => ({ item, outcome: item.blocked!.code === 'CONFLICT' ? 'CONFLICT' : 'BLOCKED', message: item.blocked!.message })),
  );
}

/** Intents of this run on rows that are now in Broadstreet are spent; clear any left behind. */
async function clearSpentIntents(ctx: RunContext): Promise<void> {
  await ctx.db.$transaction(
    EXPORT_SPECS.map(({ model, export: spec }) => {
      const delegate = ctx.db[model] as unknown as { updateMany(args: object): never };
      return delegate.updateMany({ where: { intentRunId: ctx.run.id, ...spec.exported }, data: spec.noIntent });
    }),
  );
}
