// Deterministic seed data with the quirks seen in real Broadstreet accounts:
// null dates and display types, zone names with newlines, URLs without a
// scheme, names repeated across (and sometimes within) scopes.
import { AD_TYPES, DISPLAY_TYPES, type AdType, type NetworkRecord } from './model.ts';
import { advertiserName, adName, campaignName, person, slug, zoneName } from './names.ts';
import { createRandom, type Random } from './random.ts';
import { placementKey, type EmulatorStore } from './store.ts';

export interface SeedSize {
  networks: number;
  advertisersPerNetwork: number;
  zonesPerNetwork: number;
  /** Averages: each advertiser or campaign gets this many ± 1. */
  advertisementsPerAdvertiser: number;
  campaignsPerAdvertiser: number;
  placementsPerCampaign: number;
}

export type SizeName = 'tiny' | 'small' | 'medium' | 'large';

export const SIZE_PRESETS: Record<SizeName, SeedSize> = {
  tiny: {
    networks: 2,
    advertisersPerNetwork: 3,
    zonesPerNetwork: 3,
    advertisementsPerAdvertiser: 2,
    campaignsPerAdvertiser: 2,
    placementsPerCampaign: 2,
  },
  small: {
    networks: 3,
    advertisersPerNetwork: 12,
    zonesPerNetwork: 10,
    advertisementsPerAdvertiser: 3,
    campaignsPerAdvertiser: 2,
    placementsPerCampaign: 3,
  },
  medium: {
    networks: 4,
    advertisersPerNetwork: 100,
    zonesPerNetwork: 60,
    advertisementsPerAdvertiser: 3,
    campaignsPerAdvertiser: 2,
    placementsPerCampaign: 3,
  },
  // ≈ 102,000 entities; 641 zones in one network is a size seen live.
  large: {
    networks: 4,
    advertisersPerNetwork: 2_500,
    zonesPerNetwork: 641,
    advertisementsPerAdvertiser: 3,
    campaignsPerAdvertiser: 2,
    placementsPerCampaign: 2,
  },
};

/** A preset, or roughly `total` entities spread like the medium preset. */
export function resolveSize(size: SizeName | number = 'small', overrides: Partial<SeedSize> = {}): SeedSize {
  const base = typeof size === 'number' ? sizeForTotal(size) : SIZE_PRESETS[size];
  if (!base) throw new Error(`unknown size ${JSON.stringify(size)} (tiny, small, medium, large or a number)`);
  return { ...base, ...overrides };
}

function sizeForTotal(total: number): SeedSize {
  const shape = SIZE_PRESETS.medium;
  const networks = total < 200 ? 2 : 4;
  // Per advertiser: itself, its ads, its campaigns and their placements; plus zones at 0.25 per advertiser.
  const perAdvertiser = 1 + shape.advertisementsPerAdvertiser + shape.campaignsPerAdvertiser * (1 + shape.placementsPerCampaign) + 0.25;
  const advertisersPerNetwork = Math.max(1, Math.round(total / networks / perAdvertiser));
  return { ...shape, networks, advertisersPerNetwork, zonesPerNetwork: Math.max(1, Math.round(advertisersPerNetwork / 4)) };
}

const NETWORK_IDS = [85, 131, 246, 389, 512, 640, 777, 901];
const NETWORK_NAMES = ['Demo Network', 'Valley Gazette', 'Harbor Daily', 'Prairie Post', 'Summit Times', 'Coastal Herald'];

export function seedStore(store: EmulatorStore, seed: number, size: SeedSize): void {
  const random = createRandom(seed);
  for (let n = 0; n < size.networks; n++) {
    const network = makeNetwork(n, random);
    store.addNetwork(network);
    const zoneIds = seedZones(store, network.id, size.zonesPerNetwork, random);
    seedAdvertisers(store, network.id, zoneIds, size, random);
  }
  seedGroup(store, createRandom(seed ^ 0x9e0b));
}

/** The group of the first two networks: they share zones, as networks of one group do live. */
export const GROUP_ID = 7;

