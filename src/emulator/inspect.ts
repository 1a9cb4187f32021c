// The inspection API under /__emulator (off the Broadstreet paths): statistics,
// reset, data dumps, fault scripts and runtime settings, for tests and
// benchmarks — including ones running in another process.
import { z } from 'zod';
import type { EmulatorCore } from './core.ts';
import { faultRateSchema, scriptedFaultSchema } from './faults.ts';
import { HttpReply } from './handlers/common.ts';
import { matchRoute } from './routes.ts';
import { placementKey } from './store.ts';

export const INSPECT_PREFIX = '/__emulator';

export interface InspectReply {
  status: number;
  body: unknown;
}

const faultsBody = z.object({
  script: z.array(scriptedFaultSchema).optional(),
  rate: faultRateSchema.nullable().optional(),
});

const configBody = z.object({
  rateLimit: z.object({ rps: z.number().positive() }).nullable().optional(),
  latencyMs: z.number().int().min(0).optional(),
  authFailureStatus: z.union([z.literal(401), z.literal(403)]).optional(),
  access: z.object({ networkIds: z.array(z.number().int()), advertiserIds: z.array(z.number().int()) }).optional(),
});

export function inspect(core: EmulatorCore, method: string, path: string, query: URLSearchParams, body: unknown): InspectReply {
  const route = `${method.toUpperCase()} ${path.slice(INSPECT_PREFIX.length) || '/'}`;
  switch (route) {
    case 'GET /stats':
      return ok(core.stats.snapshot(core.store, core.faults.snapshot().injected));
    case 'POST /reset':
      core.reset();
      return ok({ reset: true });
    case 'GET /data':
      return dataDump(core, query.get('network_id'));
    case 'GET /faults':
      return ok(core.faults.snapshot());
    case 'POST /faults':
      return parsed(faultsBody, body, (input) => {
        if (input.script) core.faults.script(...input.script);
        if (input.rate !== undefined) core.faults.setRate(input.rate);
        return core.faults.snapshot();
      });
    case 'DELETE /faults':
      core.faults.clear();
      return ok(core.faults.snapshot());
    case 'GET /config':
      return ok(core.config);
    case 'POST /config':
      return parsed(configBody, body, (input) => {
        core.config = { ...core.config, ...stripUndefined(input) };
        return core.config;
      });
    default: {
      const record = /^(PUT|DELETE) \/records\/(advertiser|zone|campaign|placement|advertisement)(?:\/(\d+))?$/.exec(route);
      if (record) return changeRecord(core, record[1]!, record[2]!, record[3], query, body);
      return { status: 404, body: { message: `no inspection endpoint ${route}` } };
    }
  }
}

const tripleQuery = z.object({
  campaign_id: z.coerce.number().int().positive(),
  advertisement_id: z.coerce.number().int().positive(),
  zone_id: z.coerce.number().int().positive(),
});
const restrictionsBody = z.object({ restrictions: z.array(z.string()) });

/**
 * Changes a record "from Broadstreet's side", as a person in its UI would:
 * PUT with wire-named fields (validated as the API's PUT does, 422 the same
 * way, but never counted in stats nor subject to faults), DELETE as the API
 * deletes (children go with their parent). Placements are named by their
 * triple in the query string; their PUT takes { restrictions: [...] }.
 * Advertisements can be deleted (with their placements).
 */
function changeRecord(
  core: EmulatorCore,
  method: string,
  kind: string,
  id: string | undefined,
  query: URLSearchParams,
  body: unknown,
): InspectReply {
  try {
    if (kind === 'placement') return changePlacement(core, method, query, body);
    if (id === undefined) return { status: 400, body: { message: `${method} /records/${kind} needs an id` } };
    // Advertisements are made in Broadstreet's UI only (the API has no PUT or DELETE for them): DELETE here, as the UI would.
    if (kind === 'advertisement') {
      if (method !== 'DELETE') return { status: 405, body: { message: 'advertisements can only be deleted here' } };
      if (!core.store.deleteAdvertisement(Number(id))) return { status: 404, body: { message: 'Not Found' } };
      core.onChange?.();
      return ok({ deleted: true });
    }
    const route = matchRoute(method, `/${kind}s/${id}`)!;
    const params = method === 'PUT' && body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
    const reply = route.handler({ store: core.store, params, id: Number(id), created: () => {} });
    core.onChange?.();
    // 200 with a body rather than the API's empty 204: the inspection API always answers JSON.
    return reply.body === undefined ? ok({ deleted: true }) : { status: reply.status, body: reply.body };
  } catch (error) {
    if (error instanceof HttpReply) return { status: error.status, body: error.body };
    throw error;
  }
}

function changePlacement(core: EmulatorCore, method: string, query: URLSearchParams, body: unknown): InspectReply {
  const triple = tripleQuery.safeParse(Object.fromEntries(query));
  if (!triple.success) return { status: 400, body: { message: z.prettifyError(triple.error) } };
  const key = placementKey({
    campaignId: triple.data.campaign_id,
    advertisementId: triple.data.advertisement_id,
    zoneId: triple.data.zone_id,
  });
  const placement = core.store.placements.get(key);
  if (!placement) return { status: 404, body: { message: 'Not Found' } };
  if (method === 'DELETE') {
    core.store.deletePlacement(key);
    core.onChange?.();
    return ok({ deleted: true });
  }
  return parsed(restrictionsBody, body, (input) => {
    placement.restrictions = input.restrictions;
    core.onChange?.();
    return placement;
  });
}

function dataDump(core: EmulatorCore, networkParam: string | null): InspectReply {
  const { store } = core;
  if (networkParam === null) {
    return ok({ seed: core.seed, size: core.size, entities: store.counts(), networks: [...store.networks.keys()] });
  }
  const network = store.networks.get(Number(networkParam));
  if (!network) return { status: 404, body: { message: `no network ${networkParam}` } };
  const advertisers = store.advertisersOf(network.id);
  const campaigns = advertisers.flatMap((a) => store.campaignsOf(a.id));
  return ok({
    network,
    advertisers,
    zones: store.zonesOf(network.id),
    advertisements: store.advertisementsOf(network.id),
    campaigns,
    placements: campaigns.flatMap((c) => store.placementsOf(c.id)),
  });
}

function parsed<T>(schema: z.ZodType<T>, body: unknown, apply: (input: T) => unknown): InspectReply {
  const result = schema.safeParse(body ?? {});
  if (!result.success) return { status: 400, body: { message: z.prettifyError(result.error) } };
  return ok(apply(result.data));
}

function ok(body: unknown): InspectReply {
  return { status: 200, body };
}

function stripUndefined<T extends object>(value: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as never;
}
