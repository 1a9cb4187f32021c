// Broadstreet's shapes (as the client normalises them) → local columns.
import type {
  BsAdvertisement,
  BsAdvertiser,
  BsCampaign,
  BsNetwork,
  BsZone,
} from '../../broadstreet/index.ts';

export const networkFields = (n: BsNetwork) => ({
  name: n.name,
  groupId: n.groupId ?? null,
  webHomeUrl: n.webHomeUrl ?? null,
  logoUrl: n.logoUrl ?? null,
  valetActive: n.valetActive ?? null,
  path: n.path ?? null,
});

/** Admins only when Broadstreet sent them: an import never wipes what it does not carry. */
export const advertiserFields = (a: BsAdvertiser) => ({
  name: a.name,
  webHomeUrl: a.webHomeUrl ?? null,
  notes: a.notes ?? null,
  logoUrl: a.logoUrl ?? null,
  ...(a.admins !== undefined ? { admins: a.admins } : {}),
});

export const zoneFields = (z: BsZone) => ({
  name: z.name,
  alias: z.alias ?? null,
  selfServe: z.selfServe ?? false,
});

export const advertisementFields = (a: BsAdvertisement) => ({
  name: a.name,
  type: a.type ?? null,
  previewUrl: a.previewUrl ?? null,
  activeUrl: a.activeUrl ?? null,
  remoteUpdatedAt: a.updatedAt ? new Date(a.updatedAt) : null,
});

/** Only what campaign lists return: paused, pacing and the like are write-only there. */
export const campaignFields = (c: BsCampaign) => ({
  name: c.name,
  startDate: c.startDate ?? null,
  endDate: c.endDate ?? null,
  weight: c.weight ?? 1,
  displayType: c.displayType ?? null,
  maxImpressionCount: c.maxImpressionCount ?? null,
  active: c.active ?? null,
  path: c.path ?? null,
});
