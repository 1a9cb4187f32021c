// Smoke test of the benchmark harness (not a timed test): the helpers compute
// what they claim, and two benchmarks run end to end in a minimal size and
// report well-formed numbers.
import { describe, expect, it } from 'vitest';
import { excessByEndpoint, importRequestsRow } from '../../bench/import-requests.ts';
import { queryCount } from '../../bench/query-count.ts';
import { bareFetchLists } from '../../bench/lib/bare-fetch.ts';
import { freshDb } from '../../bench/lib/db.ts';
import { minimumOf, NETWORK, networkOf, startBenchEmulator } from '../../bench/lib/emulator.ts';
import { rawUpsert, rowCount } from '../../bench/lib/raw-upsert.ts';
import { formatValue } from '../../bench/lib/report.ts';
import { summarise } from '../../bench/lib/profile.ts';
import { alternate, median, percentile } from '../../bench/lib/stats.ts';
import { verdict, type Row } from '../../bench/lib/types.ts';
import { measureReadLoad } from '../../bench/read-load.ts';
import { runScenario } from '../../bench/sync-floor.ts';
import { floorRow, minimumRequests } from '../../bench/sync-latency.ts';

const row = (value: number | null, op: '<=' | '>=' | '==', target: number): Row => ({
  item: '1',
  measure: 'm',
  value,
  unit: '',
  target: { op, value: target },
  note: '',
});

describe('benchmark helpers', () => {
  it('medians, percentiles and alternation', async () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 95)).toBe(10);
    expect(Number.isNaN(median([]))).toBe(true);
    const order: string[] = [];
    await alternate(
      2,
      async (i) => order.push(`b${i}`),
      async (i) => order.push(`s${i}`),
    );
    expect(order).toEqual(['b0', 's0', 'b1', 's1']);
  });

  it('marks misses, and never a figure it could not measure', () => {
    expect(verdict(row(1.06, '<=', 1.05))).toBe('MISSED');
    expect(verdict(row(1.04, '<=', 1.05))).toBe('ok');
    expect(verdict(row(0.3, '>=', 0.25))).toBe('ok');
    expect(verdict(row(0, '==', 0))).toBe('ok');
    expect(verdict(row(null, '>=', 0.5))).toBe('');
    expect(formatValue(row(null, '>=', 0.5))).toBe('not measurable');
  });

  it('summarises a CPU profile by area, attributing native frames to their caller', () => {
    const frame = (functionName: string, url: string) => ({ functionName, url, lineNumber: 0 });
    const summary = summarise(
      {
        nodes: [
          { id: 1, callFrame: frame('(root)', ''), children: [2, 4] },
          { id: 2, callFrame: frame('performIO', 'file:///x/node_modules/@prisma/adapter-better-sqlite3/dist/index.mjs'), children: [3] },
          { id: 3, callFrame: frame('all', '') },
          { id: 4, callFrame: frame('(idle)', '') },
        ],
        samples: [3, 3, 3, 4],
        timeDeltas: [1000, 1000, 1000, 1000],
        startTime: 0,
        endTime: 4000,
      },
      'x.cpuprofile',
    );
    expect(summary.areas[0]).toMatchObject({ area: 'SQLite (better-sqlite3 native)', share: 0.75 });
    expect(summary.totalMs).toBe(4);
  });

  it('the raw upsert baseline writes the rows, and upserts them again', async () => {
    const database = await freshDb('smoke');
    const now = new Date().toISOString();
    const rows = new Map([
      ['Network', [{ id: 1, mongoId: 'a'.repeat(24), broadstreetId: 85, name: 'N', createdAt: now, updatedAt: now }]],
      [
        'Zone',
        [{ id: 1, mongoId: 'b'.repeat(24), broadstreetId: 7, networkId: 1, name: 'Z', selfServe: 0, createdAt: now, updatedAt: now }],
      ],
    ]) as never;
    expect(rowCount(rows)).toBe(2);
    expect(rawUpsert(database.file, rows)).toBeGreaterThan(0);
    expect(rawUpsert(database.file, rows)).toBeGreaterThan(0);
    database.drop();
  });
});

