// Lists larger than a slice and lookups larger than a page (issue 18): the
// network's advertiser list (1,100: more than a validation slice of 500 and a
// reconcile slice of 1,000) and ~2,200 advertisements (more than a lookup
// page of 2,000, read back at the start of the placements phase) import
// exactly; a second import finds every row it wrote (paged reads of the
// existing rows) and creates nothing twice.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ITEMS_PER_TURN } from '../../src/broadstreet/http.ts';
import { LOOKUP_PAGE } from '../../src/db/paged.ts';
import { ITEMS_PER_SLICE } from '../../src/domain/slices.ts';
import { db } from '../helpers/db.ts';
import { databaseSkipReason } from '../helpers/database.ts';
import { countsByType, startSyncEnv, type SyncEnv } from '../helpers/sync.ts';

const skip = databaseSkipReason();
const ADVERTISERS = 1_100;

describe.skipIf(!!skip)('import of lists larger than a slice and lookups larger than a page', () => {
  let env: SyncEnv;
  let networkId: number;
  beforeAll(async () => {
    env = await startSyncEnv(
      {
        size: 'tiny',
        networks: 1,
        advertisersPerNetwork: ADVERTISERS,
        zonesPerNetwork: 4,
        advertisementsPerAdvertiser: 2,
        campaignsPerAdvertiser: 1,
        placementsPerCampaign: 1,
      },
      { BROADSTREET_RATE_LIMIT_RPS: '10000', SYNC_CONCURRENCY: '8' },
    );
    networkId = [...env.emulator.store.networks.keys()][0]!;
  }, 120_000);
  afterAll(() => env?.stop());

  it('imports every entity, then re-imports without creating any again', { timeout: 240_000 }, async () => {
    const store = env.emulator.store;
    const advertisers = store.advertisersOf(networkId);
    const ads = advertisers.flatMap((a) => store.advertisementsOfAdvertiser(a.id));
    const campaigns = advertisers.flatMap((a) => store.campaignsOf(a.id));
    const placements = campaigns.flatMap((c) => store.placementsOf(c.id));
    expect(advertisers.length).toBeGreaterThan(Math.max(ITEMS_PER_TURN, ITEMS_PER_SLICE));
    expect(ads.length).toBeGreaterThan(LOOKUP_PAGE);

    const first = await env.sync({ networkId, direction: 'IMPORT' });
    expect(first.run.status).toBe('SUCCEEDED');
    const network = await db().network.findUniqueOrThrow({ where: { broadstreetId: networkId } });
    const local = (await db().advertiser.findMany({ where: { networkId: network.id }, select: { broadstreetId: true } })).map(
      (a) => a.broadstreetId,
    );
    expect(local.sort((a, b) => a! - b!)).toEqual(advertisers.map((a) => a.id).sort((a, b) => a - b));
    expect(await db().advertisement.count({ where: { networkId: network.id } })).toBe(ads.length);
    const localPlacements = await db().placement.findMany({
      where: { networkId: network.id },
      select: {
        campaign: { select: { broadstreetId: true } },
        advertisement: { select: { broadstreetId: true } },
        zone: { select: { broadstreetId: true } },
      },
    });
    // Every placement found its ad (ads past the first lookup page included) and its zone.
    expect(
      localPlacements.map((p) => `${p.campaign.broadstreetId}/${p.advertisement.broadstreetId}/${p.zone.broadstreetId}`).sort(),
    ).toEqual(campaigns.flatMap((c) => store.placementsOf(c.id).map((p) => `${c.id}/${p.advertisementId}/${p.zoneId}`)).sort());
    expect(localPlacements).toHaveLength(placements.length);

    const second = await env.sync({ networkId, direction: 'IMPORT' });
    expect(second.run.status).toBe('SUCCEEDED');
    const counts = countsByType(second.run);
    for (const type of ['ADVERTISER', 'ADVERTISEMENT', 'CAMPAIGN', 'PLACEMENT']) {
      expect(counts[type], type).toMatchObject({ created: 0, updated: 0, failed: 0 });
    }
    expect(counts.ADVERTISER!.unchanged).toBe(advertisers.length);
    expect(counts.ADVERTISEMENT!.unchanged).toBe(ads.length);
    expect(counts.PLACEMENT!.unchanged).toBe(placements.length);
    expect(await db().advertisement.count({ where: { networkId: network.id } })).toBe(ads.length);
    expect(await db().placement.count({ where: { networkId: network.id, removedAt: null } })).toBe(placements.length);
  });
});
