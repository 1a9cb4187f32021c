// The reading half of the import baseline: a bare HTTP client (undici's fetch,
// no retry, no limiter, no validation) fetching the lists an import needs —
// the fewest the API's shape allows — from the same emulator, as many at a
// time as the server's sync (SYNC_CONCURRENCY's default). Bodies are parsed,
// since the ids of the next lists are in them; nothing else is done with them.
import pMap from 'p-map';
import { fetch } from 'undici';

/** The server's default SYNC_CONCURRENCY (src/config.ts): the import's calls in flight. */
export const IMPORT_CONCURRENCY = 4;

export interface BareFetch {
  ms: number;
  requests: number;
}

/** Fetches the network, its advertiser, zone and advertisement lists, each advertiser's campaigns and each campaign's placements. */
export async function bareFetchLists(baseUrl: string, token: string, networkId: number): Promise<BareFetch> {
  let requests = 0;
  const get = async (path: string, query: Record<string, number> = {}): Promise<any> => {
    const url = new URL(`${baseUrl}${path}`);
    for (const [k, v] of Object.entries(query)) url.searchParams.set(k, String(v));
    url.searchParams.set('access_token', token);
    requests++;
    const response = await fetch(url);
    if (!response.ok) throw new Error(`bare fetch: ${path} answered ${response.status}`);
    return response.json();
  };
  const started = performance.now();
  const network = { network_id: networkId };
  const [, { advertisers }] = await Promise.all([
    get(`/networks/${networkId}`),
    get('/advertisers', network),
    get('/zones', network),
    get('/advertisements', network),
  ]);
  const campaignLists = await pMap(
    advertisers as { id: number }[],
    async (a) => (await get('/campaigns', { advertiser_id: a.id })).campaigns as { id: number }[],
    { concurrency: IMPORT_CONCURRENCY },
  );
  await pMap(campaignLists.flat(), (c) => get('/placements', { campaign_id: c.id }), { concurrency: IMPORT_CONCURRENCY });
  return { ms: performance.now() - started, requests };
}
