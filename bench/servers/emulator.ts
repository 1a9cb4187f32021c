// The Broadstreet emulator in its own process, so the server under test does
// not pay for serving its own requests. Options come as JSON in BENCH_EMULATOR.
import { startEmulator, type EmulatorOptions } from '../../src/emulator/index.ts';
import { serveParent } from '../lib/child.ts';

const options = JSON.parse(process.env.BENCH_EMULATOR ?? '{}') as EmulatorOptions;
const emulator = await startEmulator({ ...options, port: 0 });
const network = (id: number) => {
  const advertisers = emulator.store.advertisersOf(id);
  const campaigns = advertisers.flatMap((a) => emulator.store.campaignsOf(a.id));
  return {
    advertisers: advertisers.length,
    zones: emulator.store.zonesOf(id).length,
    advertisements: emulator.store.advertisementsOf(id).length,
    campaigns: campaigns.length,
    placements: campaigns.reduce((n, c) => n + emulator.store.placementsOf(c.id).length, 0),
  };
};

serveParent(
  { url: emulator.url, origin: emulator.origin, token: emulator.config.token },
  {
    stats: () => emulator.stats.snapshot(emulator.store, emulator.faults.snapshot().injected),
    counts: (id: number) => network(id),
    /** Statistics only (requests, busiest second), keeping the data. */
    clearStats: () => emulator.stats.reset(),
    reset: () => emulator.reset(),
    config: (patch: Record<string, unknown>) => {
      emulator.core.config = { ...emulator.core.config, ...patch };
      return emulator.core.config;
    },
    faults: (rate: Parameters<typeof emulator.faults.setRate>[0]) => emulator.faults.setRate(rate),
  },
  () => emulator.stop(),
);
