// A Node.js process that does nothing but measure its own event-loop delay:
// what the machine alone (shared cores, other work) does to any process's
// event loop while a benchmark runs beside it.
import { serveParent } from '../lib/child.ts';
import { delayHistogram, delayOf } from '../lib/monitor.ts';

let histogram = delayHistogram();

serveParent(
  {},
  {
    start: () => {
      histogram = delayHistogram();
      histogram.enable();
    },
    stop: () => {
      histogram.disable();
      return { p99: delayOf(histogram.percentile(99)), max: delayOf(histogram.max) };
    },
  },
  async () => {},
);
