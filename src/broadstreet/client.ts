// BroadstreetClient: typed calls for import and export. Every call passes the
// shared limiter, is retried when that is safe, and returns normalised,
// validated data or throws a BroadstreetError.
import { createLogger, type Logger } from '../logger.ts';
import { recordRetry } from '../observability/metrics.ts';
import type { CircuitBreaker } from './breaker.ts';
import type { BroadstreetError } from './errors.ts';
import {
  attempt,
  endpointOf,
  sendWithFetch,
  sendWithUndici,
  type Method,
  type Query,
  type RequestSpec,
  type Transport,
  type WriteFence,
} from './http.ts';
import type { RateLimiter } from './limiter.ts';
import { callsToFill, RoundTrips } from './round-trips.ts';
import { DEFAULT_RETRY, withRetries, type AttemptInfo, type RetryPolicy } from './retry.ts';
import {
  responses,
  type RejectedItem,
  type BsAdvertisement,
  type BsAdvertiser,
  type BsCampaign,
  type BsNetwork,
  type BsPlacement,
  type BsZone,
} from './schemas.ts';

export interface BroadstreetClientOptions {
  /** e.g. https://api.broadstreetads.com/api/1 */
  baseUrl: string;
  token: string;
  limiter: RateLimiter;
  /** Per attempt, body included (default 30 s). */
  timeoutMs?: number;
  /** A cap on attempts in all for retryable failures (default: none, only the time budget). */
  maxAttempts?: number;
  logger?: Logger;
  retry?: { budgetMs?: number; baseDelayMs?: number; maxDelayMs?: number; maxRetryAfterMs?: number };
  /** Holds calls while Broadstreet is unreachable (shared by the process, or through Redis). */
  breaker?: CircuitBreaker;
  /**
   * Send through this fetch instead of undici's request API (tests that
   * intercept fetch with msw pass the global one).
   */
  fetch?: typeof fetch;
}

export interface CallOptions {
  signal?: AbortSignal;
  /** Told about every failed attempt: the ones that will be retried (with delayMs) and the final one. */
  onAttempt?: (info: AttemptInfo) => void;
  /** Lists: told about each item of an unexpected shape, which is left out of the list (the others are returned). */
  onRejected?: (item: RejectedItem) => void;
}

export interface AdvertiserInput {
  name: string;
  webHomeUrl?: string | null;
  notes?: string | null;
}

export interface ZoneInput {
  name: string;
  alias?: string | null;
  selfServe?: boolean;
}

export interface CampaignInput {
  name: string;
  startDate?: string | null;
  endDate?: string | null;
  weight?: number;
  displayType?: string | null;
  pacingType?: string | null;
  impressionMaxType?: string | null;
  paused?: boolean;
  notes?: string | null;
  maxImpressionCount?: number | null;
  archived?: boolean;
}

export interface PlacementInput {
  campaignId: number;
  advertisementId: number;
  zoneId: number;
  restrictions?: string[];
}

export type CampaignFilter = { advertiserId: number } | { zoneId: number };

export class BroadstreetClient {
  private readonly transport: Transport;
  private readonly policy: RetryPolicy;
  private readonly log: Logger;
  readonly breaker: CircuitBreaker | null;
  private fence: WriteFence | undefined;

  constructor(options: BroadstreetClientOptions) {
    this.transport = {
      baseUrl: options.baseUrl,
      token: options.token,
      timeoutMs: options.timeoutMs ?? 30_000,
      limiter: options.limiter,
      send: options.fetch ? sendWithFetch(options.fetch) : sendWithUndici,
      roundTrips: new RoundTrips(),
    };
    this.policy = { ...DEFAULT_RETRY, ...definedOnly(options.retry ?? {}), ...definedOnly({ maxAttempts: options.maxAttempts }) };
    this.log = (options.logger ?? createLogger('silent')).child({ component: 'broadstreet' });
    this.breaker = options.breaker ?? null;
  }

  /**
   * This client, with every write (POST, PUT, DELETE) checked by `fence` right
   * before it is sent: a run hands its calls out through one of these, so no
   * write of a run goes out once its lease is too short (see src/sync/lease.ts).
   */
  withFence(fence: WriteFence): BroadstreetClient {
    const fenced = Object.create(this) as BroadstreetClient;
    fenced.fence = fence;
    return fenced;
  }

