// The emulator's own records: what Broadstreet keeps, including the fields it
// accepts on write but never returns. The wire shapes live in serialize.ts.

export type Origin = 'seed' | 'api';

export interface NetworkRecord {
  id: number;
  name: string;
  groupId: number | null;
  webHomeUrl: string | null;
  logoUrl: string | null;
  valetActive: boolean;
}

export interface AdvertiserRecord {
  id: number;
  networkId: number;
  name: string;
  webHomeUrl: string | null;
  notes: string | null;
  logoUrl: string | null;
  admins: { name: string; email: string }[];
  origin: Origin;
}

export interface ZoneRecord {
  id: number;
  networkId: number;
  name: string;
  alias: string | null;
  selfServe: boolean;
  origin: Origin;
}

export const AD_TYPES = ['StaticAdvertisement', 'HtmlAdvertisement', 'StencilAdvertisement'] as const;
export type AdType = (typeof AD_TYPES)[number];

export interface AdvertisementRecord {
  id: number;
  networkId: number;
  advertiserId: number;
  name: string;
  type: AdType;
  updatedAt: string;
  activeUrl: string | null;
  destination: string | null;
  html: string | null;
  origin: Origin;
}

export const DISPLAY_TYPES = ['no_repeat', 'allow_repeat_campaign', 'allow_repeat_advertisement', 'force_repeat_campaign'] as const;
export type DisplayType = (typeof DISPLAY_TYPES)[number];

export interface CampaignRecord {
  id: number;
  networkId: number;
  advertiserId: number;
  name: string;
  startDate: string | null;
  endDate: string | null;
  /**
   * The moments Broadstreet took (`YYYY-MM-DD HH:mm:ss`, account time): a
   * date-only value is that day's midnight, so a date-only end date cuts
   * the last day off [live]. Lists echo only the date part.
   */
  startsAt?: string | null;
  endsAt?: string | null;
  maxImpressionCount: number | null;
  displayType: DisplayType | null;
  weight: number;
  pacingType: string | null;
  impressionMaxType: string | null;
  paused: boolean;
  archived: boolean;
  notes: string | null;
  origin: Origin;
}

export interface PlacementRecord {
  campaignId: number;
  advertisementId: number;
  zoneId: number;
  restrictions: string[];
  origin: Origin;
}

/** Broadstreet's weight names, in the order its UI lists them. */
export const WEIGHT_NAMES: Record<string, number> = {
  remnant: 0,
  low: 0.5,
  default: 1,
  high: 1.5,
  sponsorship: 127,
};

/** The name a stored weight is read back as; weights without a name come back as numbers. */
export function weightName(weight: number): string | number {
  for (const [name, value] of Object.entries(WEIGHT_NAMES)) if (value === weight) return name;
  return weight;
}

export type EntityKind = 'advertiser' | 'zone' | 'advertisement' | 'campaign' | 'placement';
