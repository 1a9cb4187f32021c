// The outage soak (issue 15): a 1,000-entity import and then a 1,000-entity
// export, each at a sustained 20% fault rate (5xx, resets,
// created-then-dropped, 429 with Retry-After), each with two outages of 20 s
// (the emulator really stopped: connections refused) in the middle. Both
// must end SUCCEEDED with every entity created exactly once and nothing left
// PARTIAL. Not a timed benchmark: it prints what it saw, and exits 1 if any
// check failed.
//
//   node scripts/run.mjs bench/soak.ts [--entities 1000] [--outage-ms 20000] [--rps 25]
import { startEmulator, type RunningEmulator } from '../src/emulator/index.ts';
import { findDuplicates } from '../src/emulator/stats.ts';
import { startBenchApp } from './lib/app.ts';
import { networkOf } from './lib/emulator.ts';
import { createLocalEntities } from './lib/local-entities.ts';

const NETWORK = 85;
const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const ENTITIES = arg('entities', 1000);
const OUTAGE_MS = arg('outage-ms', 20_000);
const RPS = arg('rps', 25);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Two outages while `running` is true: after `firstAfterMs`, and again `gapMs` after the first ends. */
async function outages(emulator: RunningEmulator, running: () => boolean, firstAfterMs: number, gapMs: number): Promise<number[]> {
  const at: number[] = [];
  let wait = firstAfterMs;
  for (let i = 0; i < 2; i++) {
    await sleep(wait);
    if (!running()) break;
    at.push(Date.now());
    await emulator.suspend();
    await sleep(OUTAGE_MS);
    await emulator.resume();
    wait = gapMs;
  }
  return at;
}

async function main(): Promise<void> {
  const emulator = await startEmulator({ ...networkOf(ENTITIES), seed: 15 });
  const app = await startBenchApp({
    BROADSTREET_API_BASE_URL: emulator.url,
    BROADSTREET_API_TOKEN: emulator.config.token,
    BROADSTREET_RATE_LIMIT_RPS: String(RPS),
    BROADSTREET_RETRY_BASE_MS: '100',
    BROADSTREET_PROBE_INTERVAL_MS: '2000',
  });
  const db = app.db;
  const problems: string[] = [];
  const report: Record<string, unknown> = { entities: ENTITIES, outageMs: OUTAGE_MS, rps: RPS };
  try {
    emulator.faults.setRate({ rate: 0.2, kinds: ['5xx', 'reset', 'created-then-dropped', '429'], retryAfter: 1 });
    for (const direction of ['IMPORT', 'EXPORT'] as const) {
      if (direction === 'EXPORT') {
        emulator.faults.setRate(null);
        report.local = await createLocalEntities(db, NETWORK, ENTITIES);
        emulator.faults.setRate({ rate: 0.2, kinds: ['5xx', 'reset', 'created-then-dropped', '429'], retryAfter: 1 });
      }
      const createdBefore = Object.values(emulator.stats.created).reduce((a, b) => a + b, 0);
      let running = true;
      const outage = outages(emulator, () => running, direction === 'IMPORT' ? 3_000 : 10_000, 5_000);
      const result = await app.sync({ networkId: NETWORK, direction });
      running = false;
      const outageStarts = await outage;
      const run = await db.syncRun.findUniqueOrThrow({ where: { id: result.runId } });
      const errors = await db.syncError.count({ where: { runId: run.id } });
      const events = await db.syncEvent.findMany({ where: { runId: run.id }, select: { message: true, warnings: true } });
      const waited = events.filter((e) => /^Broadstreet unreachable since .+; next probe at .+$/.test(e.message)).length;
      const created = Object.values(emulator.stats.created).reduce((a, b) => a + b, 0) - createdBefore;
      report[direction.toLowerCase()] = {
        status: run.status,
        wallS: Math.round(result.wallMs / 100) / 10,
        outages: outageStarts.length,
        breakerEvents: waited,
        secondPassNotes: events.filter((e) => e.message.startsWith('second pass:')).length,
        errors,
        counts: run.counts,
        createdInBroadstreet: created,
      };
      if (run.status !== 'SUCCEEDED') problems.push(`${direction} ended ${run.status}: ${run.failureReason ?? `${errors} errors`}`);
      if (outageStarts.length < 2) problems.push(`${direction} finished before both outages (${outageStarts.length})`);
    }
    report.faultsInjected = { ...emulator.faults.injected };
    const duplicates = findDuplicates(emulator.store).filter((d) => d.createdByApi > 0);
    report.duplicates = duplicates.length;
    if (duplicates.length) problems.push(`duplicates in the emulator: ${JSON.stringify(duplicates.slice(0, 5))}`);
    const unlinked =
      (await db.advertiser.count({ where: { createdLocally: true, broadstreetId: null } })) +
      (await db.zone.count({ where: { createdLocally: true, broadstreetId: null } })) +
      (await db.campaign.count({ where: { createdLocally: true, broadstreetId: null } })) +
      (await db.placement.count({ where: { createdLocally: true, syncedAt: null } }));
    report.unlinkedLocalRows = unlinked;
    if (unlinked) problems.push(`${unlinked} local rows not in Broadstreet`);
    const exported = report.export as { createdInBroadstreet: number } | undefined;
    const local = report.local as { total: number } | undefined;
    if (exported && local && exported.createdInBroadstreet !== local.total) {
      problems.push(`created ${exported.createdInBroadstreet} in Broadstreet for ${local.total} local entities`);
    }
  } finally {
    await app.stop();
    await emulator.stop();
  }
  report.problems = problems;
  console.log(JSON.stringify(report, null, 2));
  process.exitCode = problems.length ? 1 : 0;
}

await main();
