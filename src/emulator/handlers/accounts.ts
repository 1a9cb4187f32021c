// Networks, advertisers and zones: the network-scoped endpoints.
import type { AdvertiserRecord, ZoneRecord } from '../model.ts';
import { advertiserJson, networkDetailJson, networkJson, zoneJson } from '../serialize.ts';
import { bool, FieldErrors, found, has, notFound, requireId, requiredName, text, type Handler, type HandlerContext } from './common.ts';

/** The account's networks: not those outside the token's access, which their own read refuses (403). */
export const listNetworks: Handler = ({ store, hiddenNetworkIds = [] }) => ({
  status: 200,
  body: { networks: [...store.networks.values()].filter((n) => !hiddenNetworkIds.includes(n.id)).map(networkJson) },
});

export const getNetwork: Handler = ({ store, id }) => ({
  status: 200,
  body: { network: networkDetailJson(found(store.networks.get(id!)), store) },
});

/** The network named by `network_id`: 400 when missing, 404 when unknown. */
function networkOf({ store, params }: HandlerContext) {
  return found(store.networks.get(requireId(params, 'network_id')));
}

export const listAdvertisers: Handler = (ctx) => ({
  status: 200,
  body: { advertisers: ctx.store.advertisersOf(networkOf(ctx).id).map(advertiserJson) },
});

export const getAdvertiser: Handler = ({ store, id }) => ({
  status: 200,
  body: { advertiser: advertiserJson(found(store.advertisers.get(id!))) },
});

export const createAdvertiser: Handler = (ctx) => {
  const network = networkOf(ctx);
  const errors = new FieldErrors();
  const record: AdvertiserRecord = {
    id: 0,
    networkId: network.id,
    name: requiredName(ctx.params, 'name', errors),
    webHomeUrl: text(ctx.params, 'web_home_url', errors),
    notes: text(ctx.params, 'notes', errors),
    logoUrl: null,
    admins: [],
    origin: 'api',
  };
  errors.throwIfAny();
  record.id = ctx.store.nextId('advertiser');
  ctx.store.addAdvertiser(record);
  ctx.created('advertiser');
  return { status: 201, body: { advertiser: advertiserJson(record) } };
};

export const updateAdvertiser: Handler = ({ store, id, params }) => {
  const record = found(store.advertisers.get(id!));
  const errors = new FieldErrors();
  const name = has(params, 'name') ? requiredName(params, 'name', errors) : record.name;
  const webHomeUrl = has(params, 'web_home_url') ? text(params, 'web_home_url', errors) : record.webHomeUrl;
  const notes = has(params, 'notes') ? text(params, 'notes', errors) : record.notes;
  errors.throwIfAny();
  Object.assign(record, { name, webHomeUrl, notes });
  return { status: 200, body: { advertiser: advertiserJson(record) } };
};

export const deleteAdvertiser: Handler = ({ store, id }) => {
  if (!store.deleteAdvertiser(id!)) throw notFound();
  return { status: 204 };
};

export const listZones: Handler = (ctx) => ({
  status: 200,
  body: { zones: ctx.store.zonesOf(networkOf(ctx).id).map(zoneJson) },
});

export const getZone: Handler = ({ store, id }) => ({
  status: 200,
  body: { zone: zoneJson(found(store.zones.get(id!))) },
});

export const createZone: Handler = (ctx) => {
  const network = networkOf(ctx);
  const errors = new FieldErrors();
  const record: ZoneRecord = {
    id: 0,
    networkId: network.id,
    name: requiredName(ctx.params, 'name', errors),
    alias: text(ctx.params, 'alias', errors),
    selfServe: bool(ctx.params, 'self_serve', errors) ?? false,
    origin: 'api',
  };
  errors.throwIfAny();
  record.id = ctx.store.nextId('zone');
  ctx.store.addZone(record);
  ctx.created('zone');
  return { status: 201, body: { zone: zoneJson(record) } };
};

export const updateZone: Handler = ({ store, id, params }) => {
  const record = found(store.zones.get(id!));
  const errors = new FieldErrors();
  // PUT /zones/{id} requires name, changed or not [doc]: 422 without it.
  const name = requiredName(params, 'name', errors);
  const alias = has(params, 'alias') ? text(params, 'alias', errors) : record.alias;
  const selfServe = bool(params, 'self_serve', errors) ?? record.selfServe;
  errors.throwIfAny();
  Object.assign(record, { name, alias, selfServe });
  return { status: 200, body: { zone: zoneJson(record) } };
};

export const deleteZone: Handler = ({ store, id }) => {
  if (!store.deleteZone(id!)) throw notFound();
  return { status: 204 };
};
