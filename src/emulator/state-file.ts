// The emulator's data in a file, so that a restarted demo resumes Broadstreet
// as it was — records and id counters — instead of fresh data whose reused ids
// would name other entities than the database beside it remembers.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { EmulatorCore } from './core.ts';
import { EmulatorStore, type IdCounters } from './store.ts';

interface Snapshot {
  version: 1;
  counters: IdCounters;
  networks: unknown[];
  advertisers: unknown[];
  zones: unknown[];
  advertisements: unknown[];
  campaigns: unknown[];
  placements: unknown[];
}

export function snapshotOf(store: EmulatorStore): Snapshot {
  return {
    version: 1,
    counters: store.idCounters(),
    networks: [...store.networks.values()],
    advertisers: [...store.advertisers.values()],
    zones: [...store.zones.values()],
    advertisements: [...store.advertisements.values()],
    campaigns: [...store.campaigns.values()],
    placements: [...store.placements.values()],
  };
}

export function storeFrom(snapshot: Snapshot): EmulatorStore {
  const store = new EmulatorStore(snapshot.counters);
  for (const r of snapshot.networks) store.addNetwork(r as never);
  for (const r of snapshot.advertisers) store.addAdvertiser(r as never);
  for (const r of snapshot.zones) store.addZone(r as never);
  for (const r of snapshot.advertisements) store.addAdvertisement(r as never);
  for (const r of snapshot.campaigns) store.addCampaign(r as never);
  for (const r of snapshot.placements) store.addPlacement(r as never);
  return store;
}

/** The store saved in `file`, or null when there is none. */
export function loadState(file: string): EmulatorStore | null {
  if (!existsSync(file)) return null;
  const snapshot = JSON.parse(readFileSync(file, 'utf8')) as Snapshot;
  if (snapshot.version !== 1) throw new Error(`${file} is not an emulator state file this version can read`);
  return storeFrom(snapshot);
}

/** Writes the store atomically (a temporary file renamed over the old one). */
export function saveState(file: string, store: EmulatorStore): void {
  const temporary = `${file}.tmp`;
  writeFileSync(temporary, JSON.stringify(snapshotOf(store)));
  renameSync(temporary, file);
}

/** Saves the core's store after every change Broadstreet acted on (debounced), and once more on flush. */
export function persistTo(file: string, core: EmulatorCore): { flush(): void } {
  let timer: NodeJS.Timeout | undefined;
  const save = () => {
    timer = undefined;
    saveState(file, core.store);
  };
  core.onChange = () => {
    timer ??= setTimeout(save, 100);
  };
  save();
  return {
    flush() {
      if (timer) clearTimeout(timer);
      save();
    },
  };
}
