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

/** One stall the drift probe saw: when (ms since the probe started), how long, and what was going on. */
export interface Stall {
  atMs: number;
  ms: number;
  /**
   * CPU time the process spent meanwhile (all its threads): well under `ms`,
   * the process was waiting for a core (the machine's doing, not its code).
   */
  cpuMs: number;
  label: string;
}

export interface StallReport {
  /** The largest single stall, in ms. */
  max: number;
  /** Stalls longer than 20 ms. */
  over20: number;
  /** The largest min(stall, CPU time meanwhile): what the process's own work held the loop, less waiting for a core. */
  maxOwn: number;
  /** Stalls longer than 20 ms, largest first. */
  stalls: Stall[];
}

/** How often the drift probe's timer is due, in ms. */
export const PROBE_MS = 2;

/**
 * A drift probe: a timer due every PROBE_MS; a tick that comes late by more
 * than that measures one stall of the event loop, however short the rest of
 * the run (the histogram above gives percentiles; this gives each stall, with
 * `label()` saying what the process was doing when it ended).
 */
export function stallProbe(label: () => string = () => ''): { stop(): StallReport } {
  const started = performance.now();
  let last = started;
  let lastCpu = process.cpuUsage();
  let max = 0;
  let maxOwn = 0;
  const stalls: Stall[] = [];
  const timer = setInterval(() => {
    const now = performance.now();
    const stall = now - last - PROBE_MS;
    last = now;
    if (stall > max) max = stall;
    if (stall > 20) {
      const cpu = process.cpuUsage(lastCpu);
      const cpuMs = (cpu.user + cpu.system) / 1000;
      maxOwn = Math.max(maxOwn, Math.min(stall, cpuMs));
      stalls.push({ atMs: now - started, ms: stall, cpuMs, label: label() });
    } else maxOwn = Math.max(maxOwn, stall);
    lastCpu = process.cpuUsage();
  }, PROBE_MS);
  return {
    stop() {
      clearInterval(timer);
      const now = performance.now();
      const tail = now - last - PROBE_MS;
      if (tail > max) max = tail;
      return { max: Math.max(0, max), over20: stalls.length, maxOwn: Math.max(0, maxOwn), stalls: stalls.sort((a, b) => b.ms - a.ms) };
    },
  };
}
