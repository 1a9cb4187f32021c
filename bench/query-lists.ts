// Hot reads (issue 18, "cheaper reads"): the placement page and the list
// queries the dashboard sends, through the hand-written JOIN (src/db/hot-reads.ts)
// against the same server with every read sent to Prisma, alternated on one
// SQLite file: req/s and the server's CPU milliseconds per request.
import { closeDatabase, openDatabase } from '../src/db/index.ts';
import { startChild, type Child } from './lib/child.ts';
import { freshDb } from './lib/db.ts';
import { floorQueries } from './lib/floor-queries.ts';
import { loadRound, type Round } from './lib/load-round.ts';
import { seedPlacements } from './lib/seed-placements.ts';
import { alternate, median } from './lib/stats.ts';
import type { Benchmark, Row } from './lib/types.ts';

const CONNECTIONS = 10;
const NETWORK = 1000;

/** One load round against the server with hot reads on or off: req/s and its CPU per request. */
async function round(server: Child, hot: boolean, query: string, seconds: number): Promise<Round> {
  await server.call('hotReads', hot);
  return loadRound(server, JSON.stringify({ query, variables: { networkId: NETWORK } }), seconds, CONNECTIONS);
}

export const queryLists: Benchmark = {
  name: 'query-lists',
  title: 'Hot reads — the placement page and the dashboard lists, JOIN vs Prisma',
  async run({ quick, log }) {
    const seconds = quick ? 1 : 3;
    const rounds = quick ? 3 : 5;
    const database = await freshDb('lists');
    const db = await openDatabase(database.url);
    await seedPlacements(db, NETWORK, 1000);
    // Some local-only rows, for localEntities to list.
    await db.advertiser.updateMany({ where: { id: { lte: 120 } }, data: { broadstreetId: null } });
    await db.placement.updateMany({ where: { id: { lte: 120 } }, data: { syncedAt: null } });
    await closeDatabase(db);
    const server = await startChild('bench/servers/app-server.ts', { DATABASE_URL: database.url });
    const rows: Row[] = [];
    try {
      for (const [name, query] of Object.entries(await floorQueries())) {
        await round(server, false, query, 1); // warm both paths
        await round(server, true, query, 1);
        const result = await alternate(
          rounds,
          () => round(server, false, query, seconds),
          () => round(server, true, query, seconds),
        );
        const prisma = { rps: median(result.baseline.map((r) => r.rps)), cpu: median(result.baseline.map((r) => r.cpuMsPerRequest)) };
        const join = { rps: median(result.subject.map((r) => r.rps)), cpu: median(result.subject.map((r) => r.cpuMsPerRequest)) };
        log(
          `  ${name}: Prisma ${prisma.cpu.toFixed(2)} ms CPU/req, ${prisma.rps.toFixed(0)} req/s; JOIN ${join.cpu.toFixed(2)} ms, ${join.rps.toFixed(0)} req/s`,
        );
        rows.push({
          item: '3',
          measure: `${name}: server CPU per request, Prisma ÷ JOIN`,
          value: prisma.cpu / join.cpu,
          unit: '×',
          note: `JOIN ${join.cpu.toFixed(2)} ms, ${join.rps.toFixed(0)} req/s; Prisma ${prisma.cpu.toFixed(2)} ms, ${prisma.rps.toFixed(0)} req/s; autocannon ${CONNECTIONS} connections, ${seconds} s × ${rounds} alternated rounds, medians`,
        });
      }
    } finally {
      await server.stop();
      database.drop();
    }
    return { rows, notes: [] };
  },
};
