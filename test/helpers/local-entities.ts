// Local-only entities written straight to the database, for sync tests.
import { db } from './db.ts';
import { newMongoId } from '../../src/domain/ids.ts';

export async function networkRow(broadstreetId: number) {
  return db().network.findUniqueOrThrow({ where: { broadstreetId } });
}

export function localAdvertiser(networkId: number, name: string, extra: Record<string, unknown> = {}) {
  return db().advertiser.create({
    data: { mongoId: newMongoId(), networkId, name, admins: [], createdLocally: true, ...extra },
  });
}

export function localZone(networkId: number, name: string, extra: Record<string, unknown> = {}) {
  return db().zone.create({ data: { mongoId: newMongoId(), networkId, name, createdLocally: true, ...extra } });
}

export function localCampaign(networkId: number, advertiserId: number, name: string, extra: Record<string, unknown> = {}) {
  return db().campaign.create({
    data: { mongoId: newMongoId(), networkId, advertiserId, name, createdLocally: true, ...extra },
  });
}

export function localPlacement(
  networkId: number,
  parents: { campaignId: number; advertisementId: number; zoneId: number },
  restrictions: string[] = [],
) {
  return db().placement.create({
    data: { mongoId: newMongoId(), networkId, ...parents, restrictions, createdLocally: true },
  });
}

/** A synced advertisement of the network (imported), to place local campaigns on. */
export function anyAdvertisement(networkId: number) {
  return db().advertisement.findFirstOrThrow({ where: { networkId, broadstreetId: { not: null } }, orderBy: { id: 'asc' } });
}