  /**
   * Calls in flight that would keep the rate limit busy at the round trips
   * seen lately, or null when the configured number is enough (see round-trips.ts).
   */
  callsToFillLimit(): number | null {
    return callsToFill(this.transport.limiter.rps, this.transport.roundTrips?.typicalMs ?? null);
  }

  /** The API this client speaks to, without a trailing slash (no token in it). */
  get baseUrl(): string {
    return this.transport.baseUrl.replace(/\/+$/, '');
  }

  listNetworks(opts?: CallOptions): Promise<BsNetwork[]> {
    return this.call({ method: 'GET', path: '/networks', schema: responses.networks }, opts);
  }

  getNetwork(id: number, opts?: CallOptions): Promise<BsNetwork> {
    return this.call({ method: 'GET', path: `/networks/${id}`, schema: responses.network }, opts);
  }

  listAdvertisers(networkId: number, opts?: CallOptions): Promise<BsAdvertiser[]> {
    return this.call({ method: 'GET', path: '/advertisers', query: { network_id: networkId }, schema: responses.advertisers }, opts);
  }

  getAdvertiser(id: number, opts?: CallOptions): Promise<BsAdvertiser> {
    return this.call({ method: 'GET', path: `/advertisers/${id}`, schema: responses.advertiser }, opts);
  }

  createAdvertiser(networkId: number, input: AdvertiserInput, opts?: CallOptions): Promise<BsAdvertiser> {
    const body = { name: input.name, web_home_url: input.webHomeUrl, notes: input.notes };
    return this.call({ method: 'POST', path: '/advertisers', query: { network_id: networkId }, body, schema: responses.advertiser }, opts);
  }

  updateAdvertiser(id: number, input: Partial<AdvertiserInput>, opts?: CallOptions): Promise<BsAdvertiser> {
    const body = { name: input.name, web_home_url: input.webHomeUrl, notes: input.notes };
    return this.call({ method: 'PUT', path: `/advertisers/${id}`, body, schema: responses.advertiser }, opts);
  }

  deleteAdvertiser(id: number, opts?: CallOptions): Promise<void> {
    return this.call({ method: 'DELETE', path: `/advertisers/${id}`, schema: null }, opts);
  }

  listZones(networkId: number, opts?: CallOptions): Promise<BsZone[]> {
    return this.call({ method: 'GET', path: '/zones', query: { network_id: networkId }, schema: responses.zones }, opts);
  }

  getZone(id: number, opts?: CallOptions): Promise<BsZone> {
    return this.call({ method: 'GET', path: `/zones/${id}`, schema: responses.zone }, opts);
  }

  createZone(networkId: number, input: ZoneInput, opts?: CallOptions): Promise<BsZone> {
    const body = { name: input.name, alias: input.alias, self_serve: input.selfServe };
    return this.call({ method: 'POST', path: '/zones', query: { network_id: networkId }, body, schema: responses.zone }, opts);
  }

  updateZone(id: number, input: Partial<ZoneInput>, opts?: CallOptions): Promise<BsZone> {
    const body = { name: input.name, alias: input.alias, self_serve: input.selfServe };
    return this.call({ method: 'PUT', path: `/zones/${id}`, body, schema: responses.zone }, opts);
  }

  deleteZone(id: number, opts?: CallOptions): Promise<void> {
    return this.call({ method: 'DELETE', path: `/zones/${id}`, schema: null }, opts);
  }

  /** There is no GET /advertisements/{id} (404 for every ad): read ads through this list. */
  listAdvertisements(
    networkId: number,
    filter: { advertiserId?: number; zoneId?: number } = {},
    opts?: CallOptions,
  ): Promise<BsAdvertisement[]> {
    const query = { network_id: networkId, advertiser_id: filter.advertiserId, zone_id: filter.zoneId };
    return this.call({ method: 'GET', path: '/advertisements', query, schema: responses.advertisements }, opts);
  }

  /** By advertiser or by zone — exactly one, as the API requires. */
  listCampaigns(filter: CampaignFilter, opts?: CallOptions): Promise<BsCampaign[]> {
    const query: Query = 'advertiserId' in filter ? { advertiser_id: filter.advertiserId } : { zone_id: filter.zoneId };
    return this.call({ method: 'GET', path: '/campaigns', query, schema: responses.campaigns }, opts);
  }

  getCampaign(id: number, opts?: CallOptions): Promise<BsCampaign> {
    return this.call({ method: 'GET', path: `/campaigns/${id}`, schema: responses.campaign }, opts);
  }

