// Broadstreet's response shapes (broadstreet-api.md) as zod schemas that
// validate the wire format and normalise it to camelCase. Tolerant where the
// live API is loose (nulls, missing optional keys, weight names, extra keys);
// strict where a mistake would corrupt data (ids, names, unknown weights).
import { z } from 'zod';

/** Weight names as the live API returns them, with the numbers they stand for. */
export const WEIGHTS: Readonly<Record<string, number>> = { remnant: 0, low: 0.5, default: 1, high: 1.5, sponsorship: 127 };

const id = z.union([z.number().int().positive(), z.string().regex(/^\d+$/).transform(Number)]);
const optionalText = z
  .string()
  .nullish()
  .transform((v) => v ?? null);
const optionalInt = z
  .number()
  .int()
  .nullish()
  .transform((v) => v ?? null);
const optionalBool = z
  .boolean()
  .nullish()
  .transform((v) => v ?? null);
/** `{ url }` objects (logos, active creatives) flattened to the URL or null. */
const urlObject = z
  .object({ url: z.string().nullish() })
  .nullish()
  .transform((v) => v?.url ?? null);

/** `YYYY-MM-DD`, possibly with a time that is dropped; null stays null. */
const day = z
  .string()
  .nullish()
  .transform((v, ctx) => {
    if (v === null || v === undefined || v === '') return null;
    if (/^\d{4}-\d{2}-\d{2}(?:$|[ T])/.test(v)) return v.slice(0, 10);
    ctx.addIssue({ code: 'custom', message: 'is not a YYYY-MM-DD date' });
    return z.NEVER;
  });

/** Sent as a number, read back as a name: both become the number. */
export const weightSchema = z
  .union([z.number(), z.string()])
  .nullish()
  .transform((v, ctx) => {
    if (v === null || v === undefined) return null;
    if (typeof v === 'number') return v;
    const named = WEIGHTS[v.trim().toLowerCase()];
    if (named !== undefined) return named;
    if (/^\d+(\.\d+)?$/.test(v.trim())) return Number(v);
    ctx.addIssue({ code: 'custom', message: `unknown weight ${JSON.stringify(v.slice(0, 40))}` });
    return z.NEVER;
  });

export const networkSchema = z
  .object({
    id,
    name: z.string(),
    group_id: optionalInt,
    web_home_url: optionalText,
    logo: urlObject,
    valet_active: optionalBool,
    path: optionalText,
    advertiser_count: optionalInt,
    zone_count: optionalInt,
  })
  .transform((n) => ({
    id: n.id,
    name: n.name,
    groupId: n.group_id,
    webHomeUrl: n.web_home_url,
    logoUrl: n.logo,
    valetActive: n.valet_active,
    path: n.path,
    /** Only GET /networks/{id} carries the counts; null in lists. */
    advertiserCount: n.advertiser_count,
    zoneCount: n.zone_count,
  }));

export const advertiserSchema = z
  .object({
    id,
    name: z.string(),
    logo: urlObject,
    web_home_url: optionalText,
    notes: optionalText,
    /** undefined when the payload has no admins key: an import then keeps what is stored. */
    admins: z
      .array(z.object({ name: optionalText, email: optionalText }))
      .nullish()
      .transform((v) => (v === undefined ? undefined : (v ?? []))),
  })
  .transform((a) => ({ id: a.id, name: a.name, logoUrl: a.logo, webHomeUrl: a.web_home_url, notes: a.notes, admins: a.admins }));

export const zoneSchema = z
  .object({ id, name: z.string(), network_id: id.nullish(), alias: optionalText, self_serve: optionalBool })
  .transform((z) => ({ id: z.id, name: z.name, networkId: z.network_id ?? null, alias: z.alias, selfServe: z.self_serve }));