/**
 * The first two networks form a group, and a few placements of the first
 * network's campaigns name zones of the second [live: 16 of ~4,350 placements
 * of one network]. Its own random stream, so the rest of the seed is as before.
 */
function seedGroup(store: EmulatorStore, random: Random): void {
  const [first, second] = [...store.networks.values()];
  if (!first || !second) return;
  first.groupId = second.groupId = GROUP_ID;
  const sharedZones = store.zonesOf(second.id).map((z) => z.id);
  if (sharedZones.length === 0) return;
  const campaigns = store.advertisersOf(first.id).flatMap((a) => store.campaignsOf(a.id));
  for (const campaign of campaigns.filter((_, i) => i % 4 === 0)) {
    const ads = store.advertisementsOfAdvertiser(campaign.advertiserId);
    if (ads.length === 0) continue;
    const placement = { campaignId: campaign.id, advertisementId: random.pick(ads).id, zoneId: random.pick(sharedZones) };
    if (!store.placements.has(placementKey(placement))) store.addPlacement({ ...placement, restrictions: [], origin: 'seed' });
  }
}

function makeNetwork(n: number, random: Random): NetworkRecord {
  const name = n < NETWORK_NAMES.length ? NETWORK_NAMES[n]! : `Network ${n + 1}`;
  const host = `${slug(name)}.example`;
  return {
    id: NETWORK_IDS[n] ?? 1000 + n,
    name,
    groupId: random.chance(0.5) ? null : random.int(1, 40),
    // Real networks often store their site without a scheme.
    webHomeUrl: random.chance(0.5) ? host : `https://www.${host}`,
    logoUrl: random.chance(0.3) ? null : `https://cdn.broadstreetads.example/logos/network-${n + 1}.png`,
    valetActive: random.chance(0.2),
  };
}

function seedZones(store: EmulatorStore, networkId: number, count: number, random: Random): number[] {
  const ids: number[] = [];
  for (let i = 0; i < count; i++) {
    const name = zoneName(i);
    const id = store.nextId('zone');
    store.addZone({
      id,
      networkId,
      // Names are free text typed into a form: a few carry a line break.
      name: random.chance(0.06) ? name.replace(' ', '\n') : name,
      alias: random.chance(0.1) ? slug(name) : null,
      selfServe: random.chance(0.15),
      origin: 'seed',
    });
    ids.push(id);
  }
  return ids;
}

function seedAdvertisers(store: EmulatorStore, networkId: number, zoneIds: number[], size: SeedSize, random: Random) {
  const names: string[] = [];
  for (let i = 0; i < size.advertisersPerNetwork; i++) {
    // Broadstreet has no uniqueness on names: about 2% repeat an earlier one.
    const name = names.length > 0 && random.chance(0.02) ? random.pick(names) : advertiserName(i);
    names.push(name);
    const id = store.nextId('advertiser');
    store.addAdvertiser({
      id,
      networkId,
      name,
      webHomeUrl: advertiserUrl(name, random),
      notes: random.chance(0.5) ? null : `Contact ${person(i)} before renewals.`,
      logoUrl: random.chance(0.3) ? null : `https://cdn.broadstreetads.example/logos/${id}.png`,
      admins: Array.from({ length: random.int(0, 2) }, (_, k) => adminFor(name, i + k)),
      origin: 'seed',
    });
    const adIds = seedAdvertisements(store, networkId, id, name, around(size.advertisementsPerAdvertiser, random), random);
    seedCampaigns(store, { networkId, advertiserId: id, adIds, zoneIds }, size, random);
  }
}

function advertiserUrl(name: string, random: Random): string | null {
  const roll = random.next();
  if (roll < 0.15) return null;
  if (roll < 0.45) return `${slug(name)}.example`;
  return `https://${slug(name)}.example/`;
}

function adminFor(company: string, i: number) {
  const name = person(i);
  return { name, email: `${slug(name).replace('-', '.')}@${slug(company)}.example` };
}

