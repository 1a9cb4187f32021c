// Item 2 (as issue 18 restates it): an import's wall time from the emulator
// (limit lifted, no latency) ÷ the same work done bare — a bare HTTP client
// (undici's fetch, no retry, no limiter) fetching the lists the import needs
// from the same emulator, plus a raw better-sqlite3 upsert loop writing the
// rows the import wrote in one transaction. Item 6 is measured on the same
// subject runs: event-loop delay inside the server while it imports, and peak
// RSS growth per 10,000 entities.
import { rmSync } from 'node:fs';
import path from 'node:path';
import { startBenchApp } from './lib/app.ts';
import { bareFetchLists, IMPORT_CONCURRENCY, type BareFetch } from './lib/bare-fetch.ts';
import { startChild, type Child } from './lib/child.ts';
import { freshDb, TMP } from './lib/db.ts';
import { minimumOf, NETWORK, networkOf, startBenchEmulator, totalOf, type BenchEmulator } from './lib/emulator.ts';
import { monitored, type Monitored } from './lib/monitor.ts';
import { formatSummary, profiled } from './lib/profile.ts';
import { dropPgTemplate, freshPgDb, pgUnavailable } from './lib/pg.ts';
import { rawUpsert, rawUpsertPg, readEntityRows, readEntityRowsPg, rowCount, type RowsByTable } from './lib/raw-upsert.ts';
import { median } from './lib/stats.ts';
import type { Benchmark, BenchOptions, BenchResult, Row } from './lib/types.ts';

interface ImportRun {
  wallMs: number;
  status: string;
  monitor: Monitored;
  /** Event-loop delay p99 and max of an idle process during the same import: the machine's share. */
  idle: { p99: number; max: number };
}

async function importOnce(
  emulator: BenchEmulator,
  idle: Child,
  /** Keep the imported database here (closed), as the baseline's input. */
  keepAs: string | undefined,
  profileLabel?: string,
): Promise<ImportRun & { profile?: string[] }> {
  const app = await startBenchApp({
    BROADSTREET_API_BASE_URL: emulator.url,
    BROADSTREET_API_TOKEN: emulator.token,
    BROADSTREET_RATE_LIMIT_RPS: '10000',
  });
  let kept = false;
  try {
    const run = () => monitored(() => app.sync({ networkId: NETWORK, direction: 'IMPORT' }));
    await idle.call('start');
    const { value, summary } = profileLabel ? await profiled(profileLabel, run) : { value: await run(), summary: undefined };
    const idleDelay = await idle.call('stop');
    await app.stop(keepAs);
    kept = true;
    return {
      wallMs: value.value.wallMs,
      status: value.value.status,
      monitor: value.monitor,
      idle: idleDelay,
      ...(summary ? { profile: formatSummary(summary) } : {}),
    };
  } finally {
    if (!kept) await app.stop();
  }
}

/**
 * The baseline: the rows the first import wrote, read back (untimed) from its
 * kept database and upserted into a fresh one. Read anew each round so that
 * 100,000 rows never sit in the heap the imports run in (their GC would pay).
 */
async function rawOnce(rowsFile: string): Promise<{ ms: number; rows: number }> {
  const database = await freshDb('raw');
  try {
    const rows: RowsByTable = readEntityRows(rowsFile);
    return { ms: rawUpsert(database.file, rows), rows: rowCount(rows) };
  } finally {
    database.drop();
  }
}

function eventLoopRows(entities: number, runs: ImportRun[]): Row[] {
  const p99 = runs.map((r) => r.monitor.delayP99);
  const growth = runs.map((r) => ((r.monitor.rssPeakMb - r.monitor.rssStartMb) / entities) * 10_000);
  const idleP99 = median(runs.map((r) => r.idle.p99));
  const idleMax = Math.max(...runs.map((r) => r.idle.max));
  return [
    {
      item: '6',
      measure: `event-loop delay p99 during an import of ${entities}`,
      value: median(p99),
      unit: 'ms',
      target: { op: '<=', value: 20 },
      note: `median of ${runs.length} runs (each: p99 ${p99.map((v) => v.toFixed(0)).join(', ')} ms; max ${Math.max(...runs.map((r) => r.monitor.delayMax)).toFixed(0)} ms); perf_hooks.monitorEventLoopDelay in the server process, less its 10 ms timer interval; an idle process beside it: p99 ${idleP99.toFixed(0)} ms, max ${idleMax.toFixed(0)} ms (the machine's share)`,
    },
    {
      item: '6',
      measure: 'peak RSS growth per 10,000 entities imported',
      value: median(growth),
      unit: 'MiB',
      note: `median of ${runs.length}; RSS sampled every 50 ms, peak − start (start ${median(runs.map((r) => r.monitor.rssStartMb)).toFixed(0)} MiB)`,
    },
  ];
}

