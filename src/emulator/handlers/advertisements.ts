// Advertisements: listed per network (optionally by advertiser or zone) and
// created; there is no working GET /advertisements/{id} (404 for every ad, live).
import type { AdvertisementRecord } from '../model.ts';
import { advertisementCreatedJson, advertisementJson } from '../serialize.ts';
import { FieldErrors, found, notFound, optionalId, requireId, requiredName, text, type Handler } from './common.ts';

export const listAdvertisements: Handler = ({ store, params }) => {
  // Live, a list without network_id (none at all, or zone_id alone) comes back empty rather than as an error.
  const networkId = optionalId(params, 'network_id');
  if (networkId === undefined) return { status: 200, body: { advertisements: [] } };
  const network = found(store.networks.get(networkId));
  const advertiserId = optionalId(params, 'advertiser_id');
  const zoneId = optionalId(params, 'zone_id');
  let ads =
    advertiserId !== undefined
      ? store.advertisementsOfAdvertiser(found(store.advertisers.get(advertiserId)).id)
      : zoneId !== undefined
        ? store.advertisementsInZone(found(store.zones.get(zoneId)).id)
        : store.advertisementsOf(network.id);
  if (advertiserId !== undefined && zoneId !== undefined) {
    const inZone = new Set(store.advertisementsInZone(zoneId).map((ad) => ad.id));
    ads = ads.filter((ad) => inZone.has(ad.id));
  }
  ads = ads.filter((ad) => ad.networkId === network.id);
  return { status: 200, body: { advertisements: ads.map((ad) => advertisementJson(ad, store)) } };
};

export const getAdvertisement: Handler = () => {
  throw notFound();
};

const TYPES = { html: 'HtmlAdvertisement', static: 'StaticAdvertisement' } as const;

export const createAdvertisement: Handler = ({ store, params, created }) => {
  const advertiser = found(store.advertisers.get(requireId(params, 'advertiser_id')));
  const errors = new FieldErrors();
  const name = requiredName(params, 'name', errors);
  const typeName = text(params, 'type', errors) ?? 'static';
  const type = TYPES[typeName as keyof typeof TYPES];
  if (!type) errors.add('type', 'is not included in the list');
  const destination = text(params, 'destination', errors);
  const activeUrl = text(params, 'active_url', errors);
  errors.throwIfAny();
  const record: AdvertisementRecord = {
    id: store.nextId('advertisement'),
    networkId: advertiser.networkId,
    advertiserId: advertiser.id,
    name,
    type: type!,
    updatedAt: new Date().toISOString().replace('Z', '+00:00'),
    activeUrl,
    destination,
    html: type === 'HtmlAdvertisement' ? `<a href="${destination ?? '#'}">${name}</a>` : null,
    origin: 'api',
  };
  store.addAdvertisement(record);
  created('advertisement');
  return { status: 201, body: { advertisement: advertisementCreatedJson(record, store) } };
};