function seedAdvertisements(
  store: EmulatorStore,
  networkId: number,
  advertiserId: number,
  advertiser: string,
  count: number,
  random: Random,
): number[] {
  const ids: number[] = [];
  for (let i = 0; i < count; i++) {
    const id = store.nextId('advertisement');
    const type: AdType = random.chance(0.6) ? AD_TYPES[0] : random.chance(0.75) ? AD_TYPES[1] : AD_TYPES[2];
    store.addAdvertisement({
      id,
      networkId,
      advertiserId,
      name: adName(advertiser, i),
      type,
      updatedAt: isoWithOffset(random),
      activeUrl: type === 'HtmlAdvertisement' || random.chance(0.1) ? null : `https://cdn.broadstreetads.example/ads/${id}.png`,
      destination: random.chance(0.2) ? null : `https://${slug(advertiser)}.example/offer`,
      html: type === 'HtmlAdvertisement' ? `<a href="#">${advertiser}</a>` : null,
      origin: 'seed',
    });
    ids.push(id);
  }
  return ids;
}

interface CampaignScope {
  networkId: number;
  advertiserId: number;
  adIds: number[];
  zoneIds: number[];
}

function seedCampaigns(store: EmulatorStore, scope: CampaignScope, size: SeedSize, random: Random) {
  const count = around(size.campaignsPerAdvertiser, random);
  const first = random.int(0, 35);
  for (let i = 0; i < count; i++) {
    const id = store.nextId('campaign');
    const dates = campaignDates(random);
    store.addCampaign({
      id,
      networkId: scope.networkId,
      advertiserId: scope.advertiserId,
      name: campaignName(first + i),
      ...dates,
      maxImpressionCount: random.chance(0.9) ? null : random.int(1, 50) * 10_000,
      displayType: random.chance(0.15) ? null : random.chance(0.7) ? 'no_repeat' : random.pick(DISPLAY_TYPES),
      weight: random.chance(0.7) ? 1 : random.pick([0, 0.5, 1.5, 127]),
      pacingType: random.chance(0.8) ? 'asap' : 'even',
      impressionMaxType: 'cap',
      paused: random.chance(0.1),
      archived: random.chance(0.05),
      notes: random.chance(0.7) ? null : 'Seeded campaign',
      origin: 'seed',
    });
    seedPlacements(store, id, scope, around(size.placementsPerCampaign, random), random);
  }
}

function seedPlacements(store: EmulatorStore, campaignId: number, scope: CampaignScope, count: number, random: Random) {
  if (scope.adIds.length === 0 || scope.zoneIds.length === 0) return;
  for (let i = 0, tries = 0; i < count && tries < count * 4; tries++) {
    const placement = { campaignId, advertisementId: random.pick(scope.adIds), zoneId: random.pick(scope.zoneIds) };
    if (store.placements.has(`${campaignId}:${placement.advertisementId}:${placement.zoneId}`)) continue;
    const restrictions = random.chance(0.85) ? [] : random.pick([['desktop'], ['mobile'], ['mobile', 'tablet']]);
    store.addPlacement({ ...placement, restrictions, origin: 'seed' });
    i++;
  }
}

const DAY = 86_400_000;
const EPOCH_2023 = Date.UTC(2023, 0, 1);

function campaignDates(random: Random): { startDate: string | null; endDate: string | null } {
  const start = EPOCH_2023 + random.int(0, 3 * 365) * DAY;
  return {
    startDate: random.chance(0.05) ? null : isoDate(start),
    endDate: random.chance(0.2) ? null : isoDate(start + random.int(14, 365) * DAY),
  };
}

export function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function isoWithOffset(random: Random): string {
  const ms = EPOCH_2023 + random.int(0, 3 * 365 * 24 * 3600) * 1000;
  const offsetHours = random.pick([-4, -5, -6, -7]);
  const local = new Date(ms + offsetHours * 3_600_000).toISOString().slice(0, 19);
  return `${local}-0${-offsetHours}:00`;
}

/** mean ± 1, never negative; a mean of 0 stays 0. */
function around(mean: number, random: Random): number {
  if (mean <= 0) return 0;
  return Math.max(0, mean + random.int(-1, 1));
}
