// Long loops over large lists in slices, handing the event loop back between
// them: a 100,000-entity import otherwise held it up to 224 ms at once
// (issue 18), and every GraphQL request and timer waited meanwhile.

/** Items handled per event-loop turn in the import's per-item loops. */
export const ITEMS_PER_SLICE = 1_000;

/**
 * Lets whatever is due run (timers, I/O callbacks, requests) before going on.
 * setImmediate, not a resolved promise: awaiting one never leaves the
 * microtask queue, so the loop would still be held.
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * The longest a slice runs: fewer items than `size` when they are slow (code
 * not yet optimised early in a process: zod's first 500 list items held the
 * loop 45–55 ms in a 10,000-entity import).
 */
export const SLICE_MS = 10;

/**
 * Calls `each` for every item, in order, at most `size` items and about
 * SLICE_MS per event-loop turn (nothing is yielded for a list whose items fit
 * in one slice).
 */
export async function forEachInSlices<T>(
  items: readonly T[],
  each: (item: T, index: number) => void,
  size: number = ITEMS_PER_SLICE,
): Promise<void> {
  let sliceStart = performance.now();
  let inSlice = 0;
  for (let i = 0; i < items.length; i++) {
    if (inSlice === size || (inSlice > 0 && performance.now() - sliceStart >= SLICE_MS)) {
      await yieldToEventLoop();
      sliceStart = performance.now();
      inSlice = 0;
    }
    each(items[i]!, i);
    inSlice += 1;
  }
}

/** `items.map(fn)` in slices (see forEachInSlices). */
export async function mapInSlices<T, R>(
  items: readonly T[],
  fn: (item: T, index: number) => R,
  size: number = ITEMS_PER_SLICE,
): Promise<R[]> {
  const out: R[] = new Array(items.length);
  await forEachInSlices(items, (item, i) => (out[i] = fn(item, i)), size);
  return out;
}
