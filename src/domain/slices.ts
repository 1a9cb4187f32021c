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
 * Calls `each` for every item, in order, `size` items per event-loop turn
 * (nothing is yielded for a list that fits in one slice).
 */
export async function forEachInSlices<T>(
  items: readonly T[],
  each: (item: T, index: number) => void,
  size: number = ITEMS_PER_SLICE,
): Promise<void> {
  for (let start = 0; start < items.length; start += size) {
    if (start > 0) await yieldToEventLoop();
    const end = Math.min(items.length, start + size);
    for (let i = start; i < end; i++) each(items[i]!, i);
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
