// A network whose placements each have their own campaign, advertiser, zone
// and advertisement (the worst case for N+1), written with Prisma.
import type { Db } from '../../src/db/index.ts';
import { newMongoId } from '../../src/domain/ids.ts';

export async function seedPlacements(db: Db, broadstreetNetworkId: number, size: number): Promise<void> {
  const network = await db.network.create({
    data: {
      mongoId: newMongoId(),
      broadstreetId: broadstreetNetworkId,
      name: `Bench network ${broadstreetNetworkId}`,
      syncedAt: new Date(),
    },
  });
  const base = broadstreetNetworkId * 100_000;
  const rows = Array.from({ length: size }, (_, i) => i);
  const common = (i: number) => ({ mongoId: newMongoId(), broadstreetId: base + i, networkId: network.id, syncedAt: new Date() });
  const chunks = <T>(list: T[]) => Array.from({ length: Math.ceil(list.length / 500) }, (_, i) => list.slice(i * 500, i * 500 + 500));
  const many = async <T, R>(list: T[], write: (chunk: T[]) => Promise<R[]>) => (await Promise.all(chunks(list).map(write))).flat();
  const advertisers = await many(rows, (c) =>
    db.advertiser.createManyAndReturn({ data: c.map((i) => ({ ...common(i), name: `Advertiser ${i}`, admins: [] })) }),
  );
  const zones = await many(rows, (c) => db.zone.createManyAndReturn({ data: c.map((i) => ({ ...common(i), name: `Zone ${i}` })) }));
  const campaigns = await many(rows, (c) =>
    db.campaign.createManyAndReturn({ data: c.map((i) => ({ ...common(i), name: `Campaign ${i}`, advertiserId: advertisers[i]!.id })) }),
  );
  const ads = await many(rows, (c) =>
    db.advertisement.createManyAndReturn({
      data: c.map((i) => ({ ...common(i), name: `Ad ${i}`, type: 'StaticAdvertisement', advertiserId: advertisers[i]!.id })),
    }),
  );
  await many(rows, async (c) => {
    await db.placement.createMany({
      data: c.map((i) => ({
        mongoId: newMongoId(),
        networkId: network.id,
        campaignId: campaigns[i]!.id,
        advertisementId: ads[i]!.id,
        zoneId: zones[i]!.id,
        restrictions: ['desktop'],
        syncedAt: new Date(),
      })),
    });
    return [];
  });
}

/** The realistic query of items 3 and 4: one page of 50 placements with their parents. */
export const PLACEMENT_PAGE = `query PlacementPage($networkId: Int!) {
  placements(networkId: $networkId, first: 50) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node {
      id mongoId restrictions syncedAt
      campaign { id mongoId broadstreetId name startDate endDate weight advertiser { id broadstreetId name } }
      advertisement { id broadstreetId name type previewUrl }
      zone { id broadstreetId name alias }
    } }
  }
}`;
