// The emulator's in-memory database: records by id plus the indexes every list
// endpoint filters by, so that lists stay O(result) even with 100,000+ rows.
import type {
  AdvertisementRecord,
  AdvertiserRecord,
  CampaignRecord,
  EntityKind,
  NetworkRecord,
  PlacementRecord,
  ZoneRecord,
} from './model.ts';

/** A one-to-many index that keeps insertion order (lists come back oldest first). */
class Index<K, V> {
  private readonly map = new Map<K, Set<V>>();
  add(key: K, value: V): void {
    let set = this.map.get(key);
    if (!set) this.map.set(key, (set = new Set()));
    set.add(value);
  }
  remove(key: K, value: V): void {
    this.map.get(key)?.delete(value);
  }
  get(key: K): Iterable<V> {
    return this.map.get(key) ?? [];
  }
}

export function placementKey(p: { campaignId: number; advertisementId: number; zoneId: number }): string {
  return `${p.campaignId}:${p.advertisementId}:${p.zoneId}`;
}

/** First ids per type: distinct ranges make a stray id of the wrong type a 404, as in the real API. */
export const ID_BASES = { advertiser: 10_000, zone: 500_000, advertisement: 1_000_000, campaign: 5_000_000 } as const;
export type IdCounters = Record<keyof typeof ID_BASES, number>;

export class EmulatorStore {
  readonly networks = new Map<number, NetworkRecord>();
  readonly advertisers = new Map<number, AdvertiserRecord>();
  readonly zones = new Map<number, ZoneRecord>();
  readonly advertisements = new Map<number, AdvertisementRecord>();
  readonly campaigns = new Map<number, CampaignRecord>();
  readonly placements = new Map<string, PlacementRecord>();

  private readonly advertisersByNetwork = new Index<number, number>();
  private readonly zonesByNetwork = new Index<number, number>();
  private readonly adsByNetwork = new Index<number, number>();
  private readonly adsByAdvertiser = new Index<number, number>();
  private readonly campaignsByAdvertiser = new Index<number, number>();
  private readonly placementsByCampaign = new Index<number, string>();
  private readonly placementsByZone = new Index<number, string>();
  private readonly nextIds: IdCounters;

  /** counters: where ids go on from (a reset keeps them: Broadstreet never reuses an id). */
  constructor(counters: IdCounters = ID_BASES) {
    this.nextIds = { ...counters };
  }

  nextId(kind: keyof typeof ID_BASES): number {
    return this.nextIds[kind]++;
  }

  /** The next id of each kind. */
  idCounters(): IdCounters {
    return { ...this.nextIds };
  }

  addNetwork(record: NetworkRecord): void {
    this.networks.set(record.id, record);
  }

  addAdvertiser(record: AdvertiserRecord): void {
    this.advertisers.set(record.id, record);
    this.advertisersByNetwork.add(record.networkId, record.id);
  }

  addZone(record: ZoneRecord): void {
    this.zones.set(record.id, record);
    this.zonesByNetwork.add(record.networkId, record.id);
  }

  addAdvertisement(record: AdvertisementRecord): void {
    this.advertisements.set(record.id, record);
    this.adsByNetwork.add(record.networkId, record.id);
    this.adsByAdvertiser.add(record.advertiserId, record.id);
  }

  addCampaign(record: CampaignRecord): void {
    this.campaigns.set(record.id, record);
    this.campaignsByAdvertiser.add(record.advertiserId, record.id);
  }

  addPlacement(record: PlacementRecord): void {
    const key = placementKey(record);
    this.placements.set(key, record);
    this.placementsByCampaign.add(record.campaignId, key);
    this.placementsByZone.add(record.zoneId, key);
  }

  advertisersOf(networkId: number): AdvertiserRecord[] {
    return collect(this.advertisersByNetwork.get(networkId), this.advertisers);
  }

  zonesOf(networkId: number): ZoneRecord[] {
    return collect(this.zonesByNetwork.get(networkId), this.zones);
  }

