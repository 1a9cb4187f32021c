// The dashboard's other controls in Chromium: entities by type with
// LOCAL / SYNCED badges and the "local only" list, a dry run, reattaching to a
// running run after a reload, a second start refused while one runs, and cancel.
import { CANCEL_POLL_MS } from '../../src/sync/context.ts';
import { describe, expect, it } from 'vitest';
import { db } from '../helpers/db.ts';
import { localAdvertiser, localZone, networkRow } from '../helpers/local-entities.ts';
import { browserSkipReason, openDashboard, runStatusReads } from './browser.ts';
import { NETWORK, useDashboardHarness } from './harness.ts';

const skip = browserSkipReason();
const CANCEL_REQUESTED = 'query ($id: ID!) { syncRun(id: $id) { cancelRequested } }';

describe.skipIf(!!skip)('dashboard controls', { timeout: 120_000 }, () => {
  const t = useDashboardHarness('tiny');

  it('lists entities by type with LOCAL and SYNCED badges, filters them, and shows what an export would upload', async () => {
    const network = await networkRow(NETWORK);
    const local = await localAdvertiser(network.id, 'Local Only Co');
    const localZoneRow = await localZone(network.id, 'Local Zone');
    const synced = await db().advertiser.findFirstOrThrow({
      where: { networkId: network.id, broadstreetId: { not: null } },
      orderBy: { id: 'asc' },
    });
    const dashboard = await openDashboard(t.browser, t.env.server.url, NETWORK);
    const { page } = dashboard;
    try {
      const list = page.getByTestId('entities-advertisers');
      await list.waitFor();
      const totalAdvertisers = await db().advertiser.count({ where: { networkId: network.id } });
      expect(await list.locator('caption').textContent()).toBe(`Advertisers (${totalAdvertisers} of ${totalAdvertisers})`);
      const localRow = list.locator(`[data-mongo-id="${local.mongoId}"]`);
      expect(await localRow.locator('td').allTextContents()).toEqual(['Local Only Co', local.mongoId, '—', 'LOCAL', 'EditDelete']);
      const syncedRow = list.locator(`[data-mongo-id="${synced.mongoId}"]`);
      expect(await syncedRow.locator('td').allTextContents()).toEqual([
        synced.name,
        synced.mongoId,
        String(synced.broadstreetId),
        'SYNCED',
        'EditDelete',
      ]);

      await page.getByTestId('entity-state').selectOption('LOCAL');
      await list.locator('caption').filter({ hasText: '(1 of 1)' }).waitFor();
      expect(await list.getByTestId('entity-row').getAttribute('data-mongo-id')).toBe(local.mongoId);

      await page.getByTestId('entity-state').selectOption('ALL');
      await page.getByTestId('entity-type').selectOption('placements');
      const placements = page.getByTestId('entities-placements');
      await placements.waitFor();
      const placementCount = await db().placement.count({ where: { networkId: network.id } });
      expect(await placements.getByTestId('entity-row').count()).toBe(placementCount);
      expect(new Set(await placements.getByTestId('sync-badge').allTextContents())).toEqual(new Set(['SYNCED']));

      expect(await page.getByTestId('local-total').textContent()).toBe('(2)');
      expect(await page.getByTestId('local-advertisers').getByTestId('local-entity').getAttribute('data-mongo-id')).toBe(local.mongoId);
      expect(await page.getByTestId('local-zones').getByTestId('local-entity').getAttribute('data-mongo-id')).toBe(localZoneRow.mongoId);
      dashboard.expectNoPageErrors();
    } finally {
      await dashboard.close();
      await db().advertiser.delete({ where: { id: local.id } });
      await db().zone.delete({ where: { id: localZoneRow.id } });
    }
  });

  it('a dry run shows the validation phase alone and sends nothing', async () => {
    const network = await networkRow(NETWORK);
    const planned = await localAdvertiser(network.id, 'Dry Run Co');
    const dashboard = await openDashboard(t.browser, t.env.server.url, NETWORK);
    const { page } = dashboard;
    const createdBefore = { ...t.env.emulator.stats.created };
    try {
      await page.getByTestId('history-table').waitFor();
      await page.getByTestId('start-dry-run').click();
      await runStatusReads(page, /^SUCCEEDED$/);
      expect(
        await page
          .getByTestId('phases')
          .locator('li')
          .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-testid'))),
      ).toEqual(['phase-VALIDATION']);
      expect(await page.getByTestId('run-title').textContent()).toMatch(/^Dry run #\d+ of network 85$/);
      expect(await page.getByTestId('retry-run').isHidden()).toBe(true);
      expect(t.env.emulator.stats.created).toEqual(createdBefore);
      expect(await db().advertiser.findUniqueOrThrow({ where: { id: planned.id } })).toMatchObject({ broadstreetId: null });

      await page.getByTestId('open-run-report').click();
      const item = page.getByTestId('run-detail').locator('[data-testid="detail-item"]', { hasText: planned.mongoId });
      expect(await item.getAttribute('data-outcome')).toBe('PLANNED_CREATE');
      dashboard.expectNoPageErrors();
    } finally {
      await dashboard.close();
      await db().advertiser.delete({ where: { id: planned.id } });
    }
  });

  it('a reload reattaches to the running run; a second start shows that run; cancel stops it and keeps what was done', async () => {
    const network = await networkRow(NETWORK);
    const zones = [];
    for (let i = 1; i <= 40; i++) zones.push(await localZone(network.id, `Slow Zone ${i}`));
    // After the first two zone creates, the emulator holds the others until the cancel was requested, so the run
    // cannot end before the test cancels it however slow the machine (adaptive concurrency alone would race it).
    const { core } = t.env.emulator;
    const handle = core.handle.bind(core);
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    let zoneCreates = 0;
    core.handle = async (call) => {
      if (call.method.toUpperCase() === 'POST' && call.path.startsWith('/zones') && ++zoneCreates > 2) await held;
      return handle(call);
    };
    const dashboard = await openDashboard(t.browser, t.env.server.url, NETWORK);
    const { page } = dashboard;
    try {
      await page.getByTestId('history-table').waitFor();
      await page.getByTestId('start-export').click();
      await page.locator('[data-testid="phase-ZONES"][data-state="active"]').waitFor();
      const title = await page.getByTestId('run-title').textContent();
      const runNumber = title!.match(/#(\d+)/)![1]!;

      await page.reload();
      await page.getByTestId('run-title').filter({ hasText: title! }).waitFor();
      await page.locator('[data-testid="phase-ZONES"][data-state="active"]').waitFor();
      expect(await page.locator('[data-testid="phase-VALIDATION"]').getAttribute('data-state')).toBe('done');

      await page.getByTestId('start-export').click();
      await page.getByTestId('notice').filter({ hasText: `in progress` }).waitFor();
      expect(await page.getByTestId('notice').textContent()).toContain(`Showing run #${runNumber}`);

      await page.getByTestId('cancel-run').click();
      await expect
        .poll(async () => (await t.env.server.graphql(CANCEL_REQUESTED, { id: runNumber })).data?.syncRun?.cancelRequested)
        .toBe(true);
      // A run reads its cancel flag at most every CANCEL_POLL_MS: released sooner, the held creates' successors
      // could start on the last answer read before the cancel (on a fast host the reload and clicks take < 0.5 s).
      await new Promise((resolve) => setTimeout(resolve, CANCEL_POLL_MS + 100));
      release();
      // The run first (so that a failure says whether the run or the page fell behind), then the page.
      await expect
        .poll(async () => (await t.env.run(runNumber)).status, { timeout: 30_000 })
        .toMatch(/^(CANCELLED|SUCCEEDED|PARTIAL|FAILED)$/);
      expect((await t.env.run(runNumber)).status).toBe('CANCELLED');
      await runStatusReads(page, /^CANCELLED$/, 30_000);
      expect(await page.getByTestId('cancel-run').isHidden()).toBe(true);
      expect((await t.env.run(runNumber)).status).toBe('CANCELLED');
      await page.getByTestId(`history-run-${runNumber}`).filter({ hasText: 'CANCELLED' }).waitFor();
      const exported = await db().zone.count({ where: { id: { in: zones.map((z) => z.id) }, broadstreetId: { not: null } } });
      expect(exported).toBeGreaterThanOrEqual(2);
      expect(exported).toBeLessThan(zones.length);
      expect(exported).toBe(t.env.emulator.stats.created.zone);
      dashboard.expectNoPageErrors();
    } finally {
      release();
      core.handle = handle;
      await dashboard.close();
    }
  });
});
