// Starting the emulator child, seeded with one network (85) of a given size.
import type { EmulatorOptions, SeedSize, StatsSnapshot } from '../../src/emulator/index.ts';
import { startChild, type Child } from './child.ts';

export const NETWORK = 85;

export interface NetworkCounts {
  advertisers: number;
  zones: number;
  advertisements: number;
  campaigns: number;
  placements: number;
}

/** See importMinimum in bench/servers/emulator.ts. */
export interface ImportMinimum {
  byEndpoint: Record<string, number>;
  sharedAdvertisers: number;
}

export const minimumOf = (m: ImportMinimum): number => Object.values(m.byEndpoint).reduce((a, b) => a + b, 0);

export interface BenchEmulator {
  url: string;
  token: string;
  stats(): Promise<StatsSnapshot>;
  counts(): Promise<NetworkCounts>;
  /** The fewest requests an import of network 85 can make, from the emulator's store. */
  importMinimum(): Promise<ImportMinimum>;
  clearStats(): Promise<void>;
  reset(): Promise<void>;
  config(patch: { rateLimit?: { rps: number } | null; latencyMs?: number }): Promise<void>;
  faults(rate: { rate: number; kinds: string[] } | null): Promise<void>;
  stop(): Promise<void>;
}

/** The demo's emulator (`npm run demo`: seed 42, the small preset), whose network 85 is the demo network. */
export const DEMO: EmulatorOptions = { seed: 42, size: 'small' };

/**
 * Network 85 alone, shaped like the emulator's "large" preset (3 ads and 2
 * campaigns per advertiser, 2 placements per campaign: 10 entities per
 * advertiser) with one zone per 15 advertisers — about `entities` in all.
 */
export function networkOf(entities: number): Partial<SeedSize> {
  const advertisersPerNetwork = Math.max(1, Math.round((entities - 1) / (10 + 1 / 15)));
  return {
    networks: 1,
    advertisersPerNetwork,
    zonesPerNetwork: Math.max(1, Math.round(advertisersPerNetwork / 15)),
    advertisementsPerAdvertiser: 3,
    campaignsPerAdvertiser: 2,
    placementsPerCampaign: 2,
  };
}

export async function startBenchEmulator(options: EmulatorOptions): Promise<BenchEmulator> {
  const child: Child = await startChild('bench/servers/emulator.ts', { BENCH_EMULATOR: JSON.stringify(options) });
  return {
    url: child.info.url,
    token: child.info.token,
    stats: () => child.call('stats'),
    counts: () => child.call('counts', NETWORK),
    importMinimum: () => child.call('importMinimum', NETWORK),
    clearStats: () => child.call('clearStats'),
    reset: () => child.call('reset'),
    config: (patch) => child.call('config', patch),
    faults: (rate) => child.call('faults', rate),
    stop: () => child.stop(),
  };
}

export const totalOf = (c: NetworkCounts): number => 1 + c.advertisers + c.zones + c.advertisements + c.campaigns + c.placements;
