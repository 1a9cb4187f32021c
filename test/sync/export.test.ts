// An export of local entities with local parents, end to end.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '../helpers/db.ts';
import { databaseSkipReason } from '../helpers/database.ts';
import { anyAdvertisement, localAdvertiser, localCampaign, localPlacement, localZone, networkRow } from '../helpers/local-entities.ts';
import { countsByType, phasesInOrder, startSyncEnv, type SyncEnv } from '../helpers/sync.ts';

const skip = databaseSkipReason();
const NETWORK = 85;

describe.skipIf(!!skip)('export', () => {
  let env: SyncEnv;
  beforeAll(async () => {
    env = await startSyncEnv({ size: 'tiny' });
    const { run } = await env.sync({ networkId: NETWORK, direction: 'IMPORT' });
    expect(run.status).toBe('SUCCEEDED');
  });
  afterAll(() => env?.stop());

  it('creates local entities in Broadstreet, parents first, and stores their ids', async () => {
    const network = await networkRow(NETWORK);
    const advertiser = await localAdvertiser(network.id, 'Acme Local', { webHomeUrl: 'https://acme.example', notes: 'new' });
    const campaign = await localCampaign(network.id, advertiser.id, 'Spring Push', {
      startDate: '2027-03-01',
      endDate: '2027-05-31',
      weight: 1.5,
      paused: true,
    });
    const zone = await localZone(network.id, 'Sidebar Local', { alias: 'sidebar-local' });
    const ad = await anyAdvertisement(network.id);
    const placement = await localPlacement(network.id, { campaignId: campaign.id, advertisementId: ad.id, zoneId: zone.id }, ['mobile']);
    const syncedAdvertiser = await db().advertiser.findFirstOrThrow({ where: { networkId: network.id, broadstreetId: { not: null } } });
    const campaignOfSynced = await localCampaign(network.id, syncedAdvertiser.id, 'Summer Push');
    const createdBefore = { ...env.emulator.stats.created };

    const { run, events } = await env.sync({ networkId: NETWORK, direction: 'EXPORT' });
    expect(run.status).toBe('SUCCEEDED');

    const store = env.emulator.store;
    const a = await db().advertiser.findUniqueOrThrow({ where: { id: advertiser.id } });
    const z = await db().zone.findUniqueOrThrow({ where: { id: zone.id } });
    const c = await db().campaign.findUniqueOrThrow({ where: { id: campaign.id } });
    const c2 = await db().campaign.findUniqueOrThrow({ where: { id: campaignOfSynced.id } });
    const p = await db().placement.findUniqueOrThrow({ where: { id: placement.id } });
    for (const row of [a, z, c, c2]) {
      expect(row.broadstreetId).not.toBeNull();
      expect(row.syncedAt).not.toBeNull();
      expect(row.intentName).toBeNull();
    }
    expect(p.syncedAt).not.toBeNull();
    expect(p.intentRunId).toBeNull();

    expect(store.advertisers.get(a.broadstreetId!)).toMatchObject({
      networkId: NETWORK,
      name: 'Acme Local',
      webHomeUrl: 'https://acme.example',
      notes: 'new',
    });
    expect(store.zones.get(z.broadstreetId!)).toMatchObject({ networkId: NETWORK, name: 'Sidebar Local', alias: 'sidebar-local' });
    expect(store.campaigns.get(c.broadstreetId!)).toMatchObject({
      advertiserId: a.broadstreetId,
      name: 'Spring Push',
      startDate: '2027-03-01',
      endDate: '2027-05-31',
      weight: 1.5,
      paused: true,
    });
    expect(store.campaigns.get(c2.broadstreetId!)).toMatchObject({ advertiserId: syncedAdvertiser.broadstreetId, name: 'Summer Push' });
    expect(store.placementsOf(c.broadstreetId!)).toEqual([
      expect.objectContaining({
        campaignId: c.broadstreetId,
        advertisementId: ad.broadstreetId,
        zoneId: z.broadstreetId,
        restrictions: ['mobile'],
      }),
    ]);

    const created = env.emulator.stats.created;
    expect(created.advertiser - createdBefore.advertiser).toBe(1);
    expect(created.zone - createdBefore.zone).toBe(1);
    expect(created.campaign - createdBefore.campaign).toBe(2);
    expect(created.placement - createdBefore.placement).toBe(1);

    expect(phasesInOrder(events)).toEqual(['VALIDATION', 'ADVERTISERS', 'ZONES', 'CAMPAIGNS', 'PLACEMENTS', 'CLEANUP']);
    for (let i = 1; i < events.length; i++) expect(events[i]!.percentage).toBeGreaterThanOrEqual(events[i - 1]!.percentage);
    expect(events.at(-1)).toMatchObject({ status: 'SUCCEEDED', percentage: 100 });
    expect(countsByType(run)).toEqual({
      ADVERTISER: { created: 1, updated: 0, unchanged: 0, failed: 0, skipped: 0 },
      ZONE: { created: 1, updated: 0, unchanged: 0, failed: 0, skipped: 0 },
      CAMPAIGN: { created: 2, updated: 0, unchanged: 0, failed: 0, skipped: 0 },
      PLACEMENT: { created: 1, updated: 0, unchanged: 0, failed: 0, skipped: 0 },
    });
  });

  it('creates under "Name (1)" when the name is taken in Broadstreet, and warns', async () => {
    const network = await networkRow(NETWORK);
    const taken = env.emulator.store.advertisersOf(NETWORK)[0]!.name;
    const twin = await localAdvertiser(network.id, taken);
    const { run, events } = await env.sync({ networkId: NETWORK, direction: 'EXPORT' });
    expect(run.status).toBe('SUCCEEDED');
    const row = await db().advertiser.findUniqueOrThrow({ where: { id: twin.id } });
    expect(row.name).toBe(`${taken} (1)`);
    expect(env.emulator.store.advertisers.get(row.broadstreetId!)!.name).toBe(`${taken} (1)`);
    expect(events.flatMap((e) => e.warnings)).toContainEqual(expect.stringContaining(`created as "${taken} (1)"`));
  });

  it('an export with nothing local succeeds doing nothing', async () => {
    const before = env.emulator.stats.total;
    const { run } = await env.sync({ networkId: NETWORK, direction: 'EXPORT' });
    expect(run.status).toBe('SUCCEEDED');
    expect(run.counts).toEqual([]);
    expect(env.emulator.stats.total).toBe(before);
  });
});
