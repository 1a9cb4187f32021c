// Under 20% injected 5xx and connection resets (some after the entity was
// created), a batch of creates ends with every entity created exactly once.
// The client never retries a create whose outcome is unknown; it says so, and
// the caller (as the sync engine will) looks the entity up before retrying.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BroadstreetError, type BroadstreetClient } from '../../src/broadstreet/index.ts';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.ts';
import { testClient, TEST_TOKEN } from './helpers.ts';

let emu: RunningEmulator;
beforeAll(async () => {
  emu = await startEmulator({
    seed: 99,
    size: 'tiny',
    token: TEST_TOKEN,
    faults: { rate: 0.2, kinds: ['5xx', 'reset', 'created-then-dropped'] },
  });
});
afterAll(() => emu.stop());

interface Tally {
  unknown: number;
  foundAfterUnknown: number;
}

/** Creates, and on an unknown outcome looks the entity up before trying again. */
async function createOnce<T>(tally: Tally, create: () => Promise<T>, lookup: () => Promise<{ value: T } | null>): Promise<T> {
  for (let round = 0; round < 20; round++) {
    try {
      return await create();
    } catch (error) {
      if (!(error instanceof BroadstreetError) || !error.outcomeUnknown) throw error;
      expect(error.attempts).toBe(1);
      tally.unknown++;
      const existing = await lookup();
      if (existing) {
        tally.foundAfterUnknown++;
        return existing.value;
      }
    }
  }
  throw new Error('gave up after 20 rounds');
}

const found = <T>(value: T | undefined) => (value === undefined ? null : { value });

describe('creates under injected faults', () => {
  it('creates every advertiser, zone, campaign and placement exactly once', async () => {
    const client: BroadstreetClient = testClient(emu.url, { maxAttempts: 8 });
    const tally: Tally = { unknown: 0, foundAfterUnknown: 0 };
    const names = Array.from({ length: 30 }, (_, i) => `Batch ${String(i + 1).padStart(2, '0')}`);

    const advertisers = await Promise.all(
      names.map((name) =>
        createOnce(
          tally,
          () => client.createAdvertiser(85, { name }),
          async () => found((await client.listAdvertisers(85)).find((a) => a.name === name)),
        ),
      ),
    );
    const zones = await Promise.all(
      names.map((name) =>
        createOnce(
          tally,
          () => client.createZone(85, { name }),
          async () => found((await client.listZones(85)).find((z) => z.name === name)),
        ),
      ),
    );
    const campaigns = await Promise.all(
      advertisers.map((a) =>
        createOnce(
          tally,
          () => client.createCampaign(a.id, { name: `${a.name} Campaign`, weight: 1 }),
          async () => found((await client.listCampaigns({ advertiserId: a.id })).find((c) => c.name === `${a.name} Campaign`)),
        ),
      ),
    );
    // Placements need an advertisement of the campaign's advertiser: give each new advertiser one directly.
    const ads = advertisers.map((a, i) => {
      const id = emu.store.nextId('advertisement');
      emu.store.addAdvertisement({
        id,
        networkId: 85,
        advertiserId: a.id,
        name: `Ad ${i}`,
        type: 'StaticAdvertisement',
        updatedAt: '2025-01-01T00:00:00+00:00',
        activeUrl: null,
        destination: null,
        html: null,
        origin: 'seed',
      });
      return id;
    });
    await Promise.all(
      campaigns.map((c, i) => {
        const triple = { campaignId: c.id, advertisementId: ads[i]!, zoneId: zones[i]!.id };
        return createOnce(
          tally,
          () => client.createPlacement(triple),
          async () => {
            const placements = await client.listPlacements(c.id);
            return placements.some((p) => p.zoneId === triple.zoneId && p.advertisementId === triple.advertisementId)
              ? { value: undefined }
              : null;
          },
        );
      }),
    );

    const injected = emu.faults.snapshot().injected;
    expect(injected['5xx']).toBeGreaterThan(0);
    expect(injected.reset).toBeGreaterThan(0);
    expect(injected['created-then-dropped']).toBeGreaterThan(0);
    expect(tally.unknown).toBeGreaterThan(0);
    expect(tally.foundAfterUnknown).toBeGreaterThan(0);

    for (const name of names) {
      expect(emu.store.advertisersOf(85).filter((a) => a.name === name)).toHaveLength(1);
      expect(emu.store.zonesOf(85).filter((z) => z.name === name)).toHaveLength(1);
    }
    for (const [i, a] of advertisers.entries()) {
      expect(emu.store.campaignsOf(a.id).map((c) => c.name)).toEqual([`${a.name} Campaign`]);
      expect(emu.store.placementsOf(campaigns[i]!.id)).toEqual([
        expect.objectContaining({ advertisementId: ads[i], zoneId: zones[i]!.id }),
      ]);
    }
    expect(emu.stats.created).toMatchObject({ advertiser: 30, zone: 30, campaign: 30, placement: 30 });
    const stats = emu.stats.snapshot(emu.store, injected);
    expect(stats.duplicates.createdByApi).toEqual([]);
  });
});
