// A Node.js process that does nothing but measure its own event-loop delay:
// what the machine alone (shared cores, other work) does to any process's
// event loop while a benchmark runs beside it.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { serveParent } from '../lib/child.ts';

let histogram = monitorEventLoopDelay({ resolution: 10 });

serveParent(
  {},
  {
    start: () => {
      histogram = monitorEventLoopDelay({ resolution: 10 });
      histogram.enable();
    },
    stop: () => {
      histogram.disable();
      return { p99: histogram.percentile(99) / 1e6, max: histogram.max / 1e6 };
    },
  },
  async () => {},
);
