// Campaigns (listed by advertiser or by zone) and their placements.
import type { CampaignRecord } from '../model.ts';
import { campaignJson, placementJson } from '../serialize.ts';
import { placementKey, type EmulatorStore } from '../store.ts';
import { campaignFields, CAMPAIGN_DEFAULTS } from './campaign-fields.ts';
import { badRequest, FieldErrors, found, HttpReply, notFound, optionalId, requireId, type Handler, type HandlerContext } from './common.ts';

/** Exactly one of advertiser_id and zone_id, as the live API requires. */
export const listCampaigns: Handler = ({ store, params }) => {
  const advertiserId = optionalId(params, 'advertiser_id');
  const zoneId = optionalId(params, 'zone_id');
  if ((advertiserId === undefined) === (zoneId === undefined)) throw badRequest('Provide either advertiser_id or zone_id');
  const campaigns =
    advertiserId !== undefined
      ? store.campaignsOf(found(store.advertisers.get(advertiserId)).id)
      : store.campaignsInZone(found(store.zones.get(zoneId!)).id);
  return { status: 200, body: { campaigns: campaigns.map(campaignJson) } };
};

export const getCampaign: Handler = ({ store, id }) => ({
  status: 200,
  body: { campaign: campaignJson(found(store.campaigns.get(id!))) },
});

export const createCampaign: Handler = ({ store, params, created }) => {
  const advertiser = found(store.advertisers.get(requireId(params, 'advertiser_id')));
  const fields = campaignFields(params, CAMPAIGN_DEFAULTS, true);
  const record: CampaignRecord = {
    ...fields,
    id: store.nextId('campaign'),
    networkId: advertiser.networkId,
    advertiserId: advertiser.id,
    origin: 'api',
  };
  store.addCampaign(record);
  created('campaign');
  return { status: 201, body: { campaign: campaignJson(record) } };
};

export const updateCampaign: Handler = ({ store, id, params }) => {
  const record = found(store.campaigns.get(id!));
  Object.assign(record, campaignFields(params, record, false));
  return { status: 200, body: { campaign: campaignJson(record) } };
};

export const deleteCampaign: Handler = ({ store, id }) => {
  if (!store.deleteCampaign(id!)) throw notFound();
  return { status: 204 };
};

function campaignOf({ store, params }: HandlerContext): CampaignRecord {
  return found(store.campaigns.get(requireId(params, 'campaign_id')));
}

/** A bare JSON array, not the object the vendor's document describes. */
/** A zone may serve the campaigns of its own network and of the other networks of its group [live]. */
function sameGroup(store: EmulatorStore, zoneNetworkId: number, campaignNetworkId: number): boolean {
  if (zoneNetworkId === campaignNetworkId) return true;
  const group = store.networks.get(zoneNetworkId)?.groupId;
  return group != null && group === store.networks.get(campaignNetworkId)?.groupId;
}

export const listPlacements: Handler = (ctx) => ({
  status: 200,
  body: ctx.store.placementsOf(campaignOf(ctx).id).map(placementJson),
});

/**
 * 201 with an EMPTY body, as seen live. Unknown campaign: 404 (the parent is
 * looked up first). Missing or unknown advertisement/zone, one of another
 * advertiser or network, or a triple that already exists: 422 field errors,
 * the way a Rails model validation would answer.
 */
export const createPlacement: Handler = (ctx) => {
  const { store, params } = ctx;
  const campaign = campaignOf(ctx);
  const errors = new FieldErrors();
  const advertisementId = referencedId(ctx, 'advertisement_id', errors);
  const zoneId = referencedId(ctx, 'zone_id', errors);
  const ad = advertisementId === undefined ? undefined : store.advertisements.get(advertisementId);
  const zone = zoneId === undefined ? undefined : store.zones.get(zoneId);
  if (advertisementId !== undefined && !ad) errors.add('advertisement_id', 'does not exist');
  // Nothing documented ties the ad to the campaign's advertiser; only the network is checked.
  if (ad && ad.networkId !== campaign.networkId) errors.add('advertisement_id', "does not belong to the campaign's network");
  if (zoneId !== undefined && !zone) errors.add('zone_id', 'does not exist');
  if (zone && !sameGroup(store, zone.networkId, campaign.networkId))
    errors.add('zone_id', "does not belong to the campaign's network or its group");
  const restrictions = restrictionList(params.restrictions, errors);
  errors.throwIfAny();
  const placement = { campaignId: campaign.id, advertisementId: ad!.id, zoneId: zone!.id };
  if (store.placements.has(placementKey(placement))) throw new HttpReply(422, { errors: { zone_id: 'has already been taken' } });
  store.addPlacement({ ...placement, restrictions, origin: 'api' });
  ctx.created('placement');
  return { status: 201 };
};

/** DELETE /placements names the triple in the query string. */
export const deletePlacement: Handler = ({ store, params }) => {
  const key = placementKey({
    campaignId: requireId(params, 'campaign_id'),
    advertisementId: requireId(params, 'advertisement_id'),
    zoneId: requireId(params, 'zone_id'),
  });
  if (!store.deletePlacement(key)) throw notFound();
  return { status: 204 };
};

function referencedId({ params }: HandlerContext, name: string, errors: FieldErrors): number | undefined {
  const raw = params[name];
  if (raw === undefined || raw === null || raw === '') {
    errors.add(name, "can't be blank");
    return undefined;
  }
  try {
    return optionalId(params, name);
  } catch {
    errors.add(name, 'is not a number');
    return undefined;
  }
}

/** ONE comma-separated string; an array means the client did not follow the API. */
function restrictionList(raw: unknown, errors: FieldErrors): string[] {
  if (raw === undefined || raw === null || raw === '') return [];
  if (typeof raw !== 'string') {
    errors.add('restrictions', 'must be a single comma-separated string');
    return [];
  }
  return raw
    .split(',')
    .map((r) => r.trim())
    .filter(Boolean);
}
