// What the server's process goes through while it works: event-loop delay
// (perf_hooks' histogram, 10 ms resolution) and resident memory, sampled.
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

/** How often the histogram's timer fires, in ms. */
export const RESOLUTION_MS = 10;

export const delayHistogram = (): IntervalHistogram => monitorEventLoopDelay({ resolution: RESOLUTION_MS });

/**
 * The histogram records the whole interval between two firings of its
 * timer, so an idle loop reads RESOLUTION_MS; the delay is what is left
 * after that (as @fastify/under-pressure computes it).
 */
export const delayOf = (ns: number): number => Math.max(0, ns / 1e6 - RESOLUTION_MS);

export interface Monitored {
  /** Event-loop delay percentiles, in ms. */
  delayP50: number;
  delayP99: number;
  delayMax: number;
  rssStartMb: number;
  rssPeakMb: number;
}

export async function monitored<T>(fn: () => Promise<T>): Promise<{ value: T; monitor: Monitored }> {
  const histogram = delayHistogram();
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
        delayP50: delayOf(histogram.percentile(50)),
        delayP99: delayOf(histogram.percentile(99)),
        delayMax: delayOf(histogram.max),
        rssStartMb: rssStart / 2 ** 20,
        rssPeakMb: Math.max(rssPeak, process.memoryUsage.rss()) / 2 ** 20,
      },
    };
  } finally {
    histogram.disable();
    clearInterval(sampler);
  }
}
