// Issue 18, "Sync keeps its pace under read load": an import through the
// server (embedded mode: the run shares the server's process and event loop
// with GraphQL execution) while 50 clients send the dashboard's list queries
// for the whole import, against the same import with nobody reading,
// alternated, medians compared. The readers run in a process of their own
// (bench/servers/readers.ts); the server and its run in this one.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { startBenchApp, type RunResult } from './lib/app.ts';
import { ROOT, startChild, type Child } from './lib/child.ts';
import { NETWORK, networkOf, startBenchEmulator, totalOf, type BenchEmulator } from './lib/emulator.ts';
import { formatSummary, profiled } from './lib/profile.ts';
import { alternate, maxOf, median, percentile } from './lib/stats.ts';
import type { Benchmark, BenchOptions, BenchResult, Row } from './lib/types.ts';
import type { ReadReport } from './servers/readers.ts';

export const READ_CLIENTS = 50;
/** The import's rate limit: a 10,000-entity import (~3,000 requests) takes ~30 s. */
const RPS = 100;
const RATIO_TARGET = 1.2;
const P99_TARGET_MS = 250;

export interface ReadLoadSize {
  entities: number;
  rounds: number;
  clients: number;
  /** The server's environment beyond the emulator's (a cap to try, say). */
  env?: Record<string, string>;
}

/** The dashboard's list query of each entity type, as its page sends it (the first page of network 85). */
export async function dashboardListBodies(networkId: number): Promise<string[]> {
  // A plain browser module, loaded as the browser loads it.
  const queries = (await import(pathToFileURL(path.join(ROOT, 'src/dashboard/public/js/queries.js')).href)) as {
    ENTITY_NODES: Record<string, string>;
    entityListQuery(type: string): string;
  };
  return Object.keys(queries.ENTITY_NODES).map((type) =>
    JSON.stringify({ query: queries.entityListQuery(type), variables: { networkId } }),
  );
}

interface Loaded {
  run: RunResult;
  reads: ReadReport;
  profile?: string[];
}

async function importOnce(
  emulator: BenchEmulator,
  size: ReadLoadSize,
  readers?: { child: Child; bodies: string[] },
  profile = false,
): Promise<Loaded | RunResult> {
  const app = await startBenchApp({
    BROADSTREET_API_BASE_URL: emulator.url,
    BROADSTREET_API_TOKEN: emulator.token,
    BROADSTREET_RATE_LIMIT_RPS: String(RPS),
    ...size.env,
  });
  try {
    if (!readers) return check(await app.sync({ networkId: NETWORK, direction: 'IMPORT' }));
    await readers.child.call('start', { url: app.url, clients: size.clients, bodies: readers.bodies });
    // The readers are at full pace before the run starts, and stay until its final event.
    await new Promise((r) => setTimeout(r, 500));
    let reads: ReadReport;
    let run: RunResult;
    let summary: string[] | undefined;
    try {
      const sync = () => app.sync({ networkId: NETWORK, direction: 'IMPORT' });
      if (profile) {
        const profiledRun = await profiled('read-load', sync);
        run = profiledRun.value;
        summary = formatSummary(profiledRun.summary);
      } else run = await sync();
    } finally {
      reads = await readers.child.call<ReadReport>('stop');
    }
    return { run: check(run), reads, ...(summary ? { profile: summary } : {}) };
  } finally {
    await app.stop();
  }
}

function check(run: RunResult): RunResult {
  if (run.status !== 'SUCCEEDED') throw new Error(`import ended ${run.status}`);
  return run;
}

export interface ReadLoadOutcome {
  entities: number;
  unloadedMs: number[];
  loadedMs: number[];
  ratio: number;
  p99: number;
  max: number;
  ok: number;
  notYet: number;
  refused: number;
  refusedMax: number;
  errors: number;
  readsPerSecond: number;
  firstError?: string;
  profile?: string[];
}

