// Issue 18, "calls in flight adapt to observed latency": Little's law over the
// round trips seen lately decides how many entities of a run are in flight.
import { describe, expect, it } from 'vitest';
import { callsToFill, RoundTrips } from '../../src/broadstreet/round-trips.ts';
import { forEachEntity, inFlight, MAX_IN_FLIGHT, type RunContext } from '../../src/sync/context.ts';

const ctxWith = (fill: () => number | null, adaptive = true) =>
  ({ concurrency: 4, adaptiveConcurrency: adaptive, client: { callsToFillLimit: fill } }) as unknown as RunContext;

describe('calls in flight', () => {
  it('fill the limit by Little’s law once round trips are long, with headroom', () => {
    expect(callsToFill(10, 800)).toBe(10); // 10/s × 0.8 s × 1.25
    expect(callsToFill(10, 300)).toBe(4);
    expect(callsToFill(100, 300)).toBe(38);
    expect(callsToFill(10, 50)).toBeNull(); // a near API: the configured number is enough
    expect(callsToFill(undefined, 800)).toBeNull();
    expect(callsToFill(10, null)).toBeNull();
  });

  it('follow a running average of round trips', () => {
    const trips = new RoundTrips();
    expect(trips.typicalMs).toBeNull();
    trips.record(100);
    expect(trips.typicalMs).toBe(100);
    trips.record(600);
    expect(trips.typicalMs).toBe(200);
    for (let i = 0; i < 50; i++) trips.record(800);
    expect(trips.typicalMs).toBeGreaterThan(795);
  });

  it('never go below the configured number nor above the ceiling, and stay fixed when configured', () => {
    expect(inFlight(ctxWith(() => 10))).toBe(10);
    expect(inFlight(ctxWith(() => 2))).toBe(4);
    expect(inFlight(ctxWith(() => null))).toBe(4);
    expect(inFlight(ctxWith(() => 500))).toBe(MAX_IN_FLIGHT);
    expect(inFlight(ctxWith(() => 10, false))).toBe(4);
  });

  it('forEachEntity widens as round trips lengthen, and still runs every item when one fails', async () => {
    let fill: number | null = null;
    let active = 0;
    let most = 0;
    const done: number[] = [];
    const items = Array.from({ length: 40 }, (_, i) => i);
    const run = forEachEntity(
      ctxWith(() => fill),
      items,
      async (i) => {
        active++;
        most = Math.max(most, active);
        if (i === 3) fill = 12; // the API turned slow
        await new Promise((resolve) => setTimeout(resolve, 5));
        active--;
        done.push(i);
        if (i === 7) throw new Error('one failed');
      },
    );
    await expect(run).rejects.toThrow('one failed');
    expect(done.sort((a, b) => a - b)).toEqual(items);
    expect(most).toBe(12);

    most = 0;
    fill = 12;
    await forEachEntity(
      ctxWith(() => fill, false),
      items,
      async () => {
        active++;
        most = Math.max(most, active);
        await new Promise((resolve) => setTimeout(resolve, 2));
        active--;
      },
    );
    expect(most).toBe(4);
  });
});
