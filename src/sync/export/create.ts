// Creating one entity in Broadstreet without ever creating it twice.
// Before the call, the resolved name (placements: the run) is stored as an
// intent. After a crash or a call whose outcome is unknown, the entity is
// looked up in Broadstreet before any new create.
import { BroadstreetError } from '../../broadstreet/index.ts';
import type { RunContext } from '../context.ts';
import { failureOf, isTransient, networkFailureOf, syncError } from '../failures.ts';
import { exportSpecOf, isNamed, namedUnder, type NamedSpec } from '../specs.ts';
import { CHANGED_SINCE_PLAN } from './since-plan.ts';
import { nameScopeOf } from './name-scope.ts';
import type { NameScope } from './names.ts';
import { describe, entityOf, itemKey, type PlanItem } from './plan.ts';
import { recordItems, type ExportState, type Result } from './state.ts';

/** How often a create whose outcome stayed unknown (and was not found) is tried. */
const MAX_UNKNOWN_OUTCOMES = 5;

export async function createEntity(ctx: RunContext, state: ExportState, item: PlanItem): Promise<Result> {
  const spec = exportSpecOf(item.type);
  return isNamed(spec) ? createNamed(ctx, state, spec, item) : createPlacement(ctx, state, item);
}

type Named = { id: number; name: string; broadstreetId: number | null; intentName: string | null; syncedAt: Date | null };

/** The Prisma delegate of a named type, typed to the columns every named type has. */
interface NamedModel {
  findUnique(args: object): Promise<Named | null>;
  findFirst(args: object): Promise<Holder | null>;
  findUniqueOrThrow(args: object): Promise<unknown>;
  update(args: { where: { id: number }; data: object }): Promise<unknown>;
  updateMany(args: { where: object; data: object }): Promise<{ count: number }>;
}

const modelOf = (ctx: RunContext, spec: NamedSpec) => ctx.db[spec.model] as unknown as NamedModel;

async function createNamed(ctx: RunContext, state: ExportState, spec: NamedSpec, item: PlanItem): Promise<Result> {
  const model = modelOf(ctx, spec);
  // One read: what decides the create, and what it sends (every attempt sends the same).
  const row = await model.findUnique({ where: { id: item.id }, include: spec.export.include });
  if (!row) return { outcome: 'SKIPPED' };
  if (row.broadstreetId !== null) return alreadyExported(ctx, item, row);
  const scope = await nameScopeOf(ctx, state, spec, item);
  let name: string;
  if (row.intentName) {
    // An earlier attempt recorded this name and may have created the entity.
    const found = await lookup(ctx, state, scope, row.intentName, item);
    if (typeof found === 'object') return found;
    if (found !== undefined)
      return adopt(ctx, state, spec, item, scope, row.intentName, found, 'found in Broadstreet after an interrupted attempt');
    name = row.intentName;
    state.names.reserve(scope, name);
  } else {
    try {
      name = await state.names.resolve(scope, row.name);
    } catch (error) {
      // A refused list of the network's own entities means no access to the network: the run fails.
      if (spec.export.how.nameScope.under === 'network')
        networkFailureOf(error, state.network.broadstreetId!, null, `listing the ${spec.label} of the network`);
      return fail(ctx, state, item, error, `listing names before creating ${describe(item)}`);
    }
    if (item.plannedName !== undefined && name !== item.plannedName) return changedInBroadstreet(ctx, item, name);
    await model.update({ where: { id: item.id }, data: { intentName: name, intentRunId: ctx.run.id } });
  }
  for (let unknown = 0; ; ) {
    try {
      const created = await callCreate(ctx, spec, item, row, scope, name);
      return adopt(ctx, state, spec, item, scope, name, created.id, undefined, created.fields);
    } catch (error) {
      if (!(error instanceof BroadstreetError) || !error.outcomeUnknown || ++unknown >= MAX_UNKNOWN_OUTCOMES) {
        if (definitelyNotCreated(error)) await model.update({ where: { id: item.id }, data: spec.export.noIntent });
        return fail(ctx, state, item, error, `creating ${describe(item)}`);
      }
      ctx.progress.warn(`creating ${describe(item)}: ${error.message}; outcome unknown, looking it up before trying again`);
      const found = await lookup(ctx, state, scope, name, item);
      if (typeof found === 'object') return found;
      if (found !== undefined) return adopt(ctx, state, spec, item, scope, name, found, 'created although the response was lost');
    }
  }
}

/** The new id, and the columns Broadstreet answered with that an import compares (so a re-import finds them unchanged). */
type Created = { id: number; fields?: Record<string, unknown> };