export const campaignSchema = z
  .object({
    id,
    name: z.string(),
    advertiser_id: id.nullish(),
    start_date: day,
    end_date: day,
    max_impression_count: optionalInt,
    display_type: optionalText,
    active: optionalBool,
    weight: weightSchema,
    path: optionalText,
    // Accepted on write, absent from lists; kept when a response does carry them.
    paused: z.boolean().optional(),
    archived: z.boolean().optional(),
    pacing_type: z.string().nullish(),
    impression_max_type: z.string().nullish(),
    notes: z.string().nullish(),
  })
  .transform((c) => ({
    id: c.id,
    name: c.name,
    advertiserId: c.advertiser_id ?? null,
    startDate: c.start_date,
    endDate: c.end_date,
    maxImpressionCount: c.max_impression_count,
    displayType: c.display_type,
    active: c.active,
    weight: c.weight,
    path: c.path,
    paused: c.paused,
    archived: c.archived,
    pacingType: c.pacing_type,
    impressionMaxType: c.impression_max_type,
    notes: c.notes,
  }));

export const advertisementSchema = z
  .object({
    id,
    name: z.string(),
    updated_at: optionalText,
    type: z.string(),
    advertiser: optionalText,
    active: urlObject,
    active_placement: optionalBool,
    preview_url: optionalText,
  })
  .transform((a) => ({
    id: a.id,
    name: a.name,
    updatedAt: a.updated_at,
    type: a.type,
    /** The API gives the advertiser's NAME; list by advertiser_id to link ads to advertisers. */
    advertiserName: a.advertiser,
    activeUrl: a.active,
    activePlacement: a.active_placement,
    previewUrl: a.preview_url,
  }));

/** Restrictions: an array on read ([] typical); a null or a comma string is tolerated. */
const restrictions = z
  .union([z.array(z.string()), z.string(), z.null()])
  .optional()
  .transform((v) =>
    Array.isArray(v)
      ? v
      : typeof v === 'string'
        ? v
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean)
        : [],
  );

export const placementSchema = z
  .object({ advertisement_id: id, zone_id: id, restrictions })
  .transform((p) => ({ advertisementId: p.advertisement_id, zoneId: p.zone_id, restrictions: p.restrictions }));

export type BsNetwork = z.output<typeof networkSchema>;
export type BsAdvertiser = z.output<typeof advertiserSchema>;
export type BsZone = z.output<typeof zoneSchema>;
export type BsCampaign = z.output<typeof campaignSchema>;
export type BsAdvertisement = z.output<typeof advertisementSchema>;
export type BsPlacement = z.output<typeof placementSchema>;

/**
 * A list response: its envelope is checked as a whole, its items one by one,
 * so that one item of an unexpected shape is rejected alone (see http.ts).
 */
export interface ListSchema<T> {
  kind: 'list';
  envelope: z.ZodType<unknown[]>;
  item: z.ZodType<T>;
}

const list = <T>(key: string, item: z.ZodType<T>): ListSchema<T> => ({
  kind: 'list',
  envelope: z.object({ [key]: z.array(z.unknown()) }).transform((r) => r[key] as unknown[]),
  item,
});

/** Response envelopes: `{"things":[…]}` for lists, `{"thing":{…}}` for singles. */
export const responses = {
  networks: list('networks', networkSchema),
  network: z.object({ network: networkSchema }).transform((r) => r.network),
  advertisers: list('advertisers', advertiserSchema),
  advertiser: z.object({ advertiser: advertiserSchema }).transform((r) => r.advertiser),
  zones: list('zones', zoneSchema),
  zone: z.object({ zone: zoneSchema }).transform((r) => r.zone),
  campaigns: list('campaigns', campaignSchema),
  campaign: z.object({ campaign: campaignSchema }).transform((r) => r.campaign),
  advertisements: list('advertisements', advertisementSchema),
  /** A bare array live; the vendor's document claims an object, so that is accepted too. */
  placements: {
    kind: 'list',
    envelope: z.union([z.array(z.unknown()), z.object({ placements: z.array(z.unknown()) }).transform((r) => r.placements)]),
    item: placementSchema,
  } satisfies ListSchema<BsPlacement>,
} as const;

/** An item of a list that did not have the shape its endpoint returns: left out of the list, reported. */
export interface RejectedItem {
  endpoint: string;
  /** Its id, when the item carries a readable one. */
  id: number | null;
  /** "field: problem" for each problem (values left out). */
  problems: string;
}

/** Zod issues as "path: message" lines, without the values (which can be large). */
export function describeIssues(error: z.ZodError, limit = 3): string {
  const lines = error.issues.slice(0, limit).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
  const more = error.issues.length > limit ? `; and ${error.issues.length - limit} more` : '';
  return lines.join('; ') + more;
}
