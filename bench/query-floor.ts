// The read floor (issue 18, "bench/ gains the hand-written floor server"):
// the placement page and the dashboard's list queries through the project's
// server ÷ the same operations answered by bench/servers/floor.ts, graphql-yoga
// over hand-written better-sqlite3 statements, on one SQLite file. Each
// answer must first be byte-identical between the two; then both are loaded
// by autocannon, alternated, medians compared, with each server's CPU per
// request (both processes report their own CPU time).
import { closeDatabase, openDatabase } from '../src/db/index.ts';
import type { Db } from '../src/db/index.ts';
import { startChild, type Child } from './lib/child.ts';
import { freshDb, type BenchDb } from './lib/db.ts';
import { floorQueries } from './lib/floor-queries.ts';
import { loadRound, type Round } from './lib/load-round.ts';
import { seedPlacements } from './lib/seed-placements.ts';
import { alternate, median } from './lib/stats.ts';
import { verdict, type Benchmark, type Row } from './lib/types.ts';

const CONNECTIONS = 10;
export const FLOOR_NETWORK = 1000;
/** At least the project's ratio to its floor, for each operation. */
const TARGET = 0.5;

export interface FloorPair {
  project: Child;
  floor: Child;
  stop(): Promise<void>;
}

/**
 * Rows every answer path must render alike: local-only rows (for
 * localEntities), sync errors, a stored conflict and a local edit.
 */
async function seedStates(db: Db): Promise<void> {
  await db.advertiser.updateMany({ where: { id: { lte: 120 } }, data: { broadstreetId: null } });
  await db.placement.updateMany({ where: { id: { lte: 120 } }, data: { syncedAt: null } });
  const run = await db.syncRun.create({
    data: { networkId: FLOOR_NETWORK, direction: 'EXPORT', entityTypes: [], status: 'FAILED', counts: {}, lastSeq: 0 },
  });
  const [advertiser, placement] = await Promise.all([db.advertiser.findFirstOrThrow(), db.placement.findFirstOrThrow()]);
  for (const [entityType, row] of [
    ['ADVERTISER', advertiser],
    ['PLACEMENT', placement],
  ] as const) {
    for (const attempt of [1, 2]) {
      await db.syncError.create({
        data: {
          runId: run.id,
          entityType,
          mongoId: row.mongoId,
          code: 'NETWORK',
          message: `attempt ${attempt} failed`,
          retryable: true,
          attempt,
        },
      });
    }
  }
  const detectedAt = new Date('2026-01-02T03:04:05.678Z');
  await db.zone.update({
    where: { id: 2 },
    data: {
      conflict: {
        detectedAt: detectedAt.toISOString(),
        runId: run.id,
        remoteDeleted: false,
        fields: [{ field: 'name', base: 'Zone 1', local: 'Mine', remote: 'Theirs' }],
      },
      conflictAt: detectedAt,
    },
  });
  await db.campaign.update({
    where: { id: 3 },
    data: { name: 'Campaign 2, renamed here', base: { name: 'Campaign 2' }, changedAt: new Date() },
  });
}