async function callCreate(ctx: RunContext, spec: NamedSpec, item: PlanItem, row: Named, scope: NameScope, name: string): Promise<Created> {
  const opts = {
    signal: ctx.signal,
    onAttempt: (a: { error?: BroadstreetError; delayMs?: number; attempt: number }) => retryNote(ctx, item, a),
  };
  const how = spec.export.how;
  const created = await how.create(ctx.client, scope, how.toWire(row, name), opts);
  return { id: created.id, fields: how.answered?.(created) };
}

/**
 * Only a failure Broadstreet answered without acting releases the intent. A
 * lost answer, or a call this process abandoned while stopping, may have
 * created the entity: its intent stays, so the next attempt looks first.
 */
function definitelyNotCreated(error: unknown): boolean {
  return error instanceof BroadstreetError && !error.outcomeUnknown;
}

function retryNote(ctx: RunContext, item: PlanItem, attempt: { error?: BroadstreetError; delayMs?: number; attempt: number }): void {
  if (!attempt.error || attempt.delayMs === undefined) return;
  ctx.progress.warn(
    `${describe(item)}: attempt ${attempt.attempt} failed (${attempt.error.code}: ` +
      `${attempt.error.message}); retrying in ${Math.round(attempt.delayMs)} ms`,
  );
}

/** undefined: not there; a number: its id; a Result: the lookup itself failed (recorded, or deferred). */
async function lookup(
  ctx: RunContext,
  state: ExportState,
  scope: NameScope,
  name: string,
  item: PlanItem,
): Promise<number | undefined | Result> {
  try {
    return await state.names.lookup(scope, name);
  } catch (error) {
    return fail(ctx, state, item, error, `looking up ${describe(item)} by its name "${name}"`);
  }
}

/**
 * A row that is in Broadstreet already. If an earlier execution of this same
 * run created it and stopped before counting it (a crash, or an owner that
 * lost the run in between), it is counted as created, so the counts add up.
 */
async function alreadyExported(ctx: RunContext, item: PlanItem, row: Named): Promise<Result> {
  const recorded = await ctx.db.syncItem.findUnique({
    where: { runId_mongoId: { runId: ctx.run.id, mongoId: item.mongoId } },
    select: { outcome: true },
  });
  const byThisRun =
    recorded?.outcome === 'PENDING' && row.syncedAt !== null && ctx.run.startedAt !== null && row.syncedAt >= ctx.run.startedAt;
  if (byThisRun) {
    ctx.progress.record(item.type, 'created', `created ${describe(item)} (by an earlier execution of this run)`);
    await recordItems(ctx, [
      { item, outcome: 'CREATED', broadstreetId: row.broadstreetId!, message: 'created by an earlier execution of this run' },
    ]);
    return { outcome: 'CREATED' };
  }
  ctx.progress.record(item.type, 'unchanged', `${describe(item)} is already in Broadstreet`);
  await recordItems(ctx, [{ item, outcome: 'CREATED', broadstreetId: row.broadstreetId!, message: 'already exported' }]);
  return { outcome: 'EXISTING' };
}

async function adopt(
  ctx: RunContext,
  state: ExportState,
  spec: NamedSpec,
  item: PlanItem,
  scope: NameScope,
  name: string,
  broadstreetId: number,
  how: string | undefined,
  remoteFields: Record<string, unknown> = {},
): Promise<Result> {
  const holder = await modelOf(ctx, spec).findFirst({
    where: { networkId: state.network.id, broadstreetId, id: { not: item.id } },
    select: { mongoId: true, name: true },
  });
  if (holder) return idCollision(ctx, item, broadstreetId, holder);
  const data = { ...remoteFields, broadstreetId, name, syncedAt: new Date(), ...spec.export.noIntent };
  // The two sides agree now: what was sent (and answered) is the base later edits and drift are told against.
  const current = (await modelOf(ctx, spec).findUniqueOrThrow({ where: { id: item.id } })) as Record<string, unknown>;
  const base = spec.twoWay?.localValues({ ...current, ...data }) ?? null;
  // Never replaces an id the row holds already: that would orphan the entity it names.
  const adopted = await modelOf(ctx, spec).updateMany({
    where: { id: item.id, OR: [{ broadstreetId: null }, { broadstreetId }] },
    data: { ...data, base, changedAt: null },
  });
  if (adopted.count === 0) return secondCopy(ctx, spec, item, broadstreetId);
  await state.names.added(scope, name, broadstreetId);
  if (ctx.run.attempts > 1) await reportCopies(ctx, state, item, scope, name, broadstreetId);
  // Nothing can be named yet under an entity this run just created.
  for (const child of namedUnder(spec.type))
    state.names.markEmpty({ type: child.type, networkId: scope.networkId, parentId: broadstreetId });
  const renamed = name !== item.name;
  if (renamed) ctx.progress.warn(`${describe(item)} exists in Broadstreet already: created as "${name}"`);
  if (how) ctx.progress.warn(`${describe(item)} ${how}: adopted id ${broadstreetId}`);
  ctx.progress.record(item.type, 'created', `created ${describe(item)}`);
  await recordItems(ctx, [{ item, outcome: 'CREATED', broadstreetId, resolvedName: renamed ? name : undefined, message: how }]);
  return { outcome: 'CREATED' };
}

