// Export: local → Broadstreet. Validation, then advertisers, zones, campaigns,
// placements (creates and updates, each as soon as its parents are done —
// one pipeline, not phases waiting for each other; children of a failed
// parent skipped), then cleanup: deletes, children first (placements,
// campaigns, advertisers and zones), and spent intents. Every phase ends with
// a second pass over what failed on a transient error in its first. Rows in
// conflict are skipped. A dry run stops after validation, having sent nothing.
import type { ExportableType } from '../../domain/enums.ts';
import pLimit from 'p-limit';
import { forEachEntity, inFlight, RunFatal, type RunContext, rejectedReasons, throwMostSevere } from '../context.ts';
import { checkNetworkOrigin } from '../network-origin.ts';
import { EXPORT_SPECS, isNamed, specOf, type ExportableSpec } from '../specs.ts';
import { narrowCreates, narrowTwoWay, StoredPlan } from './apply.ts';
import { createEntity } from './create.ts';
import { RemoteNames } from './names.ts';
import { isOutage, syncError } from '../failures.ts';
import { buildPlan, describe, entityOf, itemKey, type ExportPlan, type PlanItem } from './plan.ts';
import { previewNames, previewTwoWay } from './preview.ts';
import { recordItems, type ExportState } from './state.ts';
import { DELETE_ORDER, loadTwoWayItems, pushDelete, pushUpdate, reportConflicts, type TwoWayItems } from './two-way.ts';

export async function runExport(ctx: RunContext): Promise<void> {
  if (!ctx.network?.broadstreetId) throw new RunFatal(`network ${ctx.run.networkId} is not in the local database`);
  const network = (ctx.network = await checkNetworkOrigin(ctx, ctx.network));
  await ctx.progress.enterPhase('VALIDATION', 0, 'checking local entities');
  const plan = await buildPlan(ctx, network);
  const twoWay = await loadTwoWayItems(ctx, network);
  if (ctx.run.applyPlanId != null) {
    const stored = await StoredPlan.load(ctx, ctx.run.applyPlanId);
    narrowCreates(plan, stored);
    // What changed since the plan is skipped as CONFLICT with the blocked entities.
    plan.items.push(...narrowTwoWay(twoWay, stored), ...stored.leftOver());
  }
  ctx.progress.addToTotal(plan.items.length + twoWay.conflicts.length);
  const names = new RemoteNames((scope) => specOf(scope.type).list!(ctx.client, scope, { signal: ctx.signal }));
  const state: ExportState = { plan, names, outcomes: new Map(), retryable: new Map(), network, secondPass: new Set() };
  if (!ctx.run.dryRun) prefetchNetworkNames(ctx, state);
  await reportBlocked(ctx, plan);
  await reportConflicts(ctx, twoWay.conflicts);
  if (ctx.run.dryRun) {
    await previewNames(ctx, state);
    await previewTwoWay(ctx, twoWay);
    return;
  }
  await recordItems(
    ctx,
    plan.items.filter((i) => !i.blocked).map((i) => ({ item: i, outcome: 'PENDING' })),
  );
  ctx.progress.advance(plan.items.filter((i) => !i.blocked).length, `${plan.items.length} local entities checked`);

  try {
    const phases = EXPORT_SPECS.filter((spec) => ctx.entityTypes.includes(spec.type)).map((spec) => ({
      spec,
      items: [...plan.items.filter((i) => i.type === spec.type && !i.blocked), ...twoWay.updates.filter((i) => i.type === spec.type)],
    }));
    await exportPhases(ctx, state, phases);
    await ctx.progress.flush();
    await ctx.progress.enterPhase('CLEANUP', twoWay.deletes.length, `deleting ${twoWay.deletes.length} entities in Broadstreet`);
    await deletePhase(ctx, state, twoWay.deletes);
  } catch (error) {
    if (isOutage(error)) await recordUnfinished(ctx, state, twoWay, error.message);
    throw error;
  }
  await ctx.progress.flush();
  await clearSpentIntents(ctx);
}

/**
 * The network-wide name lists the creates will check (advertisers, zones),
 * read as soon as the plan is known rather than each when its phase begins:
 * the zones' list then arrives while the advertisers are created, instead of
 * leaving the limiter idle for a round trip between the two, and the first
 * goes out before the plan's items are stored. Only for a type with a create
 * to make, so no list is read that the run would not read anyway.
 */
function prefetchNetworkNames(ctx: RunContext, state: ExportState): void {
  const networkId = state.network.broadstreetId!;
  for (const spec of EXPORT_SPECS) {
    if (!ctx.entityTypes.includes(spec.type) || !isNamed(spec) || spec.export.how.nameScope.under !== 'network') continue;
    if (state.plan.items.some((i) => i.type === spec.type && !i.blocked && (i.op ?? 'CREATE') === 'CREATE'))
      state.names.prefetch({ type: spec.type, networkId, parentId: networkId });
  }
}

