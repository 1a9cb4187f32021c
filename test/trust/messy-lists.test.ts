// Issue 14 #5: one item of an unexpected shape fails alone. A zone whose
// self_serve is not a boolean, or a campaign whose weight has a name we do not
// know, is a VALIDATION error naming it and the field; the rest imports.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { advertiserSchema, BroadstreetClient, createRateLimiter } from '../../src/broadstreet/index.ts';
import { db } from '../helpers/db.ts';
import { startEmulator } from '../../src/emulator/index.ts';
import { databaseSkipReason } from '../helpers/database.ts';
import { networkRow } from '../helpers/local-entities.ts';
import { countsByType, startSyncEnv, type SyncEnv } from '../helpers/sync.ts';

const skip = databaseSkipReason();
const NETWORK = 85;

describe.skipIf(!!skip)('lists with one bad item', () => {
  let env: SyncEnv | undefined;
  afterEach(async () => {
    vi.restoreAllMocks();
    await env?.stop();
    env = undefined;
  });

  it('validates a large list in slices, letting the event loop run between them', async () => {
    const emulator = await startEmulator({
      size: 'tiny',
      advertisersPerNetwork: 3_000,
      advertisementsPerAdvertiser: 0,
      campaignsPerAdvertiser: 0,
    });
    try {
      const client = new BroadstreetClient({
        baseUrl: emulator.url,
        token: emulator.config.token,
        limiter: createRateLimiter({ rps: 1000 }),
      });
      // Which turn of the event loop each item was validated in: a single pass would be one turn.
      let turn = 0;
      let spinning = true;
      const spin = () => {
        turn += 1;
        if (spinning) setImmediate(spin);
      };
      const turnsSeen = new Set<number>();
      const original = advertiserSchema.safeParse.bind(advertiserSchema);
      vi.spyOn(advertiserSchema, 'safeParse').mockImplementation(((value: unknown) => {
        turnsSeen.add(turn);
        return original(value);
      }) as never);
      spin();
      const listed = await client.listAdvertisers(NETWORK);
      spinning = false;
      expect(listed).toHaveLength(3_000);
      expect(turnsSeen.size).toBeGreaterThanOrEqual(3_000 / 500);
    } finally {
      await emulator.stop();
    }
  });

  it('imports every zone and campaign but the bad ones, which fail alone naming their field', async () => {
    env = await startSyncEnv({ size: 'small' });
    const { store } = env.emulator;
    const zones = store.zonesOf(NETWORK);
    const badZone = zones[0]!;
    Object.assign(badZone, { selfServe: 'yes' });
    const campaigns = store.advertisersOf(NETWORK).flatMap((a) => store.campaignsOf(a.id));
    const badCampaign = campaigns[0]!;
    Object.assign(badCampaign, { weight: 'premium' });

    const { run } = await env.sync({ networkId: NETWORK, direction: 'IMPORT' });
    expect(run.status).toBe('PARTIAL');
    const network = await networkRow(NETWORK);
    expect(await db().zone.count({ where: { networkId: network.id } })).toBe(zones.length - 1);
    expect(await db().campaign.count({ where: { networkId: network.id } })).toBe(campaigns.length - 1);
    expect(countsByType(run).ZONE).toMatchObject({ created: zones.length - 1, failed: 1 });
    expect(countsByType(run).CAMPAIGN).toMatchObject({ created: campaigns.length - 1, failed: 1 });
    expect(run.errors).toContainEqual(
      expect.objectContaining({
        code: 'VALIDATION',
        entityType: 'ZONE',
        broadstreetId: badZone.id,
        message: expect.stringMatching(/self_serve/),
      }),
    );
    expect(run.errors).toContainEqual(
      expect.objectContaining({
        code: 'VALIDATION',
        entityType: 'CAMPAIGN',
        broadstreetId: badCampaign.id,
        message: expect.stringMatching(/weight/),
      }),
    );
    expect(countsByType(run).PLACEMENT!.created).toBeGreaterThan(0);

    // Once the zone is fixed in Broadstreet, the next import takes it, and nothing was marked removed meanwhile.
    Object.assign(badZone, { selfServe: true });
    const again = await env.sync({ networkId: NETWORK, direction: 'IMPORT', entityTypes: ['ZONE'] });
    expect(countsByType(again.run).ZONE).toMatchObject({ created: 1, failed: 0 });
    expect(await db().zone.count({ where: { networkId: network.id, removedAt: { not: null } } })).toBe(0);
  });
});
