// Rows as an import would leave them, written straight to the database.
import { db } from './db.ts';
import { newMongoId } from '../../src/domain/ids.ts';

let nextBroadstreetId = 1000;
const bsid = () => nextBroadstreetId++;
const synced = () => ({ mongoId: newMongoId(), syncedAt: new Date() });

export function seedNetwork(broadstreetId = bsid(), name = `Network ${broadstreetId}`) {
  return db().network.create({ data: { ...synced(), broadstreetId, name } });
}

export function seedAdvertiser(networkId: number, fields: { name?: string; broadstreetId?: number | null } = {}) {
  const broadstreetId = fields.broadstreetId === undefined ? bsid() : fields.broadstreetId;
  return db().advertiser.create({
    data: {
      ...synced(),
      ...(broadstreetId === null ? { syncedAt: null, createdLocally: true } : {}),
      broadstreetId,
      networkId,
      name: fields.name ?? `Advertiser ${broadstreetId ?? 'local'}`,
      admins: [],
    },
  });
}

export function seedZone(networkId: number, fields: { name?: string; broadstreetId?: number | null } = {}) {
  const broadstreetId = fields.broadstreetId === undefined ? bsid() : fields.broadstreetId;
  return db().zone.create({
    data: {
      ...synced(),
      ...(broadstreetId === null ? { syncedAt: null, createdLocally: true } : {}),
      broadstreetId,
      networkId,
      name: fields.name ?? `Zone ${broadstreetId ?? 'local'}`,
    },
  });
}

export function seedAdvertisement(advertiser: { id: number; networkId: number }, fields: { name?: string; removedAt?: Date } = {}) {
  const broadstreetId = bsid();
  return db().advertisement.create({
    data: {
      ...synced(),
      broadstreetId,
      networkId: advertiser.networkId,
      advertiserId: advertiser.id,
      name: fields.name ?? `Ad ${broadstreetId}`,
      type: 'StaticAdvertisement',
      removedAt: fields.removedAt ?? null,
    },
  });
}

export function seedCampaign(advertiser: { id: number; networkId: number }, fields: { name?: string; broadstreetId?: number | null } = {}) {
  const broadstreetId = fields.broadstreetId === undefined ? bsid() : fields.broadstreetId;
  return db().campaign.create({
    data: {
      ...synced(),
      ...(broadstreetId === null ? { syncedAt: null, createdLocally: true } : {}),
      broadstreetId,
      networkId: advertiser.networkId,
      advertiserId: advertiser.id,
      name: fields.name ?? `Campaign ${broadstreetId ?? 'local'}`,
    },
  });
}

export function seedPlacement(
  parents: { campaign: { id: number; networkId: number }; advertisement: { id: number }; zone: { id: number } },
  fields: { synced?: boolean } = {},
) {
  return db().placement.create({
    data: {
      mongoId: newMongoId(),
      syncedAt: fields.synced === false ? null : new Date(),
      createdLocally: fields.synced === false,
      networkId: parents.campaign.networkId,
      campaignId: parents.campaign.id,
      advertisementId: parents.advertisement.id,
      zoneId: parents.zone.id,
      restrictions: [],
    },
  });
}
