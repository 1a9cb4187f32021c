// Starting, cancelling and reading sync runs. Resolvers call these; the
// executor runs what startSync queued.
import { ENTITY_TYPES, EXPORTABLE_TYPES, type EntityType, type SyncDirection } from '../domain/enums.ts';
import type { Db } from '../db/index.ts';
import type { SyncRun } from '../generated/prisma/client.ts';
import { ConflictError, NotFoundError, ValidationError } from '../domain/errors.ts';
import { runFinished } from '../observability/runs.ts';
import { SyncAlreadyRunningError } from './errors.ts';
import type { Services } from './services.ts';
import { isTerminal } from './types.ts';

export interface StartSyncInput {
  networkId: number;
  direction: SyncDirection;
  dryRun?: boolean | null;
  entityTypes?: EntityType[] | null;
  retryOf?: number | null;
  /** Who starts it (default MANUAL) and, for a scheduled run and its retries, the schedule. */
  trigger?: RunTrigger;
  scheduleId?: number | null;
  /** A finished dry run's id: execute exactly its plan (see applyPlanOf). */
  applyPlan?: number | null;
}

export const RUN_TRIGGERS = ['MANUAL', 'SCHEDULE', 'AUTO_RETRY', 'FIRST_START'] as const;
export type RunTrigger = (typeof RUN_TRIGGERS)[number];

/** What a retry re-runs: the entities that failed or were skipped. */
export type RunScope = {
  mongoIds: string[];
};

const allowedTypes = (direction: SyncDirection): readonly EntityType[] => (direction === 'EXPORT' ? EXPORTABLE_TYPES : ENTITY_TYPES);

export async function startSync(services: Services, input: StartSyncInput): Promise<SyncRun> {
  const { db } = services;
  const dryRun = input.dryRun ?? false;
  checkNetworkId(input.networkId);
  let entityTypes = checkEntityTypes(input);
  let scope: RunScope | null = null;
  if (input.applyPlan != null) entityTypes = await applyPlanOf(db, input, dryRun);
  else if (input.retryOf != null) ({ entityTypes, scope } = await retryScope(db, input, entityTypes));
  const network = await db.network.findUnique({ where: { broadstreetId: input.networkId } });
  if (!network && input.direction === 'EXPORT') {
    throw new NotFoundError(`network ${input.networkId} is not in the local database; import it first`, 'NETWORK');
  }
  // An unknown network is a NotFoundError member of the result, as in every mutation.
  if (!network && dryRun) {
    throw new NotFoundError(
      `a dry run of an import previews changes to network ${input.networkId}, which is not in the local database yet; import it first`,
      'NETWORK',
    );
  }
  if (!network && !entityTypes.includes('NETWORK')) {
    throw new NotFoundError(`network ${input.networkId} is not in the local database; include NETWORK to import it`, 'NETWORK');
  }
  const run = await createQueuedRun(services, input, dryRun, entityTypes, scope);
  services.pubsub.publish('sync:summary', run.networkId, { networkId: run.networkId, reason: `run ${run.id} queued` });
  await services.executor.submit(run.id);
  return run;
}

/** Broadstreet ids are positive integers: anything else is refused before a run is made. */
function checkNetworkId(networkId: number): void {
  if (Number.isInteger(networkId) && networkId > 0) return;
  const message = `networkId must be a Broadstreet network id (a positive integer), not ${networkId}`;
  throw new ValidationError(message, [{ path: ['input', 'networkId'], message }]);
}

function checkEntityTypes(input: StartSyncInput): EntityType[] {
  const allowed = allowedTypes(input.direction);
  if (input.entityTypes == null) return [...allowed];
  const refused = input.entityTypes.filter((t) => !allowed.includes(t));
  if (input.entityTypes.length === 0 || refused.length > 0) {
    const message =
      refused.length > 0
        ? `an ${input.direction.toLowerCase()} cannot include ${refused.join(', ')} (allowed: ${allowed.join(', ')})`
        : 'name at least one entity type, or leave entityTypes out for all';
    throw new ValidationError(message, [{ path: ['input', 'entityTypes'], message }]);
  }
  return allowed.filter((t) => input.entityTypes!.includes(t));
}

async function retryScope(
  db: Db,
  input: StartSyncInput,
  entityTypes: EntityType[],
): Promise<{ entityTypes: EntityType[]; scope: RunScope | null }> {
  const original = await db.syncRun.findUnique({ where: { id: input.retryOf! } });
  if (!original) throw new NotFoundError(`run ${input.retryOf} does not exist`, 'SyncRun');
  const problems: string[] = [];
  if (original.networkId !== input.networkId) problems.push(`run ${original.id} synced network ${original.networkId}`);
  if (original.direction !== input.direction) problems.push(`run ${original.id} was an ${original.direction.toLowerCase()}`);
  if (!isTerminal(original.status)) problems.push(`run ${original.id} has not finished`);
  if (original.dryRun) problems.push(`run ${original.id} was a dry run`);
  if (problems.length > 0) {
    const message = `cannot retry: ${problems.join('; ')}`;
    throw new ValidationError(message, [{ path: ['input', 'retryOf'], message }]);
  }
  const failed = await db.syncError.findMany({
    where: { runId: original.id, mongoId: { not: null } },
    select: { mongoId: true, entityType: true },
  });
  const types = new Set(failed.map((e) => e.entityType as EntityType));
  const retryTypes = entityTypes.filter((t) => types.has(t));
  if (retryTypes.length === 0) {
    const message = `run ${original.id} has nothing to retry: no entity failed or was skipped`;
    throw new ValidationError(message, [{ path: ['input', 'retryOf'], message }]);
  }
  if (input.direction === 'IMPORT') return { entityTypes: retryTypes, scope: null };
  return { entityTypes: retryTypes, scope: { mongoIds: [...new Set(failed.map((e) => e.mongoId!))] } };
}

