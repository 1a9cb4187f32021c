// Medians, percentiles, and the alternating runner every ratio is built on.

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** Nearest-rank percentile (p in 0..100) of unsorted values; NaN when empty. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

export interface Alternated<B, S> {
  baseline: B[];
  subject: S[];
}

/**
 * Runs baseline, subject, baseline, subject, … `rounds` times each, so that a
 * noisy neighbour slows both alike; compare the medians of what they return.
 */
export async function alternate<B, S>(
  rounds: number,
  baseline: (round: number) => Promise<B>,
  subject: (round: number) => Promise<S>,
  log: (line: string) => void = () => {},
): Promise<Alternated<B, S>> {
  const result: Alternated<B, S> = { baseline: [], subject: [] };
  for (let round = 0; round < rounds; round++) {
    result.baseline.push(await baseline(round));
    result.subject.push(await subject(round));
    log(`  round ${round + 1}/${rounds} done`);
  }
  return result;
}

export const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

/** The largest value (`fallback` for none): a loop, as Math.max(...values) overflows the stack beyond ~100,000 values. */
export function maxOf(values: readonly number[], fallback = Number.NEGATIVE_INFINITY): number {
  let max = fallback;
  for (const v of values) if (v > max) max = v;
  return max;
}
