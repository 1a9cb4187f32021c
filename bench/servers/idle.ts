// A Node.js process that does nothing but measure its own event-loop delay:
// what the machine alone (shared cores, other work) does to any process's
// event loop while a benchmark runs beside it.
import { serveParent } from '../lib/child.ts';
import { delayHistogram, delayOf, stallProbe } from '../lib/monitor.ts';

let histogram = delayHistogram();
let probe: ReturnType<typeof stallProbe> | undefined;

serveParent(
  {},
  {
    start: () => {
      histogram = delayHistogram();
      histogram.enable();
      probe = stallProbe();
    },
    stop: () => {
      histogram.disable();
      const stalls = probe?.stop();
      probe = undefined;
      return {
        p99: delayOf(histogram.percentile(99)),
        max: delayOf(histogram.max),
        stallMax: stalls?.max ?? 0,
        stallsOver20: stalls?.over20 ?? 0,
      };
    },
  },
  async () => {},
);
