// The read load of `read-load`: `clients` dashboard users, each on its own
// keep-alive connection, sending the dashboard's list queries one after
// another (the next as soon as the previous answered) until told to stop. A
// refusal (429/503) is waited out for its Retry-After, as the dashboard
// would. A process of its own, so that the load's own work does not share an
// event loop with the server it loads.
import { Pool } from 'undici';
import { serveParent } from '../lib/child.ts';

interface Load {
  url: string;
  clients: number;
  /** Request bodies, sent in turn. */
  bodies: string[];
}

export interface ReadReport {
  /** Latency of every answered request, in ms (refusals apart). */
  latencies: number[];
  /** Latency of the refusals, in ms. */
  refusals: number[];
  /** The first failure's status and the start of its body, to say what failed. */
  firstError?: string;
  ok: number;
  /** Answered "network not in the local database": the run has not stored it yet. */
  notYet: number;
  /** 429/503 with Retry-After: the server shedding load as documented. */
  refused: number;
  /** Anything else: other statuses, GraphQL errors, connection failures. */
  errors: number;
  seconds: number;
}

let running: Promise<ReadReport> | undefined;
let stopping = false;

async function client(pool: Pool, load: Load, offset: number, report: ReadReport): Promise<void> {
  for (let i = offset; !stopping; i++) {
    const started = performance.now();
    try {
      const { statusCode, headers, body } = await pool.request({
        path: '/graphql',
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: load.bodies[i % load.bodies.length]!,
      });
      const text = await body.text();
      const ms = performance.now() - started;
      if (statusCode === 429 || statusCode === 503) {
        report.refusals.push(ms);
        report.refused++;
        const wait = Number(headers['retry-after'] ?? 1);
        await new Promise((r) => setTimeout(r, (Number.isFinite(wait) ? wait : 1) * 1000));
        continue;
      }
      report.latencies.push(ms);
      if (statusCode === 200 && text.includes('"code":"NOT_FOUND"')) report.notYet++;
      else if (statusCode !== 200 || text.includes('"errors"')) failed(report, `${statusCode} ${text.slice(0, 300)}`);
      else report.ok++;
    } catch (error) {
      failed(report, String(error));
      if (!stopping) await new Promise((r) => setTimeout(r, 100));
    }
  }
}

function failed(report: ReadReport, what: string): void {
  report.errors++;
  report.firstError ??= what;
}

async function run(load: Load): Promise<ReadReport> {
  const pool = new Pool(load.url, { connections: load.clients, pipelining: 1 });
  const report: ReadReport = { latencies: [], refusals: [], ok: 0, notYet: 0, refused: 0, errors: 0, seconds: 0 };
  const started = performance.now();
  await Promise.all(Array.from({ length: load.clients }, (_, c) => client(pool, load, c, report)));
  report.seconds = (performance.now() - started) / 1000;
  await pool.close();
  return report;
}

serveParent(
  {},
  {
    start: (load: Load) => {
      stopping = false;
      running = run(load);
    },
    stop: async () => {
      stopping = true;
      return await running;
    },
  },
  async () => {
    stopping = true;
    await running;
  },
);
