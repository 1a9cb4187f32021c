// What the server's process goes through while it works: event-loop delay
// (perf_hooks' histogram, 10 ms resolution) and resident memory, sampled.
import { monitorEventLoopDelay } from 'node:perf_hooks';

export interface Monitored {
  /** Event-loop delay percentiles, in ms. */
  delayP50: number;
  delayP99: number;
  delayMax: number;
  rssStartMb: number;
  rssPeakMb: number;
}

export async function monitored<T>(fn: () => Promise<T>): Promise<{ value: T; monitor: Monitored }> {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  const rssStart = process.memoryUsage.rss();
  let rssPeak = rssStart;
  const sampler = setInterval(() => {
    rssPeak = Math.max(rssPeak, process.memoryUsage.rss());
  }, 50);
  histogram.enable();
  try {
    const value = await fn();
    return {
      value,
      monitor: {
        delayP50: histogram.percentile(50) / 1e6,
        delayP99: histogram.percentile(99) / 1e6,
        delayMax: histogram.max / 1e6,
        rssStartMb: rssStart / 2 ** 20,
        rssPeakMb: Math.max(rssPeak, process.memoryUsage.rss()) / 2 ** 20,
      },
    };
  } finally {
    histogram.disable();
    clearInterval(sampler);
  }
}
