// Issue 18, "No long stalls": the LARGEST single event-loop stall inside the
// server while it imports ~100,000 entities from the emulator (limit lifted,
// no latency), and how many stalls pass 20 ms, from a drift probe (a 2 ms
// timer; each late tick is one stall, labelled with the phase the run was in).
// Beside it an idle process runs the same probe: what the machine alone does
// to an event loop (the baseline, measured during the same imports). Then the
// first GraphQL operation after start-up: a fresh server process each round,
// the placement page as its first operation, against the same page once warm.
import { closeDatabase, openDatabase } from '../src/db/index.ts';
import { startBenchApp } from './lib/app.ts';
import { startChild, type Child } from './lib/child.ts';
import { freshDb } from './lib/db.ts';
import { NETWORK, networkOf, startBenchEmulator, totalOf, type BenchEmulator } from './lib/emulator.ts';
import { stallProbe, type Stall, type StallReport } from './lib/monitor.ts';
import { PLACEMENT_PAGE, seedPlacements } from './lib/seed-placements.ts';
import { median } from './lib/stats.ts';
import type { Benchmark, BenchOptions, BenchResult, Row } from './lib/types.ts';

/** The target: no stall above 50 ms. */
const STALL_TARGET_MS = 50;

interface StallRun {
  wallMs: number;
  status: string;
  server: StallReport;
  idle: { stallMax: number; stallsOver20: number };
}

async function importOnce(emulator: BenchEmulator, idle: Child): Promise<StallRun> {
  const app = await startBenchApp({
    BROADSTREET_API_BASE_URL: emulator.url,
    BROADSTREET_API_TOKEN: emulator.token,
    BROADSTREET_RATE_LIMIT_RPS: '10000',
  });
  try {
    let phase = 'start';
    await idle.call('start');
    const probe = stallProbe(() => phase);
    let result: Awaited<ReturnType<typeof app.sync>>;
    let server: StallReport;
    try {
      result = await app.sync({ networkId: NETWORK, direction: 'IMPORT' }, (event) => {
        phase = event.phase ?? phase;
      });
    } finally {
      server = probe.stop();
    }
    const idleReport = await idle.call('stop');
    return { wallMs: result.wallMs, status: result.status, server, idle: idleReport };
  } finally {
    await app.stop();
  }
}

interface FirstOperation {
  /** app.start() in the server process (the warm-up included). */
  startMs: number;
  firstMs: number;
  /** The median of the same operation sent 5 times after it. */
  warmMs: number;
}

async function timedQuery(url: string): Promise<number> {
  const started = performance.now();
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: PLACEMENT_PAGE, variables: { networkId: 1000 } }),
  });
  const body = (await response.json()) as { data?: { placements?: { edges: unknown[] } }; errors?: unknown };
  const ms = performance.now() - started;
  if (body.errors || body.data?.placements?.edges.length !== 50) throw new Error(`placement page failed: ${JSON.stringify(body.errors)}`);
  return ms;
}

async function firstOperationOnce(databaseUrl: string): Promise<FirstOperation> {
  const server = await startChild('bench/servers/app-server.ts', { DATABASE_URL: databaseUrl });
  try {
    const firstMs = await timedQuery(server.info.url);
    const warm: number[] = [];
    for (let i = 0; i < 5; i++) warm.push(await timedQuery(server.info.url));
    return { startMs: server.info.startMs, firstMs, warmMs: median(warm) };
  } finally {
    await server.stop();
  }
}

const fmt = (ms: number) => ms.toFixed(0);

function describeStalls(stalls: Stall[], limit = 5): string {
  if (stalls.length === 0) return 'none over 20 ms';
  return stalls
    .slice(0, limit)
    .map((s) => `${fmt(s.ms)} ms (CPU ${fmt(s.cpuMs)} ms) in ${s.label} at ${(s.atMs / 1000).toFixed(1)} s`)
    .join(', ');
}