  createCampaign(advertiserId: number, input: CampaignInput, opts?: CallOptions): Promise<BsCampaign> {
    return this.call(
      { method: 'POST', path: '/campaigns', query: { advertiser_id: advertiserId }, body: campaignBody(input), schema: responses.campaign },
      opts,
    );
  }

  updateCampaign(id: number, input: Partial<CampaignInput>, opts?: CallOptions): Promise<BsCampaign> {
    return this.call({ method: 'PUT', path: `/campaigns/${id}`, body: campaignBody(input), schema: responses.campaign }, opts);
  }

  deleteCampaign(id: number, opts?: CallOptions): Promise<void> {
    return this.call({ method: 'DELETE', path: `/campaigns/${id}`, schema: null }, opts);
  }

  /** A bare array on the wire. */
  listPlacements(campaignId: number, opts?: CallOptions): Promise<BsPlacement[]> {
    return this.call({ method: 'GET', path: '/placements', query: { campaign_id: campaignId }, schema: responses.placements }, opts);
  }

  /** 201 with an empty body: nothing to return. Restrictions go as ONE comma-joined string. */
  createPlacement(input: PlacementInput, opts?: CallOptions): Promise<void> {
    const body = {
      campaign_id: input.campaignId,
      advertisement_id: input.advertisementId,
      zone_id: input.zoneId,
      restrictions: input.restrictions?.length ? input.restrictions.join(',') : undefined,
    };
    return this.call({ method: 'POST', path: '/placements', body, schema: null }, opts);
  }

  deletePlacement(input: Omit<PlacementInput, 'restrictions'>, opts?: CallOptions): Promise<void> {
    const query = { campaign_id: input.campaignId, advertisement_id: input.advertisementId, zone_id: input.zoneId };
    return this.call({ method: 'DELETE', path: '/placements', query, schema: null }, opts);
  }

  private call<T>(spec: RequestSpec<T>, opts: CallOptions = {}): Promise<T> {
    const endpoint = endpointOf(spec);
    let heldMs = 0;
    const startedAt = Date.now();
    return withRetries(
      this.policy,
      {
        endpoint,
        ...(opts.signal ? { signal: opts.signal } : {}),
        heldMs: () => heldMs,
        onAttempt: (info) => {
          this.logAttempt(info);
          if (info.willRetry) recordRetry(info.endpoint, info.error?.code);
          opts.onAttempt?.(info);
        },
      },
      async () => {
        const breaker = this.breaker;
        if (!breaker) return attempt(this.transport, spec, opts.signal, opts.onRejected, this.fence);
        heldMs += (await breaker.admit(endpoint, opts.signal, startedAt)).heldMs;
        try {
          const result = await attempt(this.transport, spec, opts.signal, opts.onRejected, this.fence);
          await breaker.settled(undefined);
          return result;
        } catch (error) {
          await breaker.settled(error);
          throw error;
        }
      },
    );
  }

  private logAttempt({ endpoint, attempt: n, error, delayMs, willRetry }: AttemptInfo): void {
    const fields = { endpoint, attempt: n, code: error?.code, status: error?.status, outcomeUnknown: error?.outcomeUnknown, delayMs };
    if (willRetry) this.log.warn(fields, `Broadstreet call failed (${describe(error)}); retrying`);
    else this.log.warn(fields, `Broadstreet call failed (${describe(error)})`);
  }
}

function describe(error?: BroadstreetError): string {
  return error ? error.message : 'unknown';
}

/**
 * A date alone is read in the account's time zone as that day's midnight, so
 * an end date would cut its last day off [live]: send whole days, from the
 * start's first second to the end's last.
 */
export function campaignDayBounds(input: Pick<Partial<CampaignInput>, 'startDate' | 'endDate'>) {
  const at = (day: string | null | undefined, time: string) => (day && /^\d{4}-\d{2}-\d{2}$/.test(day) ? `${day} ${time}` : day);
  return { start_date: at(input.startDate, '00:00:00'), end_date: at(input.endDate, '23:59:59') };
}

function campaignBody(input: Partial<CampaignInput>): Record<string, unknown> {
  return {
    name: input.name,
    ...campaignDayBounds(input),
    weight: input.weight,
    display_type: input.displayType,
    pacing_type: input.pacingType,
    impression_max_type: input.impressionMaxType,
    paused: input.paused,
    notes: input.notes,
    max_impression_count: input.maxImpressionCount,
    archived: input.archived,
  };
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export type { Method };
