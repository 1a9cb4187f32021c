// What the inspection endpoint reports: requests per endpoint, the busiest
// one-second window, entities created per type, duplicates by name per scope.
import type { EntityKind, Origin } from './model.ts';
import type { EmulatorStore } from './store.ts';
import { SlidingWindow } from './window.ts';

export interface DuplicateGroup {
  type: 'advertiser' | 'zone' | 'campaign' | 'advertisement';
  /** "network:85" or "advertiser:10001". */
  scope: string;
  name: string;
  count: number;
  /** How many of them were created through the API (the rest are seed data). */
  createdByApi: number;
}

export class EmulatorStats {
  private window = new SlidingWindow();
  total = 0;
  busiestSecond = 0;
  /** TCP connections accepted: few for many requests means keep-alive works. */
  connections = 0;
  byEndpoint: Record<string, number> = {};
  byStatus: Record<string, number> = {};
  created: Record<EntityKind, number> = emptyCreated();

  /** Called on arrival, before any fault or limit, with a monotonic time in ms. */
  recordRequest(endpoint: string, now: number): void {
    this.total++;
    this.byEndpoint[endpoint] = (this.byEndpoint[endpoint] ?? 0) + 1;
    this.busiestSecond = Math.max(this.busiestSecond, this.window.add(now));
  }

  recordStatus(status: number | 'dropped'): void {
    this.byStatus[status] = (this.byStatus[status] ?? 0) + 1;
  }

  recordCreated(kind: EntityKind): void {
    this.created[kind]++;
  }

  reset(): void {
    this.window.clear();
    this.total = 0;
    this.busiestSecond = 0;
    this.connections = 0;
    this.byEndpoint = {};
    this.byStatus = {};
    this.created = emptyCreated();
  }

  snapshot(store: EmulatorStore, injected: Record<string, number>) {
    const duplicates = findDuplicates(store);
    return {
      requests: { total: this.total, byEndpoint: { ...this.byEndpoint }, byStatus: { ...this.byStatus } },
      busiestSecond: this.busiestSecond,
      connections: this.connections,
      created: { ...this.created },
      entities: store.counts(),
      faultsInjected: injected,
      duplicates: {
        createdByApi: duplicates.filter((d) => d.createdByApi > 0),
        seedOnly: duplicates.filter((d) => d.createdByApi === 0).length,
      },
    };
  }
}

export type StatsSnapshot = ReturnType<EmulatorStats['snapshot']>;

function emptyCreated(): Record<EntityKind, number> {
  return { advertiser: 0, zone: 0, advertisement: 0, campaign: 0, placement: 0 };
}

/** Every name that occurs more than once within one scope. */
export function findDuplicates(store: EmulatorStore): DuplicateGroup[] {
  const groups = new Map<string, DuplicateGroup>();
  const add = (type: DuplicateGroup['type'], scope: string, name: string, origin: Origin) => {
    const key = `${type}|${scope}|${name}`;
    const group = groups.get(key) ?? { type, scope, name, count: 0, createdByApi: 0 };
    group.count++;
    if (origin === 'api') group.createdByApi++;
    groups.set(key, group);
  };
  for (const a of store.advertisers.values()) add('advertiser', `network:${a.networkId}`, a.name, a.origin);
  for (const z of store.zones.values()) add('zone', `network:${z.networkId}`, z.name, z.origin);
  for (const c of store.campaigns.values()) add('campaign', `advertiser:${c.advertiserId}`, c.name, c.origin);
  for (const ad of store.advertisements.values()) add('advertisement', `advertiser:${ad.advertiserId}`, ad.name, ad.origin);
  return [...groups.values()].filter((g) => g.count > 1);
}