/** Alternates the unloaded import and the loaded one `rounds` times on one emulator. */
export async function measureReadLoad(
  size: ReadLoadSize,
  log: (line: string) => void = () => {},
  profile = false,
): Promise<ReadLoadOutcome> {
  const emulator = await startBenchEmulator(networkOf(size.entities));
  const child = await startChild('bench/servers/readers.ts');
  try {
    const entities = totalOf(await emulator.counts());
    const bodies = await dashboardListBodies(NETWORK);
    const result = await alternate(
      size.rounds,
      () => importOnce(emulator, size) as Promise<RunResult>,
      () => importOnce(emulator, size, { child, bodies }) as Promise<Loaded>,
      log,
    );
    const profileRun = profile ? ((await importOnce(emulator, size, { child, bodies }, true)) as Loaded).profile : undefined;
    const latencies = result.subject.flatMap((s) => s.reads.latencies);
    const sum = (pick: (r: ReadReport) => number) => result.subject.reduce((n, s) => n + pick(s.reads), 0);
    const unloadedMs = result.baseline.map((r) => r.wallMs);
    const loadedMs = result.subject.map((s) => s.run.wallMs);
    return {
      entities,
      unloadedMs,
      loadedMs,
      ratio: median(loadedMs) / median(unloadedMs),
      p99: percentile(latencies, 99),
      max: maxOf(latencies),
      ok: sum((r) => r.ok),
      notYet: sum((r) => r.notYet),
      refusedMax: maxOf(
        result.subject.flatMap((s) => s.reads.refusals),
        0,
      ),
      ...(result.subject.find((s) => s.reads.firstError)
        ? { firstError: result.subject.find((s) => s.reads.firstError)!.reads.firstError }
        : {}),
      refused: sum((r) => r.refused),
      errors: sum((r) => r.errors),
      readsPerSecond: median(result.subject.map((s) => (s.reads.ok + s.reads.notYet) / s.reads.seconds)),
      ...(profileRun ? { profile: profileRun } : {}),
    };
  } finally {
    await child.stop();
    await emulator.stop();
  }
}

const secondsOf = (values: number[]) => values.map((ms) => (ms / 1000).toFixed(1)).join(', ');

async function run({ quick, profile, log }: BenchOptions): Promise<BenchResult> {
  const size: ReadLoadSize = { entities: quick ? 2_000 : 10_000, rounds: quick ? 3 : 5, clients: READ_CLIENTS };
  log(`  ~${size.entities} entities at ${RPS} req/s, ${size.clients} reading clients, ${size.rounds} alternated rounds…`);
  const o = await measureReadLoad(size, log, profile);
  const setup = `${size.clients} clients (one keep-alive connection each, back to back) cycling the dashboard's 5 list queries of the network being imported; the import at ${RPS} req/s`;
  const rows: Row[] = [
    {
      item: '18',
      measure: `import of ${o.entities} under ${size.clients} query clients: wall ÷ the same import unloaded`,
      value: o.ratio,
      unit: '',
      target: { op: '<=', value: RATIO_TARGET },
      note: `medians of ${size.rounds} alternated rounds: loaded ${secondsOf(o.loadedMs)} s, unloaded ${secondsOf(o.unloadedMs)} s; ${setup}`,
    },
    {
      item: '18',
      measure: 'query p99 latency meanwhile',
      value: o.p99,
      unit: 'ms',
      target: { op: '<=', value: P99_TARGET_MS },
      note: `every answered request of the loaded rounds (refusals apart); max ${o.max.toFixed(0)} ms; ${o.readsPerSecond.toFixed(0)} answers/s (median of rounds)`,
    },
    {
      item: '18',
      measure: 'queries meanwhile: failed (refused with Retry-After apart)',
      value: o.errors,
      unit: '',
      target: { op: '==', value: 0 },
      note: `${o.ok} answered with data, ${o.notYet} with "network not imported yet" (before the run stored it), ${o.refused} refused (503 with Retry-After, waited out by the client; slowest refusal ${o.refusedMax.toFixed(0)} ms), ${o.errors} failed${o.firstError ? ` (first: ${o.firstError.slice(0, 120)})` : ''}`,
    },
  ];
  for (const row of rows) log(`  ${row.measure}: ${row.note}`);
  return {
    rows,
    notes: o.profile ? ['The server during one more loaded import (not counted above) — where the time goes:', ...o.profile] : [],
  };
}

export const readLoad: Benchmark = {
  name: 'read-load',
  title: 'Issue 18 — an import under 50 concurrent query clients',
  run,
};
