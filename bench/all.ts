// Every benchmark, in the order `npm run bench` runs them. `event-loop` is
// item 6 alone; a full run measures item 6 on import-write's imports instead.
import { fanout } from './fanout.ts';
import { importRequests } from './import-requests.ts';
import { eventLoop, importWrite } from './import-write.ts';
import { queryCount } from './query-count.ts';
import { queryFloor } from './query-floor.ts';
import { queryLists } from './query-lists.ts';
import { queryThroughput } from './query-throughput.ts';
import { readLoad } from './read-load.ts';
import { stalls } from './stalls.ts';
import { syncFloor } from './sync-floor.ts';
import { syncLatency } from './sync-latency.ts';
import type { Benchmark } from './lib/types.ts';

export const benchmarks: Benchmark[] = [
  syncFloor,
  syncLatency,
  importRequests,
  importWrite,
  queryThroughput,
  queryCount,
  fanout,
  stalls,
  readLoad,
];
export const extraBenchmarks: Benchmark[] = [eventLoop, queryLists, queryFloor];
