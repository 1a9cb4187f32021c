// Runs outlast outages (issue 15): a short outage costs no entity, a sustained
// fault rate ends SUCCEEDED, and while Broadstreet is unreachable the run waits
// behind the circuit breaker, saying so, then resumes — or fails after the
// outage budget, saying why, and a retryOf run completes it. The emulator is
// really stopped (connections refused), over real sockets.
import { afterEach, describe, expect, it } from 'vitest';
import { db } from '../helpers/db.ts';
import { findDuplicates } from '../../src/emulator/stats.ts';
import { metricsText } from '../../src/observability/metrics.ts';
import { databaseSkipReason } from '../helpers/database.ts';
import { localAdvertiser, localCampaign, localZone, networkRow } from '../helpers/local-entities.ts';
import { countsByType, startSyncEnv, type ProgressEventResult, type SyncEnv } from '../helpers/sync.ts';

const skip = databaseSkipReason();
const NETWORK = 85;
/** Broadstreet requests of this process that got no answer (refused, reset, timed out), from the metrics. */
async function unanswered(): Promise<number> {
  const text = await metricsText();
  return [
    ...text.matchAll(/^broadsync_broadstreet_request_duration_seconds_count\{[^}]*status="(?:error|timeout)"[^}]*\} (\d+)$/gm),
  ].reduce((n, m) => n + Number(m[1]), 0);
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(!!skip)('outages', () => {
  let env: SyncEnv | undefined;
  afterEach(async () => {
    await env?.stop();
    env = undefined;
  });

  async function importedEnv(server: Record<string, string>, emulator = {}) {
    env = await startSyncEnv({ size: 'tiny', ...emulator }, server);
    expect((await env.sync({ networkId: NETWORK, direction: 'IMPORT' })).run.status).toBe('SUCCEEDED');
    return env;
  }

  /** n advertisers, each with a campaign, and n zones: 3n local entities. */
  async function localWork(prefix: string, n: number): Promise<number> {
    const network = await networkRow(NETWORK);
    for (let i = 0; i < n; i++) {
      const advertiser = await localAdvertiser(network.id, `${prefix} Advertiser ${i}`);
      await localCampaign(network.id, advertiser.id, `${prefix} Campaign ${i}`);
      await localZone(network.id, `${prefix} Zone ${i}`);
    }
    return 3 * n;
  }

  const created = (e: SyncEnv) => Object.values(e.emulator.stats.created).reduce((a, b) => a + b, 0);

  async function startExport(e: SyncEnv, input: Record<string, unknown> = {}) {
    const started = await e.startSync({ networkId: NETWORK, direction: 'EXPORT', ...input });
    if (started.__typename !== 'StartSyncPayload') throw new Error(JSON.stringify(started));
    return { id: started.run.id as string, events: e.follow(started.run.id) };
  }

  async function expectEverythingOnce(e: SyncEnv, prefix: string, n: number): Promise<void> {
    expect(findDuplicates(e.emulator.store).filter((d) => d.createdByApi > 0)).toEqual([]);
    const network = await networkRow(NETWORK);
    const rows = await db().advertiser.findMany({ where: { networkId: network.id, name: { startsWith: prefix } } });
    expect(rows).toHaveLength(n);
    // Every local row is linked to the Broadstreet entity of its own name.
    for (const row of rows) expect(e.emulator.store.advertisers.get(row.broadstreetId!)?.name).toBe(row.name);
    expect(await db().campaign.count({ where: { networkId: network.id, name: { startsWith: prefix }, broadstreetId: null } })).toBe(0);
    expect(await db().zone.count({ where: { networkId: network.id, name: { startsWith: prefix }, broadstreetId: null } })).toBe(0);
  }

  it('the emulator stopped for 1.5 s mid-export, longer than the old 5 attempts take: no entity lost', async () => {
    // The breaker is kept out of this one (threshold 1000): the time budget alone carries the calls through.
    const e = await importedEnv({
      BROADSTREET_RETRY_BASE_MS: '50',
      BROADSTREET_BREAKER_THRESHOLD: '1000',
      BROADSTREET_RATE_LIMIT_RPS: '100',
    });
    const total = await localWork('Short', 20);
    const before = created(e);
    const unansweredBefore = await unanswered();
    const { id, events } = await startExport(e);
    while (created(e) - before < 6) await sleep(10);
    await e.emulator.suspend();
    await sleep(1_500);
    await e.emulator.resume();
    const all = await events;
    const run = await e.run(id);
    expect(run.status).toBe('SUCCEEDED');
    expect(run.errors).toEqual([]);
    expect(created(e) - before).toBe(total);
    expect(countsByType(run)).toMatchObject({ ADVERTISER: { created: 20, failed: 0 }, ZONE: { created: 20 }, CAMPAIGN: { created: 20 } });
    // The calls did fail meanwhile (requests that got no answer), and were retried, not lost.
    expect((await unanswered()) - unansweredBefore).toBeGreaterThan(5);
    expect(all.at(-1)!.status).toBe('SUCCEEDED');
    await expectEverythingOnce(e, 'Short', 20);
  }, 60_000);

  it('a sustained 20% fault rate (5xx, resets, created-then-dropped, 429 with Retry-After) over 300 ' +
    'entities ends SUCCEEDED, each created once', async () => {
    const e = await importedEnv({ BROADSTREET_RETRY_BASE_MS: '5', BROADSTREET_PROBE_INTERVAL_MS: '200' });
    const total = await localWork('Flaky', 100);
    const before = created(e);
    e.emulator.faults.setRate({ rate: 0.2, kinds: ['5xx', 'reset', 'created-then-dropped', '429'], retryAfter: 1 });
    const { id, events } = await startExport(e, { dryRun: false });
    await events;
    e.emulator.faults.setRate(null);
    const run = await e.run(id);
    expect(run.status).toBe('SUCCEEDED');
    expect(run.errors).toEqual([]);
    expect(countsByType(run)).toMatchObject({
      ADVERTISER: { created: 100, failed: 0, skipped: 0 },
      ZONE: { created: 100, failed: 0 },
      CAMPAIGN: { created: 100, failed: 0, skipped: 0 },
    });
    expect(created(e) - before).toBe(total);
    const injected = e.emulator.faults.injected;
    expect(injected['created-then-dropped']).toBeGreaterThan(0);
    expect(injected['429']).toBeGreaterThan(0);
    await expectEverythingOnce(e, 'Flaky', 100);
  }, 120_000);

  const BREAKER = {
    BROADSTREET_RETRY_BASE_MS: '20',
    BROADSTREET_BREAKER_THRESHOLD: '3',
    BROADSTREET_PROBE_INTERVAL_MS: '2000',
    BROADSTREET_RATE_LIMIT_RPS: '50',
  };

  const waitLine = /^Broadstreet unreachable since (\S+Z); next probe at (\S+Z)$/;

  it("Broadstreet unreachable for 30 s mid-export (the issue's figure): the run says since when and the next probe, waits, " +
    'resumes, SUCCEEDED, nothing twice', async () => {
    const e = await importedEnv({ ...BREAKER, BROADSTREET_OUTAGE_BUDGET_MS: '60000' });
    const total = await localWork('Outage', 15);
    const before = created(e);
    const { id, events } = await startExport(e);
    while (created(e) - before < 5) await sleep(10);
    const down = Date.now();
    await e.emulator.suspend();
    await sleep(30_000);
    await e.emulator.resume();
    const all: ProgressEventResult[] = await events;
    const run = await e.run(id);
    expect(run.status).toBe('SUCCEEDED');
    expect(run.errors).toEqual([]);
    expect(created(e) - before).toBe(total);
    const waits = all.map((ev) => waitLine.exec(ev.message)).filter((m) => m !== null);
    expect(waits.length).toBeGreaterThanOrEqual(2);
    const since = Date.parse(waits[0]![1]!);
    expect(since).toBeGreaterThanOrEqual(down - 50);
    expect(since).toBeLessThan(down + 30_000);
    // Several probes, an interval apart, all during the outage.
    const probes = [...new Set(waits.map((m) => Date.parse(m[2]!)))];
    expect(probes.length).toBeGreaterThanOrEqual(2);
    expect(all.some((ev) => ev.warnings.some((w) => /calls wait instead of spending their attempts/.test(w)))).toBe(true);
    expect(all.some((ev) => ev.warnings.some((w) => /^Broadstreet reachable again after [\d.]+ s; resuming$/.test(w)))).toBe(true);
    await expectEverythingOnce(e, 'Outage', 15);
  }, 120_000);

  it('with an outage budget of 10 s the same outage fails the run, saying Broadstreet was unreachable; a ' +
    'retryOf run completes it', async () => {
    const e = await importedEnv({ ...BREAKER, BROADSTREET_OUTAGE_BUDGET_MS: '10000' });
    const total = await localWork('Budget', 15);
    const before = created(e);
    const { id, events } = await startExport(e);
    while (created(e) - before < 5) await sleep(10);
    await e.emulator.suspend();
    const all = await events;
    const failed = await e.run(id);
    await e.emulator.resume();
    expect(failed.status).toBe('FAILED');
    expect(failed.failureReason).toMatch(/^Broadstreet unreachable since \S+Z, longer than the outage budget of 10 s/);
    expect(all.at(-1)!.message).toMatch(/^failed: Broadstreet unreachable since/);
    expect(all.some((ev) => waitLine.test(ev.message))).toBe(true);
    // What it did not finish is named, retryable, for the retry.
    const unfinished = failed.errors.filter((err: { code: string; mongoId: string | null }) => err.code === 'NETWORK' && err.mongoId);
    expect(unfinished.length).toBeGreaterThan(0);
    expect(unfinished.every((err: { retryable: boolean }) => err.retryable)).toBe(true);

    // A new run must not meet the old outage: the first probe finds Broadstreet back.
    const retry = await e.sync({ networkId: NETWORK, direction: 'EXPORT', retryOf: id });
    expect(retry.run.status).toBe('SUCCEEDED');
    expect(created(e) - before).toBe(total);
    await expectEverythingOnce(e, 'Budget', 15);
  }, 120_000);
});