/** Both servers in their own processes on one freshly seeded SQLite file of `size` placements. */
export async function startFloorPair(size: number): Promise<FloorPair> {
  const database: BenchDb = await freshDb('floor');
  const children: Child[] = [];
  const stop = async () => {
    for (const child of children) await child.stop();
    database.drop();
  };
  try {
    const db = await openDatabase(database.url);
    await seedPlacements(db, FLOOR_NETWORK, size);
    await seedStates(db);
    await closeDatabase(db);
    const project = await startChild('bench/servers/app-server.ts', { DATABASE_URL: database.url, GRAPHQL_SHARE_QUEUED_QUERIES: 'false' });
    children.push(project);
    const floor = await startChild('bench/servers/floor.ts', { DATABASE_URL: database.url });
    children.push(floor);
    return { project, floor, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

const body = (query: string) => JSON.stringify({ query, variables: { networkId: FLOOR_NETWORK } });

async function answer(server: Child, query: string): Promise<string> {
  const response = await fetch(`${server.info.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: body(query),
  });
  return response.text();
}

/** Where two texts first differ, with some context on either side; null when they are the same. */
export function firstDifference(a: string, b: string): string | null {
  if (a === b) return null;
  let at = 0;
  while (at < a.length && at < b.length && a[at] === b[at]) at++;
  const around = (text: string) => JSON.stringify(text.slice(Math.max(0, at - 60), at + 60));
  return `at character ${at}: project …${around(a)}… floor …${around(b)}…`;
}

/** The project's and the floor's answers to `query`, refused unless byte-identical and free of errors. */
export async function sameAnswer(pair: FloorPair, name: string, query: string): Promise<string> {
  const [project, floor] = await Promise.all([answer(pair.project, query), answer(pair.floor, query)]);
  const difference = firstDifference(project, floor);
  if (difference) throw new Error(`${name}: the floor's answer differs from the project's ${difference}`);
  if (!project.startsWith('{"data":') || project.includes('"errors"'))
    throw new Error(`${name}: not a clean answer: ${project.slice(0, 200)}`);
  return project;
}

/** One autocannon round against `server`: req/s and the server's CPU milliseconds per request. */
function round(server: Child, query: string, seconds: number): Promise<Round> {
  return loadRound(server, body(query), seconds, CONNECTIONS);
}

export interface FloorMeasure {
  project: { rps: number; cpu: number };
  floor: { rps: number; cpu: number };
}

/** Alternated rounds (floor first in each), medians of each side. */
export async function measureFloor(pair: FloorPair, query: string, seconds: number, rounds: number): Promise<FloorMeasure> {
  await round(pair.floor, query, 1); // warm both
  await round(pair.project, query, 1);
  const result = await alternate(
    rounds,
    () => round(pair.floor, query, seconds),
    () => round(pair.project, query, seconds),
  );
  const side = (rs: Round[]) => ({ rps: median(rs.map((r) => r.rps)), cpu: median(rs.map((r) => r.cpuMsPerRequest)) });
  return { floor: side(result.baseline), project: side(result.subject) };
}

export function floorRow(name: string, m: FloorMeasure, config: string): Row {
  return {
    item: '3',
    measure: `${name}: req/s ÷ the hand-written floor`,
    value: m.project.rps / m.floor.rps,
    unit: '',
    target: { op: '>=', value: TARGET },
    note:
      `project ${m.project.rps.toFixed(0)} req/s, ${m.project.cpu.toFixed(2)} ms CPU/req; ` +
      `floor ${m.floor.rps.toFixed(0)} req/s, ${m.floor.cpu.toFixed(2)} ms CPU/req; byte-identical answers; ${config}`,
  };
}

/** Where a miss spends its time: the project's server CPU-profiled under one more round of the same load. */
async function profileProject(pair: FloorPair, name: string, query: string, seconds: number): Promise<string[]> {
  await pair.project.call('profileStart', `query-floor-${name.replace(/\W+/g, '-')}`);
  await round(pair.project, query, seconds);
  const profile: string[] = await pair.project.call('profileStop');
  return [`${name} missed its target; the project's server under the same load (one more round, not counted above):`, ...profile];
}

export const queryFloor: Benchmark = {
  name: 'query-floor',
  title: 'Reads against the hand-written floor — the placement page and the dashboard lists',
  async run({ quick, log }) {
    const seconds = quick ? 1 : 3;
    const rounds = quick ? 3 : 5;
    const pair = await startFloorPair(1000);
    const rows: Row[] = [];
    const notes = [
      'The floor (bench/servers/floor.ts) is graphql-yoga with the project’s schema.graphql, answering these operations only, one better-sqlite3 statement per page (parents JOINed, totalCount and syncErrors as subqueries).',
    ];
    try {
      const queries = Object.entries(await floorQueries());
      // Every answer is checked before anything is timed: a faster floor that answers something else measures nothing.
      for (const [name, query] of queries) await sameAnswer(pair, name, query);
      log(`  ${queries.length} answers byte-identical`);
      const config = `network of 1,000 placements, SQLite; autocannon ${CONNECTIONS} connections, ${seconds} s × ${rounds} alternated rounds, medians`;
      for (const [name, query] of queries) {
        const m = await measureFloor(pair, query, seconds, rounds);
        log(
          `  ${name}: project ${m.project.rps.toFixed(0)} req/s (${m.project.cpu.toFixed(2)} ms CPU), floor ${m.floor.rps.toFixed(0)} req/s (${m.floor.cpu.toFixed(2)} ms)`,
        );
        const row = floorRow(name, m, config);
        rows.push(row);
        if (verdict(row) === 'MISSED') notes.push(...(await profileProject(pair, name, query, seconds)));
      }
    } finally {
      await pair.stop();
    }
    return { rows, notes };
  },
};
