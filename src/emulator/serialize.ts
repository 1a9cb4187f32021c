// Records → Broadstreet's wire shapes, quirks included (see broadstreet-api.md).
// msw handlers reuse these, so unit tests see exactly what the emulator sends.
import {
  weightName,
  type AdvertisementRecord,
  type AdvertiserRecord,
  type CampaignRecord,
  type NetworkRecord,
  type PlacementRecord,
  type ZoneRecord,
} from './model.ts';
import type { EmulatorStore } from './store.ts';

export function networkJson(n: NetworkRecord) {
  return {
    id: n.id,
    name: n.name,
    group_id: n.groupId,
    web_home_url: n.webHomeUrl,
    logo: { url: n.logoUrl },
    valet_active: n.valetActive,
    path: `/networks/${n.id}`,
  };
}

/** The single network carries counts the list does not. */
export function networkDetailJson(n: NetworkRecord, store: EmulatorStore) {
  return {
    ...networkJson(n),
    advertiser_count: store.advertisersOf(n.id).length,
    zone_count: store.zonesOf(n.id).length,
  };
}

export function advertiserJson(a: AdvertiserRecord) {
  return {
    id: a.id,
    name: a.name,
    logo: { url: a.logoUrl },
    web_home_url: a.webHomeUrl,
    notes: a.notes,
    admins: a.admins,
  };
}

export function zoneJson(z: ZoneRecord) {
  return { id: z.id, name: z.name, network_id: z.networkId, alias: z.alias, self_serve: z.selfServe };
}

/** Exactly the keys seen live: paused, archived, pacing and notes are write-only. */
export function campaignJson(c: CampaignRecord) {
  return {
    id: c.id,
    name: c.name,
    advertiser_id: c.advertiserId,
    start_date: c.startDate,
    end_date: c.endDate,
    max_impression_count: c.maxImpressionCount,
    display_type: c.displayType,
    active: !c.paused && !c.archived,
    weight: weightName(c.weight),
    path: `/networks/${c.networkId}/advertisers/${c.advertiserId}/campaigns/${c.id}`,
  };
}

/** `advertiser` is the advertiser's NAME, as the live API sends it. */
export function advertisementJson(ad: AdvertisementRecord, store: EmulatorStore) {
  return {
    id: ad.id,
    name: ad.name,
    updated_at: ad.updatedAt,
    type: ad.type,
    advertiser: store.advertisers.get(ad.advertiserId)?.name ?? null,
    active: { url: ad.activeUrl },
    active_placement: store.placements.size > 0 && hasPlacement(ad.id, store),
    preview_url: `https://ad.broadstreetads.example/preview/${ad.id}`,
  };
}

/** The create response also carries the rendered HTML. */
export function advertisementCreatedJson(ad: AdvertisementRecord, store: EmulatorStore) {
  return { ...advertisementJson(ad, store), html: ad.html, preview_html: ad.html ?? '' };
}

export function placementJson(p: PlacementRecord) {
  return { advertisement_id: p.advertisementId, zone_id: p.zoneId, restrictions: p.restrictions };
}

function hasPlacement(adId: number, store: EmulatorStore): boolean {
  const ad = store.advertisements.get(adId);
  if (!ad) return false;
  for (const campaign of store.campaignsOf(ad.advertiserId)) {
    if (store.placementsOf(campaign.id).some((p) => p.advertisementId === adId)) return true;
  }
  return false;
}
