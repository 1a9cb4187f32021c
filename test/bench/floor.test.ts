// The hand-written floor of the read benchmarks (bench/query-floor.ts): in a
// minimal size, both servers on one seeded file give byte-identical answers
// (sync errors, a conflict and a local edit included), the floor refuses what
// it was not written for, and the ratio row is a real number.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { floorQueries } from '../../bench/lib/floor-queries.ts';
import { verdict } from '../../bench/lib/types.ts';
import {
  type FloorPair,
  FLOOR_NETWORK,
  firstDifference,
  floorRow,
  measureFloor,
  sameAnswer,
  startFloorPair,
} from '../../bench/query-floor.ts';

let pair: FloorPair;
let queries: Record<string, string>;

beforeAll(async () => {
  queries = await floorQueries();
  pair = await startFloorPair(60);
}, 60_000);

afterAll(() => pair?.stop());

describe('the floor server (query-floor)', () => {
  it('names where two answers first differ, and nothing when they do not', () => {
    expect(firstDifference('{"a":1}', '{"a":1}')).toBeNull();
    expect(firstDifference('{"a":1,"b":2}', '{"b":2,"a":1}')).toMatch(/^at character 2: /);
  });

  it('answers the placement page byte for byte as the project does', async () => {
    const body = await sameAnswer(pair, 'placement page', queries['placement page']!);
    const page = JSON.parse(body).data.placements;
    expect(page.totalCount).toBe(60);
    expect(page.edges).toHaveLength(50);
    expect(page.pageInfo.hasNextPage).toBe(true);
    expect(page.edges[0].node.campaign.advertiser.name).toBe('Advertiser 0');
  });

  it('answers the dashboard lists byte for byte, sync errors, conflicts and local edits included', async () => {
    const placements = JSON.parse(await sameAnswer(pair, 'dashboard placements', queries['dashboard placements']!)).data.list;
    expect(placements.edges[0].node.syncErrors).toHaveLength(2);
    const zones = JSON.parse(await sameAnswer(pair, 'dashboard zones', queries['dashboard zones']!)).data.list;
    expect(zones.edges[1].node.syncStatus).toBe('CONFLICT');
    expect(zones.edges[1].node.conflict.fields[0].remote).toBe('Theirs');
    const campaigns = JSON.parse(await sameAnswer(pair, 'dashboard campaigns', queries['dashboard campaigns']!)).data.list;
    expect(campaigns.edges[2].node.changedFields).toEqual(['name']);
    for (const name of ['dashboard advertisers', 'dashboard localEntities']) await sameAnswer(pair, name, queries[name]!);
  });

  it('refuses an operation it was not written for', async () => {
    const response = await fetch(`${pair.floor.info.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ zones(networkId: 1000) { totalCount } }', variables: { networkId: FLOOR_NETWORK } }),
    });
    const body = (await response.json()) as { data?: unknown; errors?: { message: string }[] };
    expect(body.data).toBeUndefined();
    expect(body.errors?.[0]?.message).toMatch(/only the benchmark operations/);
  });

  it('reports project req/s ÷ floor req/s as a well-formed row', { timeout: 30_000 }, async () => {
    const m = await measureFloor(pair, queries['placement page']!, 1, 1);
    const row = floorRow('placement page', m, 'test');
    expect(row.value).toBeGreaterThan(0);
    expect(Number.isFinite(row.value)).toBe(true);
    expect(row.value).toBeCloseTo(m.project.rps / m.floor.rps, 10);
    expect(m.project.cpu).toBeGreaterThan(0);
    expect(m.floor.cpu).toBeGreaterThan(0);
    expect(row.target).toEqual({ op: '>=', value: 0.5 });
    expect(['ok', 'MISSED']).toContain(verdict(row));
    expect(row.note).toMatch(/project \d+ req\/s, [\d.]+ ms CPU\/req; floor \d+ req\/s/);
  });
});