/**
 * The safety net, in a run that was resumed or taken over (where a create of
 * an earlier execution may have landed after all): the scope is read again,
 * and a second entity under the intent's name is reported as an extra copy.
 */
async function reportCopies(
  ctx: RunContext,
  state: ExportState,
  item: PlanItem,
  scope: NameScope,
  name: string,
  id: number,
): Promise<void> {
  let ids: number[];
  try {
    ids = await state.names.idsOf(scope, name);
  } catch (error) {
    if (!(error instanceof BroadstreetError)) throw error;
    ctx.progress.warn(`${describe(item)}: could not check Broadstreet for a second copy (${error.message})`);
    return;
  }
  const extra = ids.filter((other) => other !== id);
  if (extra.length === 0) return;
  const kind = item.type.toLowerCase();
  const message =
    `${describe(item)} has ${extra.length} extra ${extra.length === 1 ? 'copy' : 'copies'} in Broadstreet named "${name}" ` +
    `(${kind} ${extra.join(', ')}) beside ${kind} ${id}, which the local row holds: an earlier execution ` +
    `of this run created it too. Remove the extra copy in Broadstreet.`;
  ctx.progress.error(syncError('CONFLICT', message, { ...entityOf(item), broadstreetId: extra[0]! }, { retryable: false }));
}

/**
 * This row got its Broadstreet id from another create meanwhile (an owner
 * that lost the run sent one too): the id it holds stays, and the entity just
 * created is reported as an extra copy in Broadstreet, counted as a failure.
 */
async function secondCopy(ctx: RunContext, spec: NamedSpec, item: PlanItem, extraId: number): Promise<Result> {
  const row = await modelOf(ctx, spec).findUnique({ where: { id: item.id }, select: { broadstreetId: true } });
  const kind = item.type.toLowerCase();
  const message =
    `${describe(item)} was created twice in Broadstreet: the local row holds ${kind} ` +
    `${row?.broadstreetId}, and ${kind} ${extraId} is an extra copy ` +
    '(another worker created it too). The local row was not changed; remove the extra copy in Broadstreet.';
  ctx.progress.error(syncError('CONFLICT', message, { ...entityOf(item), broadstreetId: extraId }, { retryable: false }));
  ctx.progress.record(item.type, 'failed', message);
  await recordItems(ctx, [{ item, outcome: 'CONFLICT', broadstreetId: extraId, message }]);
  return { outcome: 'FAILED', retryable: false };
}

/** Another local row of the network that already holds a Broadstreet id. */
type Holder = { mongoId: string; name: string };

/**
 * Broadstreet gave (or has, by the recorded name) an id that a local row
 * already holds: the id was reused, or the database met another Broadstreet.
 * Neither row is relabelled. The intent stays on this row, so a retry finds
 * the entity by its name instead of creating it again; the run's report
 * keeps the id it was given.
 */
async function idCollision(ctx: RunContext, item: PlanItem, broadstreetId: number, holder: Holder): Promise<Result> {
  const kind = item.type.toLowerCase();
  const message =
    `${describe(item)} (${item.mongoId}) is ${kind} ${broadstreetId} in Broadstreet, but local ${kind} ` +
    `"${holder.name}" (${holder.mongoId}) already holds that id: ` +
    'the id names two entities, so neither row was changed. Check which Broadstreet this database belongs to.';
  ctx.progress.error(syncError('CONFLICT', message, { ...entityOf(item), broadstreetId }));
  ctx.progress.record(item.type, 'failed', message);
  await recordItems(ctx, [{ item, outcome: 'CONFLICT', broadstreetId, message }]);
  return { outcome: 'FAILED', retryable: false };
}

