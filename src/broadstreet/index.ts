// The Broadstreet client's public surface.
export {
  BroadstreetClient,
  type BroadstreetClientOptions,
  type CallOptions,
  type AdvertiserInput,
  type ZoneInput,
  type CampaignInput,
  type PlacementInput,
  type CampaignFilter,
} from './client.ts';
export { BroadstreetError, BROADSTREET_ERROR_CODES, isBroadstreetError, type BroadstreetErrorCode } from './errors.ts';
export { createRateLimiter, DEFAULT_LIMITER_KEY, type RateLimiter, type RateLimiterOptions } from './limiter.ts';
export { DEFAULT_RETRY, backoffDelay, parseRetryAfter, type AttemptInfo, type RetryPolicy } from './retry.ts';
export {
  CircuitBreaker,
  BroadstreetUnreachableError,
  MemoryBreakerStore,
  RedisBreakerStore,
  describeOutage,
  describeMs,
  type BreakerEvent,
  type BreakerStore,
  type OutageState,
} from './breaker.ts';
export type { WriteFence } from './http.ts';
export {
  WEIGHTS,
  networkSchema,
  advertiserSchema,
  zoneSchema,
  campaignSchema,
  advertisementSchema,
  placementSchema,
  weightSchema,
  responses,
  type BsNetwork,
  type BsAdvertiser,
  type BsZone,
  type BsCampaign,
  type BsAdvertisement,
  type BsPlacement,
  type RejectedItem,
} from './schemas.ts';
export { broadstreetFromConfig, MissingTokenError, type Broadstreet } from './from-config.ts';
