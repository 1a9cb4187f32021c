// Every benchmark, in the order `npm run bench` runs them.
import { syncFloor } from './sync-floor.ts';
import type { Benchmark } from './lib/types.ts';

export const benchmarks: Benchmark[] = [syncFloor];