/**
 * The deletes, children before parents (placements, campaigns, advertisers,
 * zones), then a second pass in the same order over those deferred: failed on
 * a transient error, or parents of such a child, which wait for it. A parent
 * whose children could not be deleted waits for a later export.
 */
async function deletePhase(ctx: RunContext, state: ExportState, deletes: PlanItem[]): Promise<void> {
  const deferred = new Map<ExportableType, Set<number>>();
  const inOrder = async (items: PlanItem[], final: boolean) => {
    for (const type of DELETE_ORDER) {
      await forEachEntity(
        ctx,
        items.filter((i) => i.type === type),
        async (item) => {
          await ctx.checkpoint();
          const result = await pushDelete(ctx, item, final, deferred);
          if (result.deferred) {
            deferred.set(type, (deferred.get(type) ?? new Set()).add(item.id));
            return;
          }
          state.outcomes.set(itemKey(item.type, item.id), result.outcome);
        },
      );
    }
  };
  await inOrder(deletes, false);
  const again = deletes.filter((i) => deferred.get(i.type)?.has(i.id));
  if (again.length === 0) return;
  ctx.progress.note(`second pass: ${again.length} deletes that failed on a transient error or wait for one`);
  await inOrder(again, true);
}

/**
 * The phases as one pipeline rather than one after another. A phase is
 * entered once every item of the phase before has started, and each item
 * starts as soon as its parents have their final outcome: the first creates
 * of a phase go out while the last calls of the one before are in flight, so
 * the limiter is not left idle for a round trip at every phase boundary. One
 * budget of calls in flight (inFlight) serves every phase. Each phase still
 * ends with a second pass over its items that failed on a transient error
 * (NETWORK, RATE_LIMIT), recorded only if they fail again, and a child of
 * such an item waits for that pass. Once an item throws (cancel, shutdown, a
 * fatal failure, an outage), nothing more starts.
 */
async function exportPhases(ctx: RunContext, state: ExportState, phases: { spec: ExportableSpec; items: PlanItem[] }[]): Promise<void> {
  const limit = pLimit(inFlight(ctx));
  const inSlot = (fn: () => Promise<void>) =>
    limit(() => {
      limit.concurrency = inFlight(ctx);
      return fn();
    });
  // Settled when an item's outcome is final: its children may start.
  const final = new Map<string, { settled: Promise<void>; settle(): void }>();
  for (const { items } of phases) {
    for (const item of items) {
      let settle!: () => void;
      const settled = new Promise<void>((resolve) => (settle = resolve));
      final.set(itemKey(item.type, item.id), { settled, settle });
    }
  }
  const settle = (item: PlanItem) => final.get(itemKey(item.type, item.id))?.settle();
  // Parents outside this run's phases (another type, or exported already) are final already.
  const parentsFinal = (item: PlanItem) => Promise.all(item.parents.map((p) => final.get(itemKey(p.type, p.id))?.settled));
  let stopped = false;
  /** One item once: 'deferred' when its first pass left it for the second. */
  const exportOnce = async (item: PlanItem): Promise<'deferred' | undefined> => {
    try {
      if (stopped) return undefined;
      return await exportItem(ctx, state, item);
    } catch (error) {
      stopped = true;
      throw error;
    }
  };

  const phaseRuns: Promise<void>[] = [];
  let previousStarted: Promise<void> = Promise.resolve();
  let previous: ExportableSpec | undefined;
  try {
    for (const { spec, items } of phases) {
      await previousStarted;
      if (stopped) break;
      // What the phase before still finishes counts for it, not for this one.
      if (previous) ctx.progress.trail(previous.type);
      await ctx.progress.enterPhase(spec.phase, items.length, `exporting ${items.length} ${spec.label}`);
      let started = 0;
      let allStarted!: () => void;
      previousStarted = new Promise<void>((resolve) => (allStarted = resolve));
      if (items.length === 0) allStarted();
      const again: PlanItem[] = [];
      const firstPass = Promise.allSettled(
        items.map(async (item) => {
          await parentsFinal(item);
          await inSlot(async () => {
            if (++started === items.length) allStarted();
            let deferred = false;
            try {
              deferred = (await exportOnce(item)) === 'deferred';
              if (deferred) again.push(item);
            } finally {
              // A deferred item is final only after its second pass.
              if (!deferred) settle(item);
            }
          });
        }),
      );
      const run = firstPass.then(async (settled) => {
        const errors = rejectedReasons(settled);
        if (again.length > 0 && errors.length === 0 && !stopped) {
          ctx.progress.note(`second pass: ${again.length} ${spec.label} that failed on a transient error`);
          for (const item of again) state.secondPass.add(itemKey(item.type, item.id));
          const secondPass = await Promise.allSettled(
            again.map((item) => inSlot(() => exportOnce(item).then(() => {})).finally(() => settle(item))),
          );
          errors.push(...rejectedReasons(secondPass));
        }
        for (const item of again) settle(item);
        throwMostSevere(errors);
      });
      // Awaited below, after the last phase has started: handled now, so that a failure meanwhile is not an unhandled rejection.
      run.catch(() => {});
      phaseRuns.push(run);
      previous = spec;
    }
  } catch (error) {
    // A phase that could not begin (its progress not stored): what is in flight ends before the run does.
    stopped = true;
    await Promise.allSettled(phaseRuns);
    throw error;
  }
  throwMostSevere(rejectedReasons(await Promise.allSettled(phaseRuns)));
}

