// The read queries the floor server (bench/servers/floor.ts) answers, by name:
// the placement page of item 3 and the list queries the dashboard sends,
// taken from its plain browser module (query-lists loads the same ones).
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from './child.ts';
import { PLACEMENT_PAGE } from './seed-placements.ts';

/** The lists the floor serves; advertisements are not in query-lists either. */
export const FLOOR_LISTS = ['advertisers', 'zones', 'campaigns', 'placements'] as const;

export async function floorQueries(): Promise<Record<string, string>> {
  const queries = (await import(pathToFileURL(path.join(ROOT, 'src/dashboard/public/js/queries.js')).href)) as {
    entityListQuery(type: string): string;
    LOCAL_ENTITIES: string;
  };
  const lists = FLOOR_LISTS.map((type) => [`dashboard ${type}`, queries.entityListQuery(type)]);
  return { 'placement page': PLACEMENT_PAGE, ...Object.fromEntries(lists), 'dashboard localEntities': queries.LOCAL_ENTITIES };
}
