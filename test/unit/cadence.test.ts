// Schedule cadences: validation problems on the right field, the next tick on
// the interval's grid or the cron expression in its time zone, and how many
// ticks a stopped process missed.
import { describe, expect, it } from 'vitest';
import { cadenceProblems, nextTick, ticksMissed } from '../../src/sync/schedules/cadence.ts';
import { parseRetryPolicy } from '../../src/sync/schedules/retry-policy.ts';

const at = (iso: string) => new Date(iso);

describe('cadence', () => {
  it('accepts one of every and cron, with a time zone only for cron', () => {
    expect(cadenceProblems({ every: 'PT15M' })).toEqual([]);
    expect(cadenceProblems({ cron: '0 */4 * * *', timeZone: 'America/New_York' })).toEqual([]);
    expect(cadenceProblems({ every: 'PT15M', cron: '* * * * *' })).toEqual([
      { path: ['input', 'cron'], message: expect.stringMatching(/exactly one/) },
    ]);
    expect(cadenceProblems({ every: 'P2Y' })).toEqual([{ path: ['input', 'every'], message: 'must be at most a year (P366D)' }]);
    expect(cadenceProblems({ every: '15 minutes' })[0]!.path).toEqual(['input', 'every']);
    expect(cadenceProblems({ cron: '* * *' })[0]!.message).toMatch(/^not a cron expression/);
  });

  it('an interval keeps its grid from the previous tick, skipping what is past', () => {
    const anchor = at('2026-12-02T10:00:00Z');
    expect(nextTick({ every: 'PT15M' }, at('2026-12-02T10:00:00Z'), anchor)).toEqual(at('2026-12-02T10:15:00Z'));
    expect(nextTick({ every: 'PT15M' }, at('2026-12-02T11:07:00Z'), anchor)).toEqual(at('2026-12-02T11:15:00Z'));
    expect(nextTick({ every: 'P1M' }, at('2026-12-20T00:00:00Z'), at('2026-11-15T00:00:00Z'))!.getTime()).toBeGreaterThan(
      at('2026-12-20T00:00:00Z').getTime(),
    );
  });

  it('a cron expression is read in its time zone', () => {
    // 03:00 in Berlin (UTC+1 in December) is 02:00 UTC.
    expect(nextTick({ cron: '0 3 * * *', timeZone: 'Europe/Berlin' }, at('2026-12-02T00:00:00Z'))).toEqual(at('2026-12-02T02:00:00Z'));
    expect(nextTick({ cron: '0 3 * * *', timeZone: 'UTC' }, at('2026-12-02T00:00:00Z'))).toEqual(at('2026-12-02T03:00:00Z'));
  });

  it('counts the ticks a stopped process missed', () => {
    expect(ticksMissed({ every: 'PT2S' }, at('2026-12-02T10:00:00Z'), at('2026-12-02T10:00:09Z'))).toBe(5);
    expect(ticksMissed({ every: 'PT2S' }, at('2026-12-02T10:00:00Z'), at('2026-12-02T10:00:00.5Z'))).toBe(1);
    expect(ticksMissed({ cron: '0 * * * *' }, at('2026-12-02T10:00:00Z'), at('2026-12-02T13:30:00Z'))).toBe(4);
    expect(ticksMissed({ every: 'PT2S' }, at('2026-12-02T10:00:05Z'), at('2026-12-02T10:00:00Z'))).toBe(0);
  });

  it('SYNC_AUTO_RETRY is <attempts>:<ISO 8601 delay> or off', () => {
    expect(parseRetryPolicy('3:PT30S')).toEqual({ attempts: 3, delayMs: 30_000 });
    expect(parseRetryPolicy('off')).toEqual({ attempts: 0, delayMs: 0 });
    expect(parseRetryPolicy('3')).toMatch(/must be <attempts>:<delay>/);
    expect(parseRetryPolicy('11:PT1S')).toMatch(/between 1 and 10/);
    expect(parseRetryPolicy('2:PT7H')).toMatch(/PT1S to PT6H/);
  });
});