/** applyPlan: the name the plan would have used is taken in Broadstreet now (or free again): Broadstreet changed since the plan. */
async function changedInBroadstreet(ctx: RunContext, item: PlanItem, name: string): Promise<Result> {
  const message =
    `${describe(item)} ${CHANGED_SINCE_PLAN}: Broadstreet's names changed, so it would now be created as "${name}", ` +
    `not "${item.plannedName}" as planned; not applied`;
  ctx.progress.error(syncError('CONFLICT', message, entityOf(item), { retryable: false }));
  ctx.progress.record(item.type, 'conflicts', message);
  await recordItems(ctx, [{ item, outcome: 'CONFLICT', message }]);
  // SKIPPED, not CONFLICT: its children are skipped along (they cannot be created under it).
  return { outcome: 'SKIPPED', retryable: false };
}

async function fail(ctx: RunContext, state: ExportState, item: PlanItem, error: unknown, doing: string): Promise<Result> {
  const failure = failureOf(error, entityOf(item), doing);
  if (!state.secondPass.has(itemKey(item.type, item.id)) && isTransient(failure)) {
    ctx.progress.warn(`${failure.message}; tried again at the end of the phase`);
    return { outcome: 'FAILED', retryable: true, deferred: true };
  }
  ctx.progress.error(failure);
  ctx.progress.record(item.type, 'failed', failure.message);
  await recordItems(ctx, [{ item, outcome: 'FAILED', message: failure.message }]);
  return { outcome: 'FAILED', retryable: failure.retryable };
}

/** Placements: the triple is the identity; the intent is the run id. */
async function createPlacement(ctx: RunContext, state: ExportState, item: PlanItem): Promise<Result> {
  const p = await ctx.db.placement.findUniqueOrThrow({
    where: { id: item.id },
    include: {
      campaign: { select: { broadstreetId: true } },
      advertisement: { select: { broadstreetId: true } },
      zone: { select: { broadstreetId: true } },
    },
  });
  if (p.syncedAt !== null) {
    ctx.progress.record('PLACEMENT', 'unchanged', `${describe(item)} is already in Broadstreet`);
    return { outcome: 'EXISTING' };
  }
  const triple = { campaignId: p.campaign.broadstreetId!, advertisementId: p.advertisement.broadstreetId!, zoneId: p.zone.broadstreetId! };
  const exists = async () => {
    const placements = await ctx.client.listPlacements(triple.campaignId, { signal: ctx.signal });
    return placements.some((x) => x.advertisementId === triple.advertisementId && x.zoneId === triple.zoneId);
  };
  const adoptPlacement = async (how?: string) => {
    await ctx.db.placement.update({
      where: { id: item.id },
      data: { syncedAt: new Date(), intentRunId: null, base: { restrictions: p.restrictions ?? [] }, changedAt: null },
    });
    if (how) ctx.progress.warn(`${describe(item)} ${how}`);
    ctx.progress.record('PLACEMENT', 'created', `created ${describe(item)}`);
    await recordItems(ctx, [{ item, outcome: 'CREATED', message: how }]);
    return { outcome: 'CREATED' as const };
  };
  try {
    if (p.intentRunId !== null && (await exists())) return adoptPlacement('found in Broadstreet after an interrupted attempt');
  } catch (error) {
    return fail(ctx, state, item, error, `looking up ${describe(item)}`);
  }
  await ctx.db.placement.update({ where: { id: item.id }, data: { intentRunId: ctx.run.id } });
  const restrictions = (p.restrictions as string[]) ?? [];
  for (let unknown = 0; ; ) {
    try {
      await ctx.client.createPlacement({ ...triple, restrictions }, { signal: ctx.signal, onAttempt: (a) => retryNote(ctx, item, a) });
      return adoptPlacement();
    } catch (error) {
      const unknownOutcome = error instanceof BroadstreetError && error.outcomeUnknown;
      const maybeDuplicate = error instanceof BroadstreetError && error.code === 'VALIDATION';
      if ((unknownOutcome && ++unknown < MAX_UNKNOWN_OUTCOMES) || maybeDuplicate) {
        try {
          if (await exists()) return adoptPlacement(unknownOutcome ? 'created although the response was lost' : 'already in Broadstreet');
        } catch (lookupError) {
          return fail(ctx, state, item, lookupError, `looking up ${describe(item)}`);
        }
        if (unknownOutcome) continue;
      }
      if (definitelyNotCreated(error)) await ctx.db.placement.update({ where: { id: item.id }, data: { intentRunId: null } });
      return fail(ctx, state, item, error, `creating ${describe(item)}`);
    }
  }
}