/** Seconds to the hundredth: the raw upserts of the smaller networks take tenths. */
const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

const describeRequests = (requests: number, minimum: number) =>
  requests === minimum ? `${requests} requests, the minimum` : `${requests} requests against a minimum of ${minimum}`;

/**
 * Item 2's row: median import wall ÷ median (bare fetch + raw upsert), each
 * round's baseline being the fetch and the write of that round. The target is
 * the old one (import rows/s ≥ 0.25 × the raw loop's) turned into a time
 * ratio against the fuller baseline: ≤ 4.
 */
function bareRatioRow(
  subjectLabel: string,
  subject: { wallMs: number }[],
  fetches: BareFetch[],
  upsertMs: number[],
  minimum: number,
  driver: string,
): Row {
  const wall = median(subject.map((r) => r.wallMs));
  const baseline = median(fetches.map((f, i) => f.ms + upsertMs[i]!));
  return {
    item: '2',
    measure: `${subjectLabel}: wall ÷ (bare fetch + raw upsert)`,
    value: wall / baseline,
    unit: '',
    target: { op: '<=', value: 4 },
    note: `import ${seconds(wall)} vs bare fetch ${seconds(median(fetches.map((f) => f.ms)))} (undici fetch, ${describeRequests(fetches[0]!.requests, minimum)}, ${IMPORT_CONCURRENCY} at a time, no retry, no limiter) + raw ${driver} upsert loop ${seconds(median(upsertMs))} (one transaction); medians of ${subject.length} alternated rounds`,
  };
}

async function measure({ quick, profile, log }: BenchOptions, withRatio: boolean): Promise<BenchResult> {
  const target = quick ? 10_000 : 100_000;
  const rounds = withRatio ? 5 : 1;
  log(`  seeding the emulator with ~${target} entities…`);
  const emulator = await startBenchEmulator(networkOf(target));
  const idle = await startChild('bench/servers/idle.ts');
  const notes: string[] = [];
  try {
    const entities = totalOf(await emulator.counts());
    const minimum = minimumOf(await emulator.importMinimum());
    const subject: ImportRun[] = [];
    const fetches: BareFetch[] = [];
    const baselineMs: number[] = [];
    const rowsFile = path.join(TMP, `rows-${process.pid}.db`);
    let written = 0;
    for (let round = 0; round < rounds; round++) {
      // Subject first: the baseline writes exactly the rows the first import wrote.
      const run = await importOnce(emulator, idle, round === 0 && withRatio ? rowsFile : undefined);
      if (run.status !== 'SUCCEEDED') throw new Error(`import ended ${run.status}`);
      subject.push(run);
      if (withRatio) {
        const fetched = await bareFetchLists(emulator.url, emulator.token, NETWORK);
        const raw = await rawOnce(rowsFile);
        fetches.push(fetched);
        baselineMs.push(raw.ms);
        written = raw.rows;
      }
      log(
        `  round ${round + 1}/${rounds}: import ${seconds(run.wallMs)}${withRatio ? `, bare fetch ${seconds(fetches.at(-1)!.ms)} + raw upsert ${seconds(baselineMs.at(-1)!)}` : ''}`,
      );
    }
    rmSync(rowsFile, { force: true });
    if (withRatio && written !== entities) notes.push(`note: the import wrote ${written} rows for ${entities} entities in the emulator`);
    const result: Row[] = [];
    if (withRatio) result.push(bareRatioRow(`import of ${entities} entities`, subject, fetches, baselineMs, minimum, 'better-sqlite3'));
    result.push(...eventLoopRows(entities, subject));
    if (quick && !profile) return { rows: result, notes };
    const profileSize = profile ? target : Math.min(target, 10_000);
    log(`  a profiled import of ~${profileSize} (not counted above)…`);
    const profiledEmulator = profileSize === target ? emulator : await startBenchEmulator(networkOf(profileSize));
    try {
      const run = await importOnce(profiledEmulator, idle, undefined, `import-${profileSize}`);
      notes.push(
        `Import of ~${profileSize} entities, no limit — where the time goes (${(run.wallMs / 1000).toFixed(1)} s under the profiler):`,
        ...(run.profile ?? []),
      );
    } finally {
      if (profiledEmulator !== emulator) await profiledEmulator.stop();
    }
    return { rows: result, notes };
  } finally {
    await idle.stop();
    await emulator.stop();
  }
}

