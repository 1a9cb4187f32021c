import { describe, expect, it } from 'vitest';
import { createEmulatorCore } from '../../src/emulator/index.ts';
import { GROUP_ID, SIZE_PRESETS, resolveSize } from '../../src/emulator/seed.ts';
import { findDuplicates } from '../../src/emulator/stats.ts';

const dump = (seed: number) => {
  const { store } = createEmulatorCore({ seed, size: 'small' });
  return JSON.stringify([
    ...store.advertisers.values(),
    ...store.zones.values(),
    ...store.campaigns.values(),
    ...store.placements.values(),
  ]);
};

describe('seed data', () => {
  it('is the same for the same seed and different for another', () => {
    expect(dump(7)).toBe(dump(7));
    expect(dump(7)).not.toBe(dump(8));
  });

  it('always has network 85 "Demo Network" first', () => {
    for (const seed of [1, 2, 3]) {
      const { store } = createEmulatorCore({ seed, size: 'tiny' });
      expect([...store.networks.values()][0]).toMatchObject({ id: 85, name: 'Demo Network' });
    }
  });

  it('carries the quirks of real accounts', () => {
    const { store } = createEmulatorCore({ seed: 42, size: 'medium' });
    const campaigns = [...store.campaigns.values()];
    const zones = [...store.zones.values()];
    const advertisers = [...store.advertisers.values()];
    expect(campaigns.some((c) => c.endDate === null)).toBe(true);
    expect(campaigns.some((c) => c.startDate === null)).toBe(true);
    expect(campaigns.some((c) => c.displayType === null)).toBe(true);
    expect(new Set(campaigns.map((c) => c.weight))).toEqual(new Set([0, 0.5, 1, 1.5, 127]));
    expect(zones.some((z) => z.name.includes('\n'))).toBe(true);
    expect(zones.filter((z) => z.alias !== null).length).toBeLessThan(zones.length / 4);
    expect(advertisers.some((a) => a.webHomeUrl !== null && !/^https?:/.test(a.webHomeUrl))).toBe(true);
    expect(advertisers.some((a) => a.notes === null) && advertisers.some((a) => a.notes !== null)).toBe(true);
    expect(advertisers.some((a) => a.logoUrl === null) && advertisers.some((a) => a.admins.length > 0)).toBe(true);
    const placements = [...store.placements.values()];
    expect(placements.filter((p) => p.restrictions.length === 0).length).toBeGreaterThan(placements.length / 2);
    const types = new Set([...store.advertisements.values()].map((ad) => ad.type));
    expect(types).toEqual(new Set(['StaticAdvertisement', 'HtmlAdvertisement', 'StencilAdvertisement']));
  });

  it('repeats names across advertisers, and sometimes within a network', () => {
    const { store } = createEmulatorCore({ seed: 42, size: 'medium' });
    const campaignNames = [...store.campaigns.values()].map((c) => `${c.name}`);
    expect(new Set(campaignNames).size).toBeLessThan(campaignNames.length);
    expect(findDuplicates(store).some((d) => d.type === 'advertiser')).toBe(true);
  });

  it('keeps every placement consistent: ad of the campaign advertiser, zone of its network or of its group', () => {
    const { store } = createEmulatorCore({ seed: 3, size: 'small' });
    let acrossTheGroup = 0;
    for (const p of store.placements.values()) {
      const campaign = store.campaigns.get(p.campaignId)!;
      expect(store.advertisements.get(p.advertisementId)!.advertiserId).toBe(campaign.advertiserId);
      const zoneNetwork = store.zones.get(p.zoneId)!.networkId;
      if (zoneNetwork === campaign.networkId) continue;
      acrossTheGroup += 1;
      expect(store.networks.get(zoneNetwork)!.groupId).toBe(GROUP_ID);
      expect(store.networks.get(campaign.networkId)!.groupId).toBe(GROUP_ID);
    }
    expect(acrossTheGroup).toBeGreaterThan(0);
  });

  it('scales from a handful to 100,000+ entities, quickly', () => {
    const tiny = createEmulatorCore({ size: 'tiny' }).store.counts();
    expect(Object.values(tiny).reduce((a, b) => a + b)).toBeLessThan(100);
    const started = performance.now();
    const large = createEmulatorCore({ size: 'large' }).store.counts();
    const elapsed = performance.now() - started;
    expect(Object.values(large).reduce((a, b) => a + b)).toBeGreaterThan(100_000);
    expect(large.network).toBe(SIZE_PRESETS.large.networks);
    expect(elapsed).toBeLessThan(10_000);
  });

  it('sizes by entity count or by explicit counts', () => {
    const counts = createEmulatorCore({ size: 5_000 }).store.counts();
    const total = Object.values(counts).reduce((a, b) => a + b);
    expect(total).toBeGreaterThan(4_000);
    expect(total).toBeLessThan(6_000);
    expect(resolveSize('tiny', { networks: 1 }).networks).toBe(1);
    expect(createEmulatorCore({ size: 'tiny', networks: 1, advertisersPerNetwork: 5 }).store.counts()).toMatchObject({
      network: 1,
      advertiser: 5,
    });
    expect(() => resolveSize('huge' as never)).toThrow(/unknown size/);
  });
});
