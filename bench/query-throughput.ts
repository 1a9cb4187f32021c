// Item 3: req/s of the realistic page query through the full server ÷ req/s
// of a bare graphql-yoga hello-world, each in its own process, loaded by the
// same autocannon settings from this process, alternated, medians compared.
import autocannon from 'autocannon';
import { closeDatabase, openDatabase } from '../src/db/index.ts';
import { startChild, type Child } from './lib/child.ts';
import { freshDb } from './lib/db.ts';
import { PLACEMENT_PAGE, seedPlacements } from './lib/seed-placements.ts';
import { alternate, median } from './lib/stats.ts';
import type { Benchmark } from './lib/types.ts';

const CONNECTIONS = 10;

interface Load {
  rps: number;
  p99: number;
  errors: number;
}

function load(url: string, query: string, variables: Record<string, unknown>, seconds: number): Promise<Load> {
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: `${url}/graphql`,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query, variables }),
        connections: CONNECTIONS,
        duration: seconds,
      },
      (error, result) => {
        if (error) return reject(error);
        resolve({ rps: result.requests.average, p99: result.latency.p99, errors: result.errors + result.non2xx + result.timeouts });
      },
    );
  });
}

export const queryThroughput: Benchmark = {
  name: 'query-throughput',
  title: 'Item 3 — query throughput through the full server',
  async run({ quick, log }) {
    const seconds = quick ? 1 : 3;
    const rounds = 5;
    const database = await freshDb('query');
    const db = await openDatabase(database.url);
    await seedPlacements(db, 1000, 1000);
    await closeDatabase(db);
    const children: Child[] = [];
    try {
      const server = await startChild('bench/servers/app-server.ts', { DATABASE_URL: database.url, GRAPHQL_SHARE_QUEUED_QUERIES: 'false' });
      children.push(server);
      const hello = await startChild('bench/servers/hello-yoga.ts');
      children.push(hello);
      const subject = () => load(server.info.url, PLACEMENT_PAGE, { networkId: 1000 }, seconds);
      const baseline = () => load(hello.info.url, '{ hello }', {}, seconds);
      log('  warming up both servers…');
      await baseline();
      await subject();
      const result = await alternate(rounds, baseline, subject, log);
      await server.call('profileStart', 'query-throughput');
      await subject();
      const profile: string[] = await server.call('profileStop');
      const errors = [...result.baseline, ...result.subject].reduce((n, r) => n + r.errors, 0);
      if (errors > 0) throw new Error(`${errors} failed requests under load`);
      const s = median(result.subject.map((r) => r.rps));
      const b = median(result.baseline.map((r) => r.rps));
      const config = `autocannon, ${CONNECTIONS} connections, ${seconds} s × ${rounds} alternated rounds, medians`;
      return {
        rows: [
          {
            item: '3',
            measure: 'page of 50 placements through the server: req/s ÷ hello-world req/s',
            value: s / b,
            unit: '',
            target: { op: '>=', value: 0.5 },
            note: `${s.toFixed(0)} req/s vs bare graphql-yoga ${b.toFixed(0)} req/s; ${config}`,
          },
          {
            item: '3',
            measure: 'page of 50 placements: p99 latency',
            value: median(result.subject.map((r) => r.p99)),
            unit: 'ms',
            note: `hello-world p99 ${median(result.baseline.map((r) => r.p99)).toFixed(1)} ms; network of 1,000 placements, SQLite`,
          },
        ],
        notes: ['The server under the same load (one more subject round, not counted above) — where the time goes:', ...profile],
      };
    } finally {
      for (const child of children) await child.stop();
      database.drop();
    }
  },
};