describe('benchmarks in a minimal size', () => {
  it('statements per query (item 4): equal at 10 and 1,000 placements', { timeout: 60_000 }, async () => {
    const result = await queryCount.run({ quick: true, profile: false, log: () => {} });
    const [small, large, diff] = result.rows;
    expect(small!.value).toBeGreaterThan(0);
    expect(large!.value).toBe(small!.value);
    expect(verdict(diff!)).toBe('ok');
  });

  it('an unlimited import (item 1) reports entities, requests and a wall time', { timeout: 60_000 }, async () => {
    const outcome = await runScenario({ direction: 'IMPORT', entities: 200, rps: null }, false);
    expect(outcome.status).toBe('SUCCEEDED');
    expect(outcome.entities).toBeGreaterThan(150);
    expect(outcome.requests).toBeGreaterThan(10);
    expect(outcome.wallMs).toBeGreaterThan(0);
  });

  it('an import with emulator latency (sync-latency) pays it on every dependent list', { timeout: 60_000 }, async () => {
    const latencyMs = 500;
    const rps = 50;
    const outcome = await runScenario({ direction: 'IMPORT', entities: 60, rps, latencyMs }, false);
    expect(outcome.status).toBe('SUCCEEDED');
    const minimum = minimumRequests('IMPORT', outcome);
    // The minimum is counted in the emulator's store: one campaign list per advertiser, one placement list per campaign.
    expect(outcome.importMinimum.byEndpoint['GET /campaigns']).toBeGreaterThan(1);
    expect(minimum).toBe(minimumOf(outcome.importMinimum));
    expect(outcome.requests).toBe(Object.values(outcome.byEndpoint).reduce((a, b) => a + b, 0));
    expect(outcome.requests).toBeGreaterThanOrEqual(minimum);
    // Network or advertisers, then campaigns, then placements: at least three round trips one after another.
    expect(outcome.wallMs).toBeGreaterThanOrEqual(3 * latencyMs);
    const row = floorRow({ scenario: { direction: 'IMPORT', entities: 60, rps, latencyMs }, target: 1.05, label: 'tiny' }, [outcome]);
    expect(row.value).toBeCloseTo(outcome.wallMs / 1000 / (minimum / rps), 6);
    expect(row.note).toContain(`${outcome.requests} requests (minimum ${minimum}`);
  });

  it("an export's minimum (sync-latency) is its creates and the two network-wide name lists, and the export makes exactly that", {
    timeout: 60_000,
  }, async () => {
    const outcome = await runScenario({ direction: 'EXPORT', entities: 30, rps: null }, false);
    expect(outcome.status).toBe('SUCCEEDED');
    expect(outcome.nameLists).toBe(2);
    const minimum = minimumRequests('EXPORT', outcome);
    expect(minimum).toBe(outcome.entities + 2);
    expect(outcome.byEndpoint).toMatchObject({ 'GET /advertisers': 1, 'GET /zones': 1 });
    expect(outcome.requests).toBe(minimum);
    const row = floorRow({ scenario: { direction: 'EXPORT', entities: 30, rps: 10_000 }, target: 1.05, label: 'tiny' }, [outcome]);
    expect(row.note).toContain(`(minimum ${minimum}, ×1.00)`);
    expect(row.note).toContain('against the creates alone');
  });

  it('import requests (import-requests): requests beyond the allowance, by endpoint, add up to the figure', {
    timeout: 60_000,
  }, async () => {
    const outcome = await runScenario({ direction: 'IMPORT', entities: 60, rps: null }, false);
    expect(outcome.status).toBe('SUCCEEDED');
    const row = importRequestsRow('a tiny network', outcome);
    const excess = excessByEndpoint(outcome).reduce((n, [, e]) => n + e, 0);
    expect(row.value).toBe(outcome.requests - minimumOf(outcome.importMinimum) - outcome.importMinimum.sharedAdvertisers);
    expect(excess).toBe(row.value);
    expect(row.target).toEqual({ op: '<=', value: 0 });
  });

  it('the bare fetch (import-write baseline) makes exactly the minimum requests, as the emulator counts them', {
    timeout: 60_000,
  }, async () => {
    const emulator = await startBenchEmulator(networkOf(200));
    try {
      const minimum = await emulator.importMinimum();
      await emulator.clearStats();
      const fetched = await bareFetchLists(emulator.url, emulator.token, NETWORK);
      const stats = await emulator.stats();
      expect(fetched.ms).toBeGreaterThan(0);
      expect(fetched.requests).toBe(stats.requests.total);
      expect(stats.requests.byEndpoint).toEqual(minimum.byEndpoint);
    } finally {
      await emulator.stop();
    }
  });

  it('an import under read load (issue 18) reports a wall ratio, query latencies and failures', { timeout: 90_000 }, async () => {
    const outcome = await measureReadLoad({ entities: 100, rounds: 1, clients: 3 });
    expect(outcome.entities).toBeGreaterThan(50);
    expect(outcome.unloadedMs).toHaveLength(1);
    expect(outcome.loadedMs[0]).toBeGreaterThan(0);
    expect(outcome.ratio).toBeGreaterThan(0);
    expect(outcome.ok + outcome.notYet).toBeGreaterThan(0);
    expect(outcome.p99).toBeGreaterThan(0);
    expect(outcome.max).toBeGreaterThanOrEqual(outcome.p99);
    expect(outcome.errors).toBe(0);
  });
});
