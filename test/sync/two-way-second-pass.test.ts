// The end-of-phase second pass for two-way writes (issue 16; DESIGN.md §3,
// invariant 7): a PUT, a DELETE or a placement re-create whose transient
// failure (here 503s and 429s) outlasts the per-call retry budget is tried once more at
// the end of its phase, as a create is. Succeeding there, the run is
// SUCCEEDED and Broadstreet has the change; failing again, the run is PARTIAL
// with the error. A parent's delete waits for a child's delete that went to
// the second pass. The sync core runs over services passed in: a test
// database, an in-memory pub/sub and a client of the emulator with at most
// two attempts a call, which logs every request it sends.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BroadstreetClient, CircuitBreaker, createRateLimiter } from '../../src/broadstreet/index.ts';
import type { EntityType } from '../../src/domain/enums.ts';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.ts';
import { createLogger } from '../../src/logger.ts';
import { createMemoryPubSub } from '../../src/pubsub.ts';
import { systemClock } from '../../src/sync/clock.ts';
import { deletingData, syncedEditData } from '../../src/sync/edits.ts';
import { RunEngine } from '../../src/sync/engine.ts';
import { ProgressFeeds } from '../../src/sync/progress-stream.ts';
import { RunStore } from '../../src/sync/run-store.ts';
import { startSync, type StartSyncInput } from '../../src/sync/run.service.ts';
import type { Services } from '../../src/sync/services.ts';
import { closeTestDatabases, db, openTestDatabase } from '../helpers/db.ts';
import { createTestDatabase, databaseSkipReason, TEST_PROVIDER, type TestDatabase } from '../helpers/database.ts';

const skip = databaseSkipReason();
if (skip) console.warn(`skipped: ${skip}`);
const NETWORK = 85;
/** Attempts per call: a fault scripted for this many requests outlasts one call's budget. */
const ATTEMPTS = 2;

