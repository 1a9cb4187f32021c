// What a valid token may not touch: live, Broadstreet answers 403 for a
// network (or an object) outside the account's access, and 401 only for a
// bad token. Tests set the refused ids through the emulator's config.
import type { RouteMatch } from './routes.ts';
import type { EmulatorStore } from './store.ts';

export interface AccessLimits {
  /** Networks the token may not touch: the network itself, its lists and its objects. */
  networkIds: number[];
  /** Advertisers the token may not touch: the advertiser and the lists filtered by it. */
  advertiserIds: number[];
}

export const NO_LIMITS: AccessLimits = { networkIds: [], advertiserIds: [] };

/** Whether this call names something outside the token's access. */
export function forbidden(limits: AccessLimits, route: RouteMatch, params: Record<string, unknown>, store: EmulatorStore): boolean {
  if (limits.networkIds.length === 0 && limits.advertiserIds.length === 0) return false;
  const resource = route.endpoint.split(' ')[1]!;
  const networkIds = new Set<number>();
  const advertiserIds = new Set<number>();
  const num = (v: unknown) => (v === undefined || v === null || v === '' ? undefined : Number(v));
  const networkParam = num(params.network_id);
  if (networkParam !== undefined) networkIds.add(networkParam);
  const advertiserParam = num(params.advertiser_id);
  if (advertiserParam !== undefined) advertiserIds.add(advertiserParam);
  if (route.id !== undefined) {
    if (resource === '/networks/{id}') networkIds.add(route.id);
    if (resource === '/advertisers/{id}') advertiserIds.add(route.id);
    if (resource === '/zones/{id}') addDefined(networkIds, store.zones.get(route.id)?.networkId);
    if (resource === '/campaigns/{id}') addDefined(advertiserIds, store.campaigns.get(route.id)?.advertiserId);
  }
  for (const id of advertiserIds) addDefined(networkIds, store.advertisers.get(id)?.networkId);
  return limits.networkIds.some((id) => networkIds.has(id)) || limits.advertiserIds.some((id) => advertiserIds.has(id));
}

function addDefined(set: Set<number>, value: number | undefined): void {
  if (value !== undefined) set.add(value);
}
