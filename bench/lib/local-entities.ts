// Local-only entities for an export, written with Prisma straight into the
// benchmark database, under the imported network: per advertiser two
// campaigns, each with two placements (a synced ad, two local zones).
import type { Db } from '../../src/db/index.ts';
import { newMongoId } from '../../src/domain/ids.ts';

export interface LocalCounts {
  advertisers: number;
  zones: number;
  campaigns: number;
  placements: number;
  total: number;
  /**
   * The name lists an export of them must read (DESIGN §2, name conflicts:
   * look in Broadstreet before creating): one per network-wide type it
   * creates (advertisers, zones). Campaigns need none: their advertisers are
   * created by the same run, so their scopes are known to be empty.
   */
  nameLists: number;
}

export async function createLocalEntities(db: Db, broadstreetNetworkId: number, entities: number): Promise<LocalCounts> {
  const network = await db.network.findUniqueOrThrow({ where: { broadstreetId: broadstreetNetworkId } });
  const ad = await db.advertisement.findFirstOrThrow({
    where: { networkId: network.id, broadstreetId: { not: null } },
    orderBy: { id: 'asc' },
  });
  const perAdvertiser = 1 + 2 + 4;
  const a = Math.max(1, Math.floor(entities / (perAdvertiser + 0.5)));
  const z = Math.max(2, entities - a * perAdvertiser);
  const local = (i: number, label: string) => ({
    mongoId: newMongoId(),
    networkId: network.id,
    name: `Bench ${label} ${i}`,
    createdLocally: true,
  });
  const range = (n: number) => Array.from({ length: n }, (_, i) => i);
  const advertisers = await db.advertiser.createManyAndReturn({ data: range(a).map((i) => ({ ...local(i, 'Advertiser'), admins: [] })) });
  const zones = await db.zone.createManyAndReturn({ data: range(z).map((i) => local(i, 'Zone')) });
  const campaigns = await db.campaign.createManyAndReturn({
    data: range(2 * a).map((i) => ({ ...local(i, 'Campaign'), advertiserId: advertisers[i >> 1]!.id })),
  });
  const placements = campaigns.flatMap((c, i) =>
    [0, 1].map((k) => ({
      mongoId: newMongoId(),
      networkId: network.id,
      campaignId: c.id,
      advertisementId: ad.id,
      zoneId: zones[(2 * i + k) % zones.length]!.id,
      restrictions: [],
      createdLocally: true,
    })),
  );
  for (let i = 0; i < placements.length; i += 500) await db.placement.createMany({ data: placements.slice(i, i + 500) });
  const counts = { advertisers: a, zones: z, campaigns: campaigns.length, placements: placements.length };
  return {
    ...counts,
    total: counts.advertisers + counts.zones + counts.campaigns + counts.placements,
    nameLists: (counts.advertisers > 0 ? 1 : 0) + (counts.zones > 0 ? 1 : 0),
  };
}
