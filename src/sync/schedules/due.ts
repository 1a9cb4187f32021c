// Which schedules are due, and taking their ticks: the embedded scheduler's
// core. A schedule's nextRunAt is moved on by one conditional update, so a
// tick is taken once; a schedule found far behind (no process ran while its
// ticks fell due) gets one tick for all of them, and its next tick is the
// first one after now.
import type { SyncSchedule } from '../../generated/prisma/client.ts';
import type { Services } from '../services.ts';
import { nextTick, ticksMissed } from './cadence.ts';
import { fireTick, type TickResult } from './ticks.ts';

/** Fires every enabled schedule whose tick is due; returns what each did. */
export async function fireDueSchedules(services: Services): Promise<TickResult[]> {
  const { db, clock } = services;
  const now = clock.now();
  const due = await db.syncSchedule.findMany({ where: { enabled: true, nextRunAt: { lte: now } }, orderBy: { nextRunAt: 'asc' } });
  const results: TickResult[] = [];
  for (const schedule of due) {
    const result = await takeTick(services, schedule, now);
    if (result) results.push(result);
  }
  return results;
}

async function takeTick(services: Services, schedule: SyncSchedule, now: Date): Promise<TickResult | null> {
  const dueAt = schedule.nextRunAt!;
  const next = nextTick(schedule, now, dueAt);
  const taken = await services.db.syncSchedule.updateMany({
    where: { id: schedule.id, enabled: true, nextRunAt: dueAt },
    data: { nextRunAt: next },
  });
  if (taken.count === 0) return null;
  return fireTick(services, schedule.id, dueAt, coalescedNote(schedule, dueAt, now));
}

/** Says how many ticks one tick stands for, when a stopped process missed some. */
export function coalescedNote(schedule: SyncSchedule, dueAt: Date, now: Date): string | null {
  const missed = ticksMissed(schedule, dueAt, now);
  return missed > 1 ? `${missed} ticks fell due while no process ran (from ${dueAt.toISOString()}); coalesced into this one` : null;
}

/** The earliest tick of any enabled schedule. */
export async function nextScheduleDue({ db }: Pick<Services, 'db'>): Promise<Date | null> {
  const next = await db.syncSchedule.findFirst({
    where: { enabled: true, nextRunAt: { not: null } },
    orderBy: { nextRunAt: 'asc' },
    select: { nextRunAt: true },
  });
  return next?.nextRunAt ?? null;
}
