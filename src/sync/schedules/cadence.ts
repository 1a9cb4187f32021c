// A schedule's cadence: an ISO 8601 duration (`every`, parsed by
// iso8601-duration) or a cron expression in a time zone (`cron`, parsed by
// croner). Validation answers field-level problems; nextTick answers when the
// schedule fires next.
import { Cron } from 'croner';
import { end, parse, toSeconds, type Duration } from 'iso8601-duration';
import type { FieldProblem } from '../../domain/errors.ts';

/** Ticks closer than this are refused: a run needs time to start and end. */
export const MIN_INTERVAL_SECONDS = 1;
/** An interval longer than a year is a typo more often than a plan. */
export const MAX_INTERVAL_SECONDS = 366 * 24 * 3600;

export interface Cadence {
  every?: string | null;
  cron?: string | null;
  timeZone?: string | null;
}

/** The problems of a cadence, each on its input field; empty when it is valid. */
export function cadenceProblems(cadence: Cadence, path: string[] = ['input']): FieldProblem[] {
  const at = (field: string, message: string): FieldProblem => ({ path: [...path, field], message });
  const { every, cron, timeZone } = cadence;
  if ((every == null) === (cron == null)) {
    const message = 'give exactly one of every (an ISO 8601 duration such as PT15M) and cron (a cron expression)';
    return [at(every == null ? 'every' : 'cron', message)];
  }
  if (every != null) {
    if (timeZone != null) return [at('timeZone', 'a time zone goes with cron, not with every')];
    const problem = durationProblem(every);
    return problem ? [at('every', problem)] : [];
  }
  const problems: FieldProblem[] = [];
  const zoneProblem = timeZone == null ? null : timeZoneProblem(timeZone);
  if (zoneProblem) problems.push(at('timeZone', zoneProblem));
  const cronProblem = cronExpressionProblem(cron!, zoneProblem ? null : (timeZone ?? null));
  if (cronProblem) problems.push(at('cron', cronProblem));
  return problems;
}

export function durationProblem(every: string): string | null {
  const seconds = durationSeconds(every);
  if (seconds === null) return `${JSON.stringify(every.slice(0, 40))} is not an ISO 8601 duration (such as PT15M, PT4H or P1D)`;
  if (seconds < MIN_INTERVAL_SECONDS) return `must be at least ${MIN_INTERVAL_SECONDS} second`;
  if (seconds > MAX_INTERVAL_SECONDS) return 'must be at most a year (P366D)';
  return null;
}

/** The duration in seconds, or null when it is not one (negative durations included). */
export function durationSeconds(every: string): number | null {
  const parsed = parseDuration(every);
  return parsed ? toSeconds(parsed) : null;
}

function parseDuration(every: string): Duration | null {
  if (!/^P/.test(every)) return null;
  try {
    return parse(every);
  } catch {
    return null;
  }
}

function timeZoneProblem(timeZone: string): string | null {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    return null;
  } catch {
    return `${JSON.stringify(timeZone.slice(0, 60))} is not an IANA time zone (such as Europe/Berlin or UTC)`;
  }
}

function cronExpressionProblem(cron: string, timeZone: string | null): string | null {
  try {
    const job = cronJob(cron, timeZone);
    const [first, second] = job.nextRuns(2, new Date());
    if (!first) return 'never fires';
    if (second && second.getTime() - first.getTime() < MIN_INTERVAL_SECONDS * 1000)
      return `fires more often than every ${MIN_INTERVAL_SECONDS} second`;
    return null;
  } catch (error) {
    return `not a cron expression: ${(error as Error).message.replace(/^CronPattern: /, '')}`;
  }
}

function cronJob(cron: string, timeZone: string | null): Cron {
  return new Cron(cron, { timezone: timeZone ?? 'UTC', paused: true });
}

/**
 * The first tick strictly after `after`. An interval counts from `anchor`
 * (the previous tick), so ticks stay on one grid; a cron expression is read in
 * its time zone (UTC when none is given).
 */
export function nextTick(cadence: Cadence, after: Date, anchor: Date = after): Date | null {
  if (cadence.cron != null) return cronJob(cadence.cron, cadence.timeZone ?? null).nextRun(after);
  const duration = parseDuration(cadence.every ?? '');
  if (!duration) return null;
  if (duration.years || duration.months) {
    let next = end(duration, anchor);
    while (next.getTime() <= after.getTime()) next = end(duration, next);
    return next;
  }
  const ms = toSeconds(duration) * 1000;
  const behind = after.getTime() - anchor.getTime();
  const steps = behind < 0 ? 1 : Math.floor(behind / ms) + 1;
  return new Date(anchor.getTime() + steps * ms);
}

/** How many ticks fell in [due, now]: the tick due at `due` and those after it a stopped process missed. */
export function ticksMissed(cadence: Cadence, due: Date, now: Date, limit = 10_000): number {
  if (now.getTime() < due.getTime()) return 0;
  const duration = cadence.cron == null ? parseDuration(cadence.every ?? '') : null;
  if (duration && !duration.years && !duration.months) {
    return Math.min(limit, 1 + Math.floor((now.getTime() - due.getTime()) / (toSeconds(duration) * 1000)));
  }
  let count = 1;
  let at: Date | null = due;
  while (count < limit) {
    at = nextTick(cadence, at, at);
    if (!at || at.getTime() > now.getTime()) break;
    count += 1;
  }
  return count;
}

/** Milliseconds of an interval cadence (BullMQ's `every`), or null for cron. */
export function intervalMs(cadence: Cadence): number | null {
  if (cadence.cron != null) return null;
  const seconds = durationSeconds(cadence.every ?? '');
  return seconds === null ? null : seconds * 1000;
}
