// How runs fail: a refused token stops the run; one entity's failure skips
// its children and the rest completes; transient faults still create every
// entity exactly once.
import { afterEach, describe, expect, it } from 'vitest';
import { db } from '../helpers/db.ts';
import { newMongoId } from '../../src/domain/ids.ts';
import { findDuplicates } from '../../src/emulator/stats.ts';
import { databaseSkipReason } from '../helpers/database.ts';
import { anyAdvertisement, localAdvertiser, localCampaign, localPlacement, localZone, networkRow } from '../helpers/local-entities.ts';
import { countsByType, startSyncEnv, type SyncEnv } from '../helpers/sync.ts';

const skip = databaseSkipReason();
const NETWORK = 85;

describe.skipIf(!!skip)('sync failures', () => {
  let env: SyncEnv | undefined;
  afterEach(async () => {
    await env?.stop();
    env = undefined;
  });

  async function importedEnv(emulator = {}, server: Record<string, string> = {}) {
    env = await startSyncEnv({ size: 'tiny', ...emulator }, { BROADSTREET_RETRY_BASE_MS: '5', ...server });
    expect((await env.sync({ networkId: NETWORK, direction: 'IMPORT' })).run.status).toBe('SUCCEEDED');
    return env;
  }

  it('AUTH: a refused token fails the run with a clear reason, and the token appears nowhere', async () => {
    const e = await importedEnv();
    const network = await networkRow(NETWORK);
    await localAdvertiser(network.id, 'Never Sent');
    const secret = e.emulator.config.token;
    e.emulator.config.token = 'rotated-token';
    const { run, events } = await e.sync({ networkId: NETWORK, direction: 'EXPORT' });
    expect(run.status).toBe('FAILED');
    expect(run.failureReason).toMatch(/refused the access token/);
    expect(events.at(-1)).toMatchObject({ status: 'FAILED' });
    const everything = JSON.stringify({ run, events });
    expect(everything).not.toContain(secret);
    expect(await db().advertiser.count({ where: { name: 'Never Sent', broadstreetId: { not: null } } })).toBe(0);
    expect(e.emulator.stats.created.advertiser).toBe(0);
  });

  it('VALIDATION of one advertiser skips its campaigns and placements (DEPENDENCY); the rest completes: PARTIAL', async () => {
    const e = await importedEnv();
    const network = await networkRow(NETWORK);
    const bad = await localAdvertiser(network.id, '   ');
    const badCampaign = await localCampaign(network.id, bad.id, 'Orphan Campaign');
    const zone = await localZone(network.id, 'Good Zone');
    const ad = await anyAdvertisement(network.id);
    const badPlacement = await localPlacement(network.id, { campaignId: badCampaign.id, advertisementId: ad.id, zoneId: zone.id });
    const good = await localAdvertiser(network.id, 'Good Advertiser');
    const goodCampaign = await localCampaign(network.id, good.id, 'Good Campaign');

    const { run, events } = await e.sync({ networkId: NETWORK, direction: 'EXPORT' });
    expect(run.status).toBe('PARTIAL');
    const errors = events.flatMap((ev) => ev.errors);
    expect(errors).toContainEqual(expect.objectContaining({ code: 'VALIDATION', entityType: 'ADVERTISER', mongoId: bad.mongoId }));
    expect(errors).toContainEqual(expect.objectContaining({ code: 'DEPENDENCY', entityType: 'CAMPAIGN', mongoId: badCampaign.mongoId }));
    expect(errors).toContainEqual(expect.objectContaining({ code: 'DEPENDENCY', entityType: 'PLACEMENT', mongoId: badPlacement.mongoId }));
    expect(run.errors).toHaveLength(3);
    expect(countsByType(run)).toMatchObject({
      ADVERTISER: { created: 1, failed: 1 },
      ZONE: { created: 1 },
      CAMPAIGN: { created: 1, skipped: 1 },
      PLACEMENT: { skipped: 1 },
    });
    expect((await db().campaign.findUniqueOrThrow({ where: { id: goodCampaign.id } })).broadstreetId).not.toBeNull();
    for (const id of [bad.id]) expect((await db().advertiser.findUniqueOrThrow({ where: { id } })).broadstreetId).toBeNull();
    expect((await db().campaign.findUniqueOrThrow({ where: { id: badCampaign.id } })).broadstreetId).toBeNull();
    expect((await db().placement.findUniqueOrThrow({ where: { id: badPlacement.id } })).syncedAt).toBeNull();
    const stored = await db().syncError.findMany({ where: { mongoId: bad.mongoId } });
    expect(stored).toHaveLength(1);
  });

  it('20% injected 5xx, resets and dropped responses: every entity is created exactly once', async () => {
    const e = await importedEnv();
    const network = await networkRow(NETWORK);
    const ad = await anyAdvertisement(network.id);
    const zones = await Promise.all(Array.from({ length: 4 }, (_, i) => localZone(network.id, `Flaky Zone ${i}`)));
    for (let i = 0; i < 8; i++) {
      const advertiser = await localAdvertiser(network.id, `Flaky Advertiser ${i}`);
      const campaign = await localCampaign(network.id, advertiser.id, `Flaky Campaign ${i}`);
      await localPlacement(network.id, { campaignId: campaign.id, advertisementId: ad.id, zoneId: zones[i % 4]!.id });
    }
    e.emulator.faults.setRate({ rate: 0.2, kinds: ['5xx', 'reset', 'created-then-dropped'] });
    const { run } = await e.sync({ networkId: NETWORK, direction: 'EXPORT' });
    e.emulator.faults.setRate(null);
    expect(run.status).toBe('SUCCEEDED');
    expect(countsByType(run)).toMatchObject({
      ADVERTISER: { created: 8, failed: 0 },
      ZONE: { created: 4, failed: 0 },
      CAMPAIGN: { created: 8, failed: 0 },
      PLACEMENT: { created: 8, failed: 0 },
    });
    expect(e.emulator.stats.created).toMatchObject({ advertiser: 8, zone: 4, campaign: 8, placement: 8 });
    expect(findDuplicates(e.emulator.store).filter((d) => d.createdByApi > 0)).toEqual([]);
    expect(await db().advertiser.count({ where: { networkId: network.id, broadstreetId: null } })).toBe(0);
    expect(await db().placement.count({ where: { networkId: network.id, syncedAt: null } })).toBe(0);
    expect(Object.values(e.emulator.faults.injected).reduce((a, b) => a + (b ?? 0), 0)).toBeGreaterThan(0);
  });

  it('a run with 1,200 failures records them all, and its retry takes them all up', async () => {
    const e = await importedEnv();
    const network = await networkRow(NETWORK);
    await db().zone.createMany({
      data: Array.from({ length: 1_200 }, (_, i) => ({
        mongoId: newMongoId(),
        networkId: network.id,
        name: ' ',
        createdLocally: true,
        alias: `blank-${i}`,
      })),
    });
    const first = await e.sync({ networkId: NETWORK, direction: 'EXPORT', entityTypes: ['ZONE'] });
    expect(first.run.status).toBe('PARTIAL');
    expect(countsByType(first.run).ZONE).toMatchObject({ failed: 1_200, created: 0 });
    expect(first.run.errors).toHaveLength(1_200);
    const retry = await e.sync({ networkId: NETWORK, direction: 'EXPORT', retryOf: first.run.id });
    expect(countsByType(retry.run).ZONE).toMatchObject({ failed: 1_200, created: 0 });
    expect(e.emulator.stats.created.zone).toBe(0);
  });
});