async function createQueuedRun(
  { db, runs }: Services,
  input: StartSyncInput,
  dryRun: boolean,
  entityTypes: EntityType[],
  scope: RunScope | null,
): Promise<SyncRun> {
  const what =
    `${dryRun ? 'dry run of an ' : ''}${input.direction.toLowerCase()} of network ${input.networkId}` +
    (input.applyPlan != null ? `, applying the plan of run ${input.applyPlan}` : '');
  try {
    return await runs.createQueued(
      {
        networkId: input.networkId,
        direction: input.direction,
        dryRun,
        entityTypes,
        retryOfId: input.retryOf ?? null,
        applyPlanId: input.applyPlan ?? null,
        scope: scope ?? undefined,
        trigger: input.trigger ?? 'MANUAL',
        scheduleId: input.scheduleId ?? null,
        activeKey: String(input.networkId),
      },
      `queued: ${what}`,
    );
  } catch (error) {
    if ((error as { code?: string }).code !== 'P2002') throw error;
    if (input.applyPlan != null) await refuseApplied(db, input.applyPlan);
    const active = await db.syncRun.findUnique({ where: { activeKey: String(input.networkId) } });
    if (!active) throw error;
    throw new SyncAlreadyRunningError(active);
  }
}

/**
 * The plan a run may apply: a finished (SUCCEEDED or PARTIAL) dry run of the
 * same direction and network, applied by no run before. A plan is applied
 * once: whatever became of that run (even cancelled), a new dry run makes a
 * fresh plan. The apply takes the plan's entity types. Returns them.
 */
async function applyPlanOf(db: Db, input: StartSyncInput, dryRun: boolean): Promise<EntityType[]> {
  const refuse = (message: string) => {
    throw new ValidationError(message, [{ path: ['input', 'applyPlan'], message }]);
  };
  if (dryRun) refuse('a run that applies a plan cannot be a dry run itself');
  if (input.retryOf != null) refuse('name either retryOf or applyPlan, not both');
  if (input.entityTypes != null) refuse('a run that applies a plan takes its entity types from the plan: leave entityTypes out');
  const plan = await db.syncRun.findUnique({ where: { id: input.applyPlan! } });
  if (!plan) throw new NotFoundError(`run ${input.applyPlan} does not exist`, 'SyncRun');
  const problems: string[] = [];
  if (!plan.dryRun) problems.push(`run ${plan.id} is not a dry run, so it has no plan`);
  if (plan.networkId !== input.networkId) problems.push(`run ${plan.id} planned network ${plan.networkId}`);
  if (plan.direction !== input.direction) problems.push(`run ${plan.id} planned an ${plan.direction.toLowerCase()}`);
  if (plan.status !== 'SUCCEEDED' && plan.status !== 'PARTIAL') {
    problems.push(
      isTerminal(plan.status) ? `run ${plan.id} ended ${plan.status}: its plan is incomplete` : `run ${plan.id} has not finished`,
    );
  }
  if (problems.length > 0) refuse(`cannot apply the plan: ${problems.join('; ')}`);
  await refuseApplied(db, plan.id);
  return plan.entityTypes as EntityType[];
}

async function refuseApplied(db: Db, planId: number): Promise<void> {
  const applied = await db.syncRun.findUnique({ where: { applyPlanId: planId }, select: { id: true, status: true } });
  if (applied) {
    throw new ConflictError(
      `the plan of run ${planId} was already applied by run ${applied.id} (${applied.status}); make a new dry run to plan again`,
    );
  }
}

/**
 * Cancels a run. A queued run ends at once; a running one stops at its next
 * entity boundary, keeping what it did.
 */
export async function cancelSync(services: Services, runId: number): Promise<SyncRun> {
  const { db } = services;
  const run = await db.syncRun.findUnique({ where: { id: runId } });
  if (!run) throw new NotFoundError(`run ${runId} does not exist`, 'SyncRun');
  if (isTerminal(run.status)) throw new ConflictError(`run ${runId} has already finished (${run.status})`);
  const cancelledWhileQueued = await cancelQueued(services, run);
  if (cancelledWhileQueued) return cancelledWhileQueued;
  return services.runs.requestCancel(runId);
}

async function cancelQueued({ runs, pubsub, logger, lifecycle }: Services, run: SyncRun): Promise<SyncRun | null> {
  const cancelled = await runs.cancelQueued(run, 'cancelled before it started');
  if (cancelled) {
    pubsub.publish('sync:progress', run.id, cancelled.event);
    runFinished(logger, cancelled.event, {});
    await lifecycle?.ended(run.id);
  }
  return cancelled?.run ?? null;
}
