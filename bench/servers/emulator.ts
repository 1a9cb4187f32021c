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

/**
 * The fewest requests an import of network `id` can make (issue 18), per
 * endpoint: the network, its advertiser, zone and network-wide advertisement
 * lists, one campaign list per advertiser and one placement list per
 * campaign; and how many advertisers share their name with another in the
 * network (an ad names its advertiser only by name, so those need a list of
 * their own).
 */
const importMinimum = (id: number) => {
  const advertisers = emulator.store.advertisersOf(id);
  const campaigns = advertisers.reduce((n, a) => n + emulator.store.campaignsOf(a.id).length, 0);
  const byName = new Map<string, number>();
  for (const a of advertisers) byName.set(a.name, (byName.get(a.name) ?? 0) + 1);
  return {
    byEndpoint: {
      'GET /networks/{id}': 1,
      'GET /advertisers': 1,
      'GET /zones': 1,
      'GET /advertisements': 1,
      'GET /campaigns': advertisers.length,
      'GET /placements': campaigns,
    },
    sharedAdvertisers: advertisers.filter((a) => byName.get(a.name)! > 1).length,
  };
};

serveParent(
  { url: emulator.url, origin: emulator.origin, token: emulator.config.token },
  {
    stats: () => emulator.stats.snapshot(emulator.store, emulator.faults.snapshot().injected),
    counts: (id: number) => network(id),
    importMinimum: (id: number) => importMinimum(id),
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