/**
 * Items 2 and 6 on PostgreSQL: the same import into a fresh PostgreSQL
 * database each round, against the bare fetch plus a raw `pg` upsert loop of
 * the rows the first import wrote (prepared statements, one connection, one
 * transaction).
 * Smaller than the SQLite run (5,000 entities) to fit the 15-minute budget.
 */
async function measurePg({ quick, log }: BenchOptions): Promise<Row[]> {
  const size = quick ? 2_000 : 5_000;
  const rounds = 5;
  const unavailable = await pgUnavailable();
  if (unavailable)
    return [
      {
        item: '2',
        measure: `on PostgreSQL, import of ~${size} entities: wall ÷ (bare fetch + raw upsert)`,
        value: null,
        unit: '',
        target: { op: '<=', value: 4 },
        note: `not measured: ${unavailable}`,
      },
    ];
  log(`  PostgreSQL: seeding the emulator with ~${size} entities…`);
  const emulator = await startBenchEmulator(networkOf(size));
  try {
    const entities = totalOf(await emulator.counts());
    const minimum = minimumOf(await emulator.importMinimum());
    const subject: { wallMs: number; monitor: Monitored }[] = [];
    const fetches: BareFetch[] = [];
    const baselineMs: number[] = [];
    let rows: RowsByTable | undefined;
    for (let round = 0; round < rounds; round++) {
      const database = await freshPgDb('import');
      try {
        const app = await startBenchApp(
          { BROADSTREET_API_BASE_URL: emulator.url, BROADSTREET_API_TOKEN: emulator.token, BROADSTREET_RATE_LIMIT_RPS: '10000' },
          database,
        );
        try {
          const { value, monitor } = await monitored(() => app.sync({ networkId: NETWORK, direction: 'IMPORT' }));
          if (value.status !== 'SUCCEEDED') throw new Error(`import on PostgreSQL ended ${value.status}`);
          subject.push({ wallMs: value.wallMs, monitor });
        } finally {
          await app.stop();
        }
        rows ??= await readEntityRowsPg(database.url);
      } finally {
        await database.drop();
      }
      fetches.push(await bareFetchLists(emulator.url, emulator.token, NETWORK));
      const target = await freshPgDb('raw');
      try {
        baselineMs.push(await rawUpsertPg(target.url, rows));
      } finally {
        await target.drop();
      }
      log(
        `  PostgreSQL round ${round + 1}/${rounds}: import ${seconds(subject.at(-1)!.wallMs)}, bare fetch ${seconds(fetches.at(-1)!.ms)} + raw upsert ${seconds(baselineMs.at(-1)!)}`,
      );
    }
    const p99 = subject.map((r) => r.monitor.delayP99);
    return [
      bareRatioRow(
        `on PostgreSQL, import of ${entities} entities`,
        subject,
        fetches,
        baselineMs,
        minimum,
        `pg (one connection, ${rowCount(rows!)} rows)`,
      ),
      {
        item: '6',
        measure: `on PostgreSQL, event-loop delay p99 during an import of ${entities}`,
        value: median(p99),
        unit: 'ms',
        target: { op: '<=', value: 20 },
        note: `median of ${rounds} runs (each: p99 ${p99.map((v) => v.toFixed(0)).join(', ')} ms)`,
      },
    ];
  } finally {
    await emulator.stop();
    await dropPgTemplate();
  }
}

export const importWrite: Benchmark = {
  name: 'import-write',
  title:
    'Items 2 and 6 — an import vs a bare fetch + raw upsert of the same lists and rows; event-loop delay and memory while importing (SQLite, then PostgreSQL)',
  async run(options) {
    const result = await measure(options, true);
    result.rows.push(...(await measurePg(options)));
    return result;
  },
};

/** Item 6 alone: one monitored import (the full run measures it on item 2's imports). */
export const eventLoop: Benchmark = {
  name: 'event-loop',
  title: 'Item 6 — event-loop delay and memory during an import',
  run: (options) => measure(options, false),
};