/**
 * Broadstreet stayed unreachable past the outage budget: every entity the run
 * had not finished is recorded as not exported (NETWORK, retryable), so the
 * run's report names them and a retryOf run takes exactly them up.
 */
async function recordUnfinished(ctx: RunContext, state: ExportState, twoWay: TwoWayItems, reason: string): Promise<void> {
  const unfinished = [...state.plan.items, ...twoWay.updates, ...twoWay.deletes].filter(
    (i) => !i.blocked && ctx.entityTypes.includes(i.type) && !state.outcomes.has(itemKey(i.type, i.id)),
  );
  for (const item of unfinished) {
    const message = `${describe(item)} not exported: ${reason}`;
    ctx.progress.error(syncError('NETWORK', message, entityOf(item), { retryable: true }));
    ctx.progress.count(item.type, 'skipped');
  }
  await recordItems(
    ctx,
    unfinished.map((item) => ({ item, outcome: 'SKIPPED', message: `not exported: ${reason}` })),
  );
}

async function exportItem(ctx: RunContext, state: ExportState, item: PlanItem): Promise<'deferred' | undefined> {
  await ctx.checkpoint();
  const failedParent = item.parents
    .map((p) => ({ parent: state.plan.byKey.get(itemKey(p.type, p.id))!, outcome: state.outcomes.get(itemKey(p.type, p.id)) }))
    .find(({ outcome }) => outcome === 'FAILED' || outcome === 'SKIPPED');
  const key = itemKey(item.type, item.id);
  if (failedParent) {
    const message =
      `${describe(item)} skipped: its ${failedParent.parent.type.toLowerCase()} ` + `"${failedParent.parent.name}" was not exported`;
    const retryable = state.retryable.get(itemKey(failedParent.parent.type, failedParent.parent.id)) ?? false;
    state.outcomes.set(key, 'SKIPPED');
    state.retryable.set(key, retryable);
    ctx.progress.error(syncError('DEPENDENCY', message, entityOf(item), { retryable }));
    ctx.progress.record(item.type, 'skipped', message);
    await recordItems(ctx, [{ item, outcome: 'SKIPPED', message }]);
    return undefined;
  }
  const final = state.secondPass.has(key);
  const result =
    item.op === 'UPDATE'
      ? await pushUpdate(ctx, item, final)
      : item.op === 'DELETE'
        ? await pushDelete(ctx, item, final)
        : await createEntity(ctx, state, item);
  if (result.deferred) return 'deferred';
  state.outcomes.set(key, result.outcome);
  // A failure whose lookup or create could not be classified is taken as transient.
  if (result.outcome === 'FAILED') state.retryable.set(key, result.retryable ?? true);
  return undefined;
}

/** Blocked entities fail (VALIDATION) or are skipped (DEPENDENCY; CONFLICT: changed since the plan) in the validation phase. */
async function reportBlocked(ctx: RunContext, plan: ExportPlan): Promise<void> {
  const blocked = plan.items.filter((i) => i.blocked);
  for (const item of blocked) {
    ctx.progress.error(item.blocked!);
    const kind = item.blocked!.code === 'VALIDATION' ? 'failed' : item.blocked!.code === 'CONFLICT' ? 'conflicts' : 'skipped';
    ctx.progress.record(item.type, kind, item.blocked!.message);
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
      // A placement whose re-create failed (changedAt set) keeps its intent: the next export creates it, never taking it for gone.
      return delegate.updateMany({ where: { intentRunId: ctx.run.id, changedAt: null, ...spec.exported }, data: spec.noIntent });
    }),
  );
}