  advertisementsOf(networkId: number): AdvertisementRecord[] {
    return collect(this.adsByNetwork.get(networkId), this.advertisements);
  }

  advertisementsOfAdvertiser(advertiserId: number): AdvertisementRecord[] {
    return collect(this.adsByAdvertiser.get(advertiserId), this.advertisements);
  }

  /** Advertisements with at least one placement in the zone, in id order. */
  advertisementsInZone(zoneId: number): AdvertisementRecord[] {
    const ids = new Set<number>();
    for (const p of this.placementsInZone(zoneId)) ids.add(p.advertisementId);
    return collect(
      [...ids].sort((a, b) => a - b),
      this.advertisements,
    );
  }

  campaignsOf(advertiserId: number): CampaignRecord[] {
    return collect(this.campaignsByAdvertiser.get(advertiserId), this.campaigns);
  }

  /** Campaigns with at least one placement in the zone, in id order. */
  campaignsInZone(zoneId: number): CampaignRecord[] {
    const ids = new Set<number>();
    for (const p of this.placementsInZone(zoneId)) ids.add(p.campaignId);
    return collect(
      [...ids].sort((a, b) => a - b),
      this.campaigns,
    );
  }

  placementsOf(campaignId: number): PlacementRecord[] {
    return collect(this.placementsByCampaign.get(campaignId), this.placements);
  }

  placementsInZone(zoneId: number): PlacementRecord[] {
    return collect(this.placementsByZone.get(zoneId), this.placements);
  }

  deletePlacement(key: string): boolean {
    const record = this.placements.get(key);
    if (!record) return false;
    this.placements.delete(key);
    this.placementsByCampaign.remove(record.campaignId, key);
    this.placementsByZone.remove(record.zoneId, key);
    return true;
  }

  deleteCampaign(id: number): boolean {
    const record = this.campaigns.get(id);
    if (!record) return false;
    for (const p of this.placementsOf(id)) this.deletePlacement(placementKey(p));
    this.campaigns.delete(id);
    this.campaignsByAdvertiser.remove(record.advertiserId, id);
    return true;
  }

  deleteZone(id: number): boolean {
    const record = this.zones.get(id);
    if (!record) return false;
    for (const p of this.placementsInZone(id)) this.deletePlacement(placementKey(p));
    this.zones.delete(id);
    this.zonesByNetwork.remove(record.networkId, id);
    return true;
  }

  /** Deleting an advertiser takes its campaigns, advertisements and their placements with it. */
  deleteAdvertiser(id: number): boolean {
    const record = this.advertisers.get(id);
    if (!record) return false;
    for (const c of this.campaignsOf(id)) this.deleteCampaign(c.id);
    for (const ad of this.advertisementsOfAdvertiser(id)) this.deleteAdvertisement(ad.id);
    this.advertisers.delete(id);
    this.advertisersByNetwork.remove(record.networkId, id);
    return true;
  }

  deleteAdvertisement(id: number): boolean {
    const record = this.advertisements.get(id);
    if (!record) return false;
    for (const [key, p] of this.placements) if (p.advertisementId === id) this.deletePlacement(key);
    this.advertisements.delete(id);
    this.adsByNetwork.remove(record.networkId, id);
    this.adsByAdvertiser.remove(record.advertiserId, id);
    return true;
  }

  /** Entity counts per kind, for the inspection endpoint. */
  counts(): Record<EntityKind | 'network', number> {
    return {
      network: this.networks.size,
      advertiser: this.advertisers.size,
      zone: this.zones.size,
      advertisement: this.advertisements.size,
      campaign: this.campaigns.size,
      placement: this.placements.size,
    };
  }
}

function collect<K, V>(keys: Iterable<K>, from: Map<K, V>): V[] {
  const out: V[] = [];
  for (const key of keys) {
    const value = from.get(key);
    if (value !== undefined) out.push(value);
  }
  return out;
}
