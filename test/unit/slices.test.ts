// Long per-item loops in slices (issue 18): every item, in order, with the
// event loop handed back between slices and only there.
import { describe, expect, it } from 'vitest';
import { forEachInSlices, mapInSlices, SLICE_MS } from '../../src/domain/slices.ts';
import { withTurns } from '../helpers/turns.ts';

describe('forEachInSlices', () => {
  it('visits every item of a list larger than a slice, in order, yielding between slices only', async () => {
    const items = Array.from({ length: 2_500 }, (_, i) => i * 3);
    const log: string[] = [];
    const seen: number[] = [];
    const indexes: number[] = [];
    // Cheap items (checked afterwards), so that slices end at `size`, not at SLICE_MS.
    await withTurns(log, () =>
      forEachInSlices(
        items,
        (item, index) => {
          seen.push(item);
          indexes.push(index);
          log.push('item');
        },
        1_000,
      ),
    );
    expect(seen).toEqual(items);
    expect(indexes).toEqual(items.map((_, i) => i));
    // Items run in three unbroken runs (1,000, 1,000, 500), with at least one turn between runs.
    const runs = log
      .join(',')
      .split(/(?:,?turn)+,?/)
      .filter(Boolean)
      .map((run) => run.split(',').length);
    expect(runs).toEqual([1_000, 1_000, 500]);
  });

  it('ends a slice after SLICE_MS when items are slow, before `size` items', async () => {
    const log: string[] = [];
    const busy = (ms: number) => {
      const until = performance.now() + ms;
      while (performance.now() < until);
    };
    await withTurns(log, () =>
      forEachInSlices(
        Array.from({ length: 30 }, (_, i) => i),
        () => (busy(2), void log.push('item')),
        1_000,
      ),
    );
    const runs = log
      .join(',')
      .split(/(?:,?turn)+,?/)
      .filter((run) => run.includes('item'))
      .map((run) => run.split(',').length);
    expect(runs.reduce((a, b) => a + b, 0)).toBe(30);
    // 2 ms items: a slice stops once SLICE_MS has passed, so at most SLICE_MS / 2 + 1 items each.
    expect(Math.max(...runs)).toBeLessThanOrEqual(SLICE_MS / 2 + 1);
    expect(runs.length).toBeGreaterThanOrEqual(30 / (SLICE_MS / 2 + 1));
  });

  it('does not yield for a list that fits in one slice', async () => {
    const log: string[] = [];
    await withTurns(log, () => forEachInSlices([1, 2, 3], () => void log.push('item'), 3));
    expect(log.slice(0, 3)).toEqual(['item', 'item', 'item']);
  });

  it('mapInSlices maps like Array.map, across slices', async () => {
    const items = Array.from({ length: 2_345 }, (_, i) => i);
    expect(await mapInSlices(items, (n, i) => `${n}:${i}`, 1_000)).toEqual(items.map((n, i) => `${n}:${i}`));
  });
});