describe.skipIf(!!skip)(`two-way writes get the end-of-phase second pass (${TEST_PROVIDER})`, () => {
  let database: TestDatabase;
  let emulator: RunningEmulator;
  let services: Services;
  /** Every request the client sent: "METHOD /path?query". */
  const sent: string[] = [];

  const sync = async (input: Omit<StartSyncInput, 'networkId'>) => {
    const queued = await startSync(services, { networkId: NETWORK, ...input });
    sent.length = 0;
    expect(await new RunEngine(services).execute(queued.id, { signal: new AbortController().signal })).toBe('finished');
    const run = await db().syncRun.findUniqueOrThrow({ where: { id: queued.id } });
    const errors = await db().syncError.findMany({ where: { runId: run.id }, orderBy: { id: 'asc' } });
    const items = await db().syncItem.findMany({ where: { runId: run.id } });
    const events = await db().syncEvent.findMany({ where: { runId: run.id }, orderBy: { seq: 'asc' } });
    const warnings = events.flatMap((e) => e.warnings as string[]);
    const item = (mongoId: string) => items.find((i) => i.mongoId === mongoId);
    return { run, errors, item, warnings };
  };
  const exportOf = (entityTypes: EntityType[]) => sync({ direction: 'EXPORT', entityTypes });

  /** A synced campaign not used by an earlier test, with its placements. */
  const used = new Set<number>();
  const pickCampaign = async (placements = 0) => {
    const rows = await db().campaign.findMany({
      where: { network: { broadstreetId: NETWORK }, broadstreetId: { not: null }, removedAt: null, deletedAt: null },
      include: { placements: { orderBy: { id: 'asc' }, include: { advertisement: true, zone: true } } },
      orderBy: { id: 'asc' },
    });
    const row = rows.find((c) => !used.has(c.id) && c.placements.length >= placements)!;
    expect(row).toBeDefined();
    used.add(row.id);
    return row;
  };
  const editCampaign = async (id: number, changes: Record<string, unknown>) => {
    const row = await db().campaign.findUniqueOrThrow({ where: { id } });
    await db().campaign.update({ where: { id }, data: syncedEditData('CAMPAIGN', row, changes) as never });
  };
  const editRestrictions = async (id: number, restrictions: string[]) => {
    const row = await db().placement.findUniqueOrThrow({ where: { id } });
    await db().placement.update({ where: { id }, data: syncedEditData('PLACEMENT', row, { restrictions }) as never });
  };
  const markDeleting = async (type: 'CAMPAIGN' | 'PLACEMENT', id: number) => {
    if (type === 'CAMPAIGN') {
      const row = await db().campaign.findUniqueOrThrow({ where: { id } });
      await db().campaign.update({ where: { id }, data: deletingData(type, row) as never });
    } else {
      const row = await db().placement.findUniqueOrThrow({ where: { id } });
      await db().placement.update({ where: { id }, data: deletingData(type, row) as never });
    }
  };
  /** The emulator's placements of a triple. */
  const tripleIn = (p: {
    campaign: { broadstreetId: number | null };
    advertisement: { broadstreetId: number | null };
    zone: { broadstreetId: number | null };
  }) =>
    emulator.store
      .placementsOf(p.campaign.broadstreetId!)
      .filter((x) => x.advertisementId === p.advertisement.broadstreetId && x.zoneId === p.zone.broadstreetId);
  const placementOf = (id: number) =>
    db().placement.findUniqueOrThrow({ where: { id }, include: { campaign: true, advertisement: true, zone: true } });
  /**
   * Every attempt of `passes` calls to endpoint fails: 503 for PUT and DELETE (retried as NETWORK); 429 for POST
   * (a 5xx there may have created, so the create looks Broadstreet up and tries again, not a transient failure).
   */
  const outage = (endpoint: string, passes: number) =>
    emulator.faults.script(
      endpoint.startsWith('POST ')
        ? { kind: '429', retryAfter: 0, endpoint, count: ATTEMPTS * passes }
        : { kind: '5xx', status: 503, endpoint, count: ATTEMPTS * passes },
    );

  beforeAll(async () => {
    database = await createTestDatabase();
    const dbh = await openTestDatabase(database.url);
    emulator = await startEmulator({ size: 'small' });
    const logger = createLogger('silent');
    const pubsub = createMemoryPubSub();
    const broadstreet = new BroadstreetClient({
      baseUrl: emulator.url,
      token: emulator.config.token,
      limiter: createRateLimiter({ rps: 1000 }),
      maxAttempts: ATTEMPTS,
      retry: { baseDelayMs: 1, maxDelayMs: 5 },
      logger,
      fetch: ((input: string | URL | Request, init?: RequestInit) => {
        const url = new URL(input instanceof Request ? input.url : String(input));
        const path = url.pathname.slice(new URL(emulator.url).pathname.length);
        sent.push(`${(init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase()} ${path}${url.search}`);
        return fetch(input, init);
      }) as typeof fetch,
    });
    services = {
      db: dbh,
      pubsub,
      runs: new RunStore({ db: dbh, clock: systemClock }),
      // Runs are executed by the test itself (RunEngine.execute).
      executor: { submit: async () => {}, start: async () => {}, stop: async () => {} },
      broadstreet,
      logger,
      clock: systemClock,
      feeds: new ProgressFeeds({ db: dbh, pubsub, logger }),
      concurrency: 1,
    };
    const imported = await sync({ direction: 'IMPORT' });
    expect(imported.run.status).toBe('SUCCEEDED');
  }, 60_000);
  afterAll(async () => {
    await closeTestDatabases();
    await database?.drop();
    await emulator?.stop();
  });

  describe('PUT', () => {
    it('a PUT failing past its call budget succeeds in the second pass: SUCCEEDED, Broadstreet has the change', async () => {
      const row = await pickCampaign();
      await editCampaign(row.id, { weight: 1.75, endDate: '2031-05-31' });
      outage('PUT /campaigns/{id}', 1);
      const { run, errors, item, warnings } = await exportOf(['CAMPAIGN']);
      expect(errors).toEqual([]);
      expect(run.status).toBe('SUCCEEDED');
      expect(sent.filter((s) => s.startsWith(`PUT /campaigns/${row.broadstreetId}`))).toHaveLength(ATTEMPTS + 1);
      expect(emulator.store.campaigns.get(row.broadstreetId!)).toMatchObject({ weight: 1.75, endDate: '2031-05-31' });
      expect(item(row.mongoId)).toMatchObject({ outcome: 'UPDATED' });
      expect(await db().campaign.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({ changedAt: null, weight: 1.75 });
      expect(warnings).toContainEqual(
        expect.stringMatching(/updating campaign .* in Broadstreet: .*; tried again at the end of the phase/),
      );
    });

    it('a PUT failing in the second pass too: PARTIAL with the NETWORK error; the row stays CHANGED and the next export pushes it', async () => {
      const row = await pickCampaign();
      const before = emulator.store.campaigns.get(row.broadstreetId!)!.weight;
      await editCampaign(row.id, { weight: 2.25 });
      outage('PUT /campaigns/{id}', 2);
      const { run, errors, item } = await exportOf(['CAMPAIGN']);
      expect(run.status).toBe('PARTIAL');
      expect(errors).toEqual([
        expect.objectContaining({
          code: 'NETWORK',
          mongoId: row.mongoId,
          retryable: true,
          attempt: ATTEMPTS,
          message: expect.stringMatching(/updating campaign .* in Broadstreet/),
        }),
      ]);
      expect(sent.filter((s) => s.startsWith(`PUT /campaigns/${row.broadstreetId}`))).toHaveLength(2 * ATTEMPTS);
      expect(item(row.mongoId)).toMatchObject({ outcome: 'FAILED' });
      expect(emulator.store.campaigns.get(row.broadstreetId!)!.weight).toBe(before);
      expect((await db().campaign.findUniqueOrThrow({ where: { id: row.id } })).changedAt).not.toBeNull();

      const next = await exportOf(['CAMPAIGN']);
      expect(next.run.status).toBe('SUCCEEDED');
      expect(emulator.store.campaigns.get(row.broadstreetId!)!.weight).toBe(2.25);
    });

    it('applyPlan: a PUT applied whose answers were lost is not taken for a change since the plan in the second pass', async () => {
      const row = await pickCampaign();
      await editCampaign(row.id, { weight: 3.5 });
      const plan = await sync({ direction: 'EXPORT', entityTypes: ['CAMPAIGN'], dryRun: true });
      expect(plan.run.status).toBe('SUCCEEDED');
      expect(plan.item(row.mongoId)).toMatchObject({ outcome: 'PLANNED_UPDATE' });
      // Broadstreet acts on each PUT and the connection drops before its answer, past the call's budget.
      emulator.faults.script({ kind: 'created-then-dropped', endpoint: 'PUT /campaigns/{id}', count: ATTEMPTS });
      const { run, errors, item } = await sync({ direction: 'EXPORT', applyPlan: plan.run.id });
      expect(errors).toEqual([]);
      expect(run.status).toBe('SUCCEEDED');
      expect(item(row.mongoId)).toMatchObject({ outcome: 'UNCHANGED' });
      expect(emulator.store.campaigns.get(row.broadstreetId!)!.weight).toBe(3.5);
      expect((await db().campaign.findUniqueOrThrow({ where: { id: row.id } })).changedAt).toBeNull();
    });
  });

  describe('placement re-create', () => {
    it('a re-create whose create fails past its budget after the delete went through: the second pass creates the triple', async () => {
      const campaign = await pickCampaign(1);
      const p = await placementOf(campaign.placements[0]!.id);
      await editRestrictions(p.id, ['tablet', 'desktop']);
      outage('POST /placements', 1);
      const { run, errors, item, warnings } = await exportOf(['PLACEMENT']);
      expect(errors).toEqual([]);
      expect(run.status).toBe('SUCCEEDED');
      expect(sent.filter((s) => s.startsWith('DELETE /placements'))).toHaveLength(1);
      expect(sent.filter((s) => s.startsWith('POST /placements'))).toHaveLength(ATTEMPTS + 1);
      expect(tripleIn(p)).toEqual([expect.objectContaining({ restrictions: ['tablet', 'desktop'] })]);
      expect(item(p.mongoId)).toMatchObject({ outcome: 'UPDATED' });
      expect(await db().placement.findUniqueOrThrow({ where: { id: p.id } })).toMatchObject({ changedAt: null, intentRunId: null });
      expect(warnings).toContainEqual(
        expect.stringMatching(/re-creating placement .* with new restrictions: .*; tried again at the end of the phase/),
      );
    });

    it('a re-create whose delete fails past its budget: the second pass deletes and creates it', async () => {
      const campaign = await pickCampaign(1);
      const p = await placementOf(campaign.placements[0]!.id);
      await editRestrictions(p.id, ['mobile']);
      outage('DELETE /placements', 1);
      const { run, errors } = await exportOf(['PLACEMENT']);
      expect(errors).toEqual([]);
      expect(run.status).toBe('SUCCEEDED');
      expect(sent.filter((s) => s.startsWith('DELETE /placements'))).toHaveLength(ATTEMPTS + 1);
      expect(sent.filter((s) => s.startsWith('POST /placements'))).toHaveLength(1);
      expect(tripleIn(p)).toEqual([expect.objectContaining({ restrictions: ['mobile'] })]);
    });

    it('a re-create failing in the second pass too: PARTIAL with the error; the intent stays, and the next export creates it', async () => {
      const campaign = await pickCampaign(1);
      const p = await placementOf(campaign.placements[0]!.id);
      await editRestrictions(p.id, ['desktop']);
      outage('POST /placements', 2);
      const { run, errors, item } = await exportOf(['PLACEMENT']);
      expect(run.status).toBe('PARTIAL');
      expect(errors).toEqual([
        expect.objectContaining({
          code: 'RATE_LIMIT',
          mongoId: p.mongoId,
          retryable: true,
          message: expect.stringMatching(/re-creating placement .* with new restrictions/),
        }),
      ]);
      expect(item(p.mongoId)).toMatchObject({ outcome: 'FAILED' });
      // Deleted in the first pass, never created: the intent says so, so no import or export takes it for a remote deletion.
      expect(tripleIn(p)).toEqual([]);
      expect(await db().placement.findUniqueOrThrow({ where: { id: p.id } })).toMatchObject({
        intentRunId: run.id,
        changedAt: expect.any(Date),
        removedAt: null,
      });

      const next = await exportOf(['PLACEMENT']);
      expect(next.run.status).toBe('SUCCEEDED');
      expect(tripleIn(p)).toEqual([expect.objectContaining({ restrictions: ['desktop'] })]);
      expect(await db().placement.findUniqueOrThrow({ where: { id: p.id } })).toMatchObject({ intentRunId: null, changedAt: null });
    });
  });

  describe('DELETE', () => {
    /** Marks a synced campaign's placements and then the campaign itself DELETING (children first, as delete… requires). */
    const deleteCampaignAndPlacements = async (campaign: Awaited<ReturnType<typeof pickCampaign>>) => {
      for (const p of campaign.placements) await markDeleting('PLACEMENT', p.id);
      await markDeleting('CAMPAIGN', campaign.id);
    };

    it("a child's DELETE failing past its budget goes to the second pass, and its parent's DELETE waits for it there", async () => {
      const campaign = await pickCampaign(1);
      await deleteCampaignAndPlacements(campaign);
      const first = campaign.placements[0]!;
      // The first placement's delete fails both attempts of the first pass.
      outage('DELETE /placements', 1);
      const { run, errors, item, warnings } = await exportOf(['CAMPAIGN', 'PLACEMENT']);
      expect(errors).toEqual([]);
      expect(run.status).toBe('SUCCEEDED');
      expect(emulator.store.campaigns.has(campaign.broadstreetId!)).toBe(false);
      expect(emulator.store.placementsOf(campaign.broadstreetId!)).toEqual([]);
      for (const p of campaign.placements) expect(item(p.mongoId)).toMatchObject({ outcome: 'DELETED' });
      expect(item(campaign.mongoId)).toMatchObject({ outcome: 'DELETED' });
      // The campaign's delete went out once, after the deferred placement's successful one (the last DELETE /placements).
      const deletes = sent.filter((s) => s.startsWith('DELETE '));
      expect(deletes.filter((s) => s.startsWith(`DELETE /campaigns/${campaign.broadstreetId}?`))).toHaveLength(1);
      expect(deletes.at(-1)).toMatch(new RegExp(`^DELETE /campaigns/${campaign.broadstreetId}\\?`));
      expect(deletes.at(-2)).toMatch(/^DELETE \/placements\?/);
      const query = new URLSearchParams(deletes.at(-2)!.split('?')[1]);
      expect([query.get('campaign_id'), query.get('advertisement_id'), query.get('zone_id')]).toEqual(
        [campaign, first.advertisement, first.zone].map((r) => String(r.broadstreetId)),
      );
      expect(deletes.filter((s) => s.startsWith('DELETE /placements'))).toHaveLength(campaign.placements.length + ATTEMPTS);
      expect(warnings).toContainEqual(
        expect.stringMatching(/campaign .* waits for its children's deletes, tried again at the end of the phase/),
      );
      for (const p of campaign.placements) {
        expect((await db().placement.findUniqueOrThrow({ where: { id: p.id } })).removedAt).not.toBeNull();
      }
      expect((await db().campaign.findUniqueOrThrow({ where: { id: campaign.id } })).removedAt).not.toBeNull();
    });

    it('a DELETE failing in the second pass too: PARTIAL with the error, its parent not deleted (DEPENDENCY); the next export deletes both', async () => {
      const campaign = await pickCampaign(1);
      // The scripted faults meet the next DELETE /placements requests: one placement is left to delete, so they are all its.
      const [first, ...others] = campaign.placements;
      for (const p of others) await markDeleting('PLACEMENT', p.id);
      expect((await exportOf(['PLACEMENT'])).run.status).toBe('SUCCEEDED');
      await deleteCampaignAndPlacements({ ...campaign, placements: [first!] });
      outage('DELETE /placements', 2);
      const { run, errors, item } = await exportOf(['CAMPAIGN', 'PLACEMENT']);
      expect(run.status).toBe('PARTIAL');
      expect(errors).toEqual([
        expect.objectContaining({
          code: 'NETWORK',
          mongoId: first!.mongoId,
          retryable: true,
          attempt: ATTEMPTS,
          message: expect.stringMatching(/deleting placement .* in Broadstreet/),
        }),
        expect.objectContaining({
          code: 'DEPENDENCY',
          mongoId: campaign.mongoId,
          retryable: true,
          message: expect.stringMatching(/not deleted: 1 of its placement\(s\) are not deleted in Broadstreet yet/),
        }),
      ]);
      expect(item(first!.mongoId)).toMatchObject({ outcome: 'FAILED' });
      expect(item(campaign.mongoId)).toMatchObject({ outcome: 'SKIPPED' });
      expect(sent.filter((s) => s.startsWith('DELETE /campaigns'))).toEqual([]);
      expect(emulator.store.campaigns.has(campaign.broadstreetId!)).toBe(true);
      expect(tripleIn(await placementOf(first!.id))).toHaveLength(1);
      expect(await db().placement.findUniqueOrThrow({ where: { id: first!.id } })).toMatchObject({
        removedAt: null,
        deletedAt: expect.any(Date),
      });

      const next = await exportOf(['CAMPAIGN', 'PLACEMENT']);
      expect(next.run.status).toBe('SUCCEEDED');
      expect(emulator.store.campaigns.has(campaign.broadstreetId!)).toBe(false);
      expect((await db().campaign.findUniqueOrThrow({ where: { id: campaign.id } })).removedAt).not.toBeNull();
    });

    it('a DELETE alone failing past its budget succeeds in the second pass', async () => {
      const campaign = await pickCampaign(1);
      const p = await placementOf(campaign.placements[0]!.id);
      await markDeleting('PLACEMENT', p.id);
      outage('DELETE /placements', 1);
      const { run, errors, item } = await exportOf(['PLACEMENT']);
      expect(errors).toEqual([]);
      expect(run.status).toBe('SUCCEEDED');
      expect(item(p.mongoId)).toMatchObject({ outcome: 'DELETED' });
      expect(tripleIn(p)).toEqual([]);
      expect(emulator.store.campaigns.has(campaign.broadstreetId!)).toBe(true);
    });
  });

  it('past the outage budget, the updates and deletes the export had not finished are in its errors, and retryOf completes them', async () => {
    const edited = await pickCampaign();
    await editCampaign(edited.id, { weight: 4.5 });
    const doomed = await placementOf((await pickCampaign(1)).placements[0]!.id);
    await markDeleting('PLACEMENT', doomed.id);
    const reliable = services.broadstreet;
    // Every PUT's connection is reset: the breaker opens at once, and the held call fails after 300 ms.
    const breaker = new CircuitBreaker({ threshold: 1, probeIntervalMs: 50, outageBudgetMs: 300 });
    services.broadstreet = new BroadstreetClient({
      baseUrl: emulator.url,
      token: emulator.config.token,
      limiter: createRateLimiter({ rps: 1000 }),
      retry: { baseDelayMs: 1, maxDelayMs: 5 },
      logger: createLogger('silent'),
      breaker,
    });
    emulator.faults.script({ kind: 'reset', endpoint: 'PUT /campaigns/{id}', count: 1000 });
    try {
      const { run, errors } = await exportOf(['CAMPAIGN', 'PLACEMENT']);
      expect(run.status).toBe('FAILED');
      expect(run.failureReason).toMatch(/^Broadstreet unreachable since \S+Z, longer than the outage budget/);
      const unfinished = (mongoId: string) => errors.find((e) => e.mongoId === mongoId);
      expect(unfinished(edited.mongoId)).toMatchObject({
        code: 'NETWORK',
        retryable: true,
        message: expect.stringMatching(/not exported: Broadstreet unreachable/),
      });
      expect(unfinished(doomed.mongoId)).toMatchObject({
        code: 'NETWORK',
        retryable: true,
        message: expect.stringMatching(/not exported: Broadstreet unreachable/),
      });
      expect(tripleIn(doomed)).toHaveLength(1);
      emulator.faults.clear();
      services.broadstreet = reliable;
      const retry = await sync({ direction: 'EXPORT', retryOf: run.id });
      expect(retry.run.status).toBe('SUCCEEDED');
      expect(emulator.store.campaigns.get(edited.broadstreetId!)!.weight).toBe(4.5);
      expect(tripleIn(doomed)).toEqual([]);
    } finally {
      emulator.faults.clear();
      services.broadstreet = reliable;
      await breaker.dispose();
    }
  });
});
