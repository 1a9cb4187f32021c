// The Broadstreet v1 route table: "METHOD /template" → handler. The template is
// also the endpoint name used in statistics and fault scripts.
import * as accounts from './handlers/accounts.ts';
import * as ads from './handlers/advertisements.ts';
import * as campaigns from './handlers/campaigns.ts';
import type { Handler } from './handlers/common.ts';

const ROUTES: Record<string, Handler> = {
  'GET /networks': accounts.listNetworks,
  'GET /networks/{id}': accounts.getNetwork,
  'GET /advertisers': accounts.listAdvertisers,
  'POST /advertisers': accounts.createAdvertiser,
  'GET /advertisers/{id}': accounts.getAdvertiser,
  'PUT /advertisers/{id}': accounts.updateAdvertiser,
  'DELETE /advertisers/{id}': accounts.deleteAdvertiser,
  'GET /zones': accounts.listZones,
  'POST /zones': accounts.createZone,
  'GET /zones/{id}': accounts.getZone,
  'PUT /zones/{id}': accounts.updateZone,
  'DELETE /zones/{id}': accounts.deleteZone,
  'GET /campaigns': campaigns.listCampaigns,
  'POST /campaigns': campaigns.createCampaign,
  'GET /campaigns/{id}': campaigns.getCampaign,
  'PUT /campaigns/{id}': campaigns.updateCampaign,
  'DELETE /campaigns/{id}': campaigns.deleteCampaign,
  'GET /advertisements': ads.listAdvertisements,
  'POST /advertisements': ads.createAdvertisement,
  'GET /advertisements/{id}': ads.getAdvertisement,
  'GET /placements': campaigns.listPlacements,
  'POST /placements': campaigns.createPlacement,
  'DELETE /placements': campaigns.deletePlacement,
  'GET /records': () => ({ status: 200, body: { records: [] } }),
};

export interface RouteMatch {
  endpoint: string;
  handler: Handler;
  id?: number;
}

/** Matches a path below the API base; a non-numeric id matches nothing (404, like Rails). */
export function matchRoute(method: string, path: string): RouteMatch | null {
  const trimmed = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
  const m = /^\/([a-z]+)(?:\/(\d+))?$/.exec(trimmed);
  if (!m) return null;
  const endpoint = `${method.toUpperCase()} /${m[1]}${m[2] ? '/{id}' : ''}`;
  const handler = ROUTES[endpoint];
  if (!handler) return null;
  return m[2] ? { endpoint, handler, id: Number(m[2]) } : { endpoint, handler };
}

export const ENDPOINTS = Object.keys(ROUTES);
