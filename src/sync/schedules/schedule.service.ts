// Making, changing and deleting schedules. Every input problem is a
// field-level ValidationError and writes nothing; the scheduler is told of
// every change so the next tick follows it.
import { ENTITY_TYPES, EXPORTABLE_TYPES, type EntityType, type SyncDirection } from '../../domain/enums.ts';
import { NotFoundError, ValidationError, type FieldProblem } from '../../domain/errors.ts';
import type { SyncSchedule } from '../../generated/prisma/client.ts';
import type { Services } from '../services.ts';
import { cadenceProblems, durationProblem, nextTick, type Cadence } from './cadence.ts';

export interface CreateScheduleInput extends Cadence {
  networkId: number;
  direction: SyncDirection;
  entityTypes?: EntityType[] | null;
  enabled?: boolean | null;
  retryAttempts?: number | null;
  retryDelay?: string | null;
}

export interface UpdateScheduleInput extends Cadence {
  id: number;
  entityTypes?: EntityType[] | null;
  enabled?: boolean | null;
  retryAttempts?: number | null;
  retryDelay?: string | null;
}

/** Schedules of one network at most; more is a mistake, not a plan. */
export const MAX_SCHEDULES_PER_NETWORK = 20;

export async function createSchedule(services: Services, input: CreateScheduleInput): Promise<SyncSchedule> {
  const { db, clock } = services;
  const problems: FieldProblem[] = [];
  if (!Number.isInteger(input.networkId) || input.networkId <= 0) {
    problems.push({ path: ['input', 'networkId'], message: 'must be a Broadstreet network id (a positive integer)' });
  }
  const entityTypes = entityTypesFor(input.direction, input.entityTypes, problems);
  problems.push(...cadenceProblems(input), ...retryProblems(input));
  if (problems.length) throw ValidationError.of(problems);
  const network = await db.network.findUnique({ where: { broadstreetId: input.networkId }, select: { id: true } });
  if (!network && !(input.direction === 'IMPORT' && entityTypes.includes('NETWORK'))) {
    throw new NotFoundError(
      `network ${input.networkId} is not in the local database; import it first (or schedule an import that includes NETWORK)`,
      'NETWORK',
    );
  }
  if ((await db.syncSchedule.count({ where: { networkId: input.networkId } })) >= MAX_SCHEDULES_PER_NETWORK) {
    throw ValidationError.of([
      { path: ['input', 'networkId'], message: `network ${input.networkId} has ${MAX_SCHEDULES_PER_NETWORK} schedules already` },
    ]);
  }
  const enabled = input.enabled ?? true;
  const now = clock.now();
  const schedule = await db.syncSchedule.create({
    data: {
      networkId: input.networkId,
      direction: input.direction,
      entityTypes,
      every: input.every ?? null,
      cron: input.cron ?? null,
      timeZone: input.cron != null ? (input.timeZone ?? 'UTC') : null,
      enabled,
      retryAttempts: input.retryAttempts ?? null,
      retryDelay: input.retryDelay ?? null,
      nextRunAt: enabled ? nextTick(input, now) : null,
    },
  });
  announce(services, schedule, 'created');
  return schedule;
}

export async function updateSchedule(services: Services, input: UpdateScheduleInput): Promise<SyncSchedule> {
  const { db, clock } = services;
  const current = await db.syncSchedule.findUnique({ where: { id: input.id } });
  if (!current) throw new NotFoundError(`schedule ${input.id} does not exist`, 'SyncSchedule');
  const problems: FieldProblem[] = [];
  const entityTypes =
    input.entityTypes === undefined
      ? (current.entityTypes as EntityType[])
      : entityTypesFor(current.direction as SyncDirection, input.entityTypes, problems);
  const changedCadence = cadenceChange(current, input);
  const cadenceGiven = changedCadence !== null;
  const cadence: Cadence = changedCadence ?? current;
  if (cadenceGiven) problems.push(...cadenceProblems(cadence));
  problems.push(...retryProblems(input));
  if (problems.length) throw ValidationError.of(problems);
  const enabled = input.enabled ?? current.enabled;
  const rearm = cadenceGiven || enabled !== current.enabled;
  const schedule = await db.syncSchedule.update({
    where: { id: input.id },
    data: {
      entityTypes,
      every: cadence.every ?? null,
      cron: cadence.cron ?? null,
      timeZone: cadence.cron != null ? (cadence.timeZone ?? 'UTC') : null,
      enabled,
      ...(input.retryAttempts !== undefined ? { retryAttempts: input.retryAttempts } : {}),
      ...(input.retryDelay !== undefined ? { retryDelay: input.retryDelay } : {}),
      ...(rearm ? { nextRunAt: enabled ? nextTick(cadence, clock.now()) : null } : {}),
    },
  });
  announce(services, schedule, enabled ? (rearm ? 'changed' : 'updated') : 'paused');
  return schedule;
}

export async function deleteSchedule(services: Services, id: number): Promise<SyncSchedule> {
  const { db } = services;
  const current = await db.syncSchedule.findUnique({ where: { id } });
  if (!current) throw new NotFoundError(`schedule ${id} does not exist`, 'SyncSchedule');
  await db.syncSchedule.delete({ where: { id } });
  announce(services, current, 'deleted');
  return current;
}

/** The cadence an update asks for, or null when it leaves the cadence alone. */
function cadenceChange(current: SyncSchedule, input: UpdateScheduleInput): Cadence | null {
  if (input.every != null && input.cron != null) return { every: input.every, cron: input.cron, timeZone: input.timeZone ?? null };
  if (input.every != null) return { every: input.every, cron: null, timeZone: input.timeZone ?? null };
  if (input.cron != null)
    return { every: null, cron: input.cron, timeZone: input.timeZone ?? (current.cron != null ? current.timeZone : null) };
  if (input.timeZone != null) return { every: current.every, cron: current.cron, timeZone: input.timeZone };
  return null;
}

function announce(services: Services, schedule: SyncSchedule, what: string): void {
  services.scheduler?.changed(schedule.id);
  services.pubsub.publish('sync:summary', schedule.networkId, { networkId: schedule.networkId, reason: `schedule ${schedule.id} ${what}` });
}

function entityTypesFor(direction: SyncDirection, requested: EntityType[] | null | undefined, problems: FieldProblem[]): EntityType[] {
  const allowed: readonly EntityType[] = direction === 'EXPORT' ? EXPORTABLE_TYPES : ENTITY_TYPES;
  if (requested == null) return [...allowed];
  const refused = requested.filter((t) => !allowed.includes(t));
  if (requested.length === 0 || refused.length > 0) {
    problems.push({
      path: ['input', 'entityTypes'],
      message: refused.length
        ? `an ${direction.toLowerCase()} cannot include ${refused.join(', ')} (allowed: ${allowed.join(', ')})`
        : 'name at least one entity type, or leave entityTypes out for all',
    });
    return [];
  }
  return allowed.filter((t) => requested.includes(t));
}

function retryProblems(input: { retryAttempts?: number | null; retryDelay?: string | null }): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (input.retryAttempts != null && (!Number.isInteger(input.retryAttempts) || input.retryAttempts < 0 || input.retryAttempts > 10)) {
    problems.push({ path: ['input', 'retryAttempts'], message: 'must be a whole number from 0 (no automatic retry) to 10' });
  }
  if (input.retryDelay != null) {
    const problem = durationProblem(input.retryDelay);
    if (problem) problems.push({ path: ['input', 'retryDelay'], message: problem });
  }
  return problems;
}