async function measure({ quick, log }: BenchOptions): Promise<BenchResult> {
  const target = quick ? 10_000 : 100_000;
  const rounds = 5;
  const notes: string[] = [];
  const rows: Row[] = [];
  log(`  seeding the emulator with ~${target} entities…`);
  const emulator = await startBenchEmulator(networkOf(target));
  const idle = await startChild('bench/servers/idle.ts');
  try {
    const entities = totalOf(await emulator.counts());
    const runs: StallRun[] = [];
    for (let round = 0; round < rounds; round++) {
      const run = await importOnce(emulator, idle);
      if (run.status !== 'SUCCEEDED') throw new Error(`import ended ${run.status}`);
      runs.push(run);
      log(
        `  round ${round + 1}/${rounds}: import ${(run.wallMs / 1000).toFixed(1)} s, largest stall ${fmt(run.server.max)} ms (own work ${fmt(run.server.maxOwn)} ms), ${run.server.over20} over 20 ms (idle beside it: ${fmt(run.idle.stallMax)} ms); ${describeStalls(run.server.stalls, 3)}`,
      );
    }
    const maxes = runs.map((r) => r.server.max);
    const over = runs.map((r) => r.server.over20);
    const idleMax = runs.map((r) => r.idle.stallMax);
    rows.push(
      {
        item: '18',
        measure: `largest single event-loop stall during an import of ${entities}`,
        value: median(maxes),
        unit: 'ms',
        target: { op: '<=', value: STALL_TARGET_MS },
        note: `median of ${rounds} imports' largest stall (each: ${maxes.map(fmt).join(', ')} ms; worst ${fmt(Math.max(...maxes))} ms); drift probe (2 ms timer) in the server process; an idle process beside it: largest ${fmt(median(idleMax))} ms (median; worst ${fmt(Math.max(...idleMax))} ms), the machine's share`,
      },
      {
        item: '18',
        measure: `largest stall of the server's own work (min of stall and its CPU time) during an import of ${entities}`,
        value: median(runs.map((r) => r.server.maxOwn)),
        unit: 'ms',
        note: `median of ${rounds} (each: ${runs.map((r) => fmt(r.server.maxOwn)).join(', ')} ms); process.cpuUsage() across each stall: a stall with less CPU than wall time was partly spent waiting for a core (shared machine), which this leaves out`,
      },
      {
        item: '18',
        measure: `stalls over 20 ms during an import of ${entities}`,
        value: median(over),
        unit: '',
        note: `median of ${rounds} (each: ${over.join(', ')}); the idle process beside it: ${runs.map((r) => r.idle.stallsOver20).join(', ')}`,
      },
    );
    const all = runs.flatMap((r) => r.server.stalls).sort((a, b) => b.ms - a.ms);
    notes.push(`Largest stalls over ${rounds} imports of ${entities} (phase at the time): ${describeStalls(all, 10)}`);
  } finally {
    await idle.stop();
    await emulator.stop();
  }

  log('  first operation after start-up: a fresh server process per round…');
  const database = await freshDb('first-op');
  try {
    const db = await openDatabase(database.url);
    await seedPlacements(db, 1000, 1000);
    await closeDatabase(db);
    const firsts: FirstOperation[] = [];
    for (let round = 0; round < rounds; round++) {
      const first = await firstOperationOnce(database.url);
      firsts.push(first);
      log(
        `  round ${round + 1}/${rounds}: start ${fmt(first.startMs)} ms, first operation ${fmt(first.firstMs)} ms, warm ${fmt(first.warmMs)} ms`,
      );
    }
    const first = median(firsts.map((f) => f.firstMs));
    const warm = median(firsts.map((f) => f.warmMs));
    rows.push(
      {
        item: '18',
        measure: 'first operation after start-up (placement page of 50): latency',
        value: first,
        unit: 'ms',
        target: { op: '<=', value: STALL_TARGET_MS },
        note: `median of ${rounds} fresh server processes (each: ${firsts.map((f) => fmt(f.firstMs)).join(', ')} ms); the same page once warm: ${warm.toFixed(1)} ms; ratio first ÷ warm ${(first / warm).toFixed(2)}`,
      },
      {
        item: '18',
        measure: 'server start-up (app.start(), warm-up included)',
        value: median(firsts.map((f) => f.startMs)),
        unit: 'ms',
        note: `median of ${rounds} (each: ${firsts.map((f) => fmt(f.startMs)).join(', ')} ms): services, the schema and query-compiler warm-up, listening`,
      },
    );
  } finally {
    database.drop();
  }
  return { rows, notes };
}

export const stalls: Benchmark = {
  name: 'stalls',
  title: 'Issue 18 — the largest event-loop stall during an import; the first operation after start-up',
  run: measure,
};
