// The dashboard against `npm run demo` itself (a real child process: the
// emulator and the server on a fresh SQLite file): the demo network is
// imported on its own (SYNC_IMPORT_ON_EMPTY), the status panel says so and
// manages a schedule; then an export of local entities — one of them
// invalid — is followed to the end, live in the status panel, and into the history.
import { rmSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeTestDatabases, openTestDatabase } from '../helpers/db.ts';
import { expectCleanExit, freePort, spawnEntry, type Spawned } from '../helpers/process.ts';
import { browserSkipReason, launchBrowser, openDashboard, runStatusReads } from './browser.ts';
import { seedLocalWork } from './fixtures.ts';

const skip = browserSkipReason();

describe.skipIf(!!skip)('dashboard on the demo', { timeout: 180_000 }, () => {
  let demo: Spawned;
  let browser: Browser;
  let url: string;
  let emulatorOrigin: string;
  let file: string;
  beforeAll(async () => {
    const [port, emulatorPort] = [await freePort(), await freePort()];
    file = path.resolve(`.tmp/test/demo-dashboard-${port}.db`);
    demo = spawnEntry('src/demo.ts', {
      PORT: String(port),
      EMULATOR_PORT: String(emulatorPort),
      DATABASE_URL: `file:${file}`,
      LOG_LEVEL: 'warn',
    });
    browser = await launchBrowser();
    [, url] = (await demo.waitFor(/serving GraphQL at (http:\/\/\S+)\/graphql/, 120_000)) as [string, string];
    emulatorOrigin = `http://127.0.0.1:${emulatorPort}`;
  });
  afterAll(async () => {
    await closeTestDatabases();
    await browser?.close();
    if (demo) await expectCleanExit(demo);
    for (const ext of ['', '-wal', '-shm']) rmSync(`${file}${ext}`, { force: true });
  });

  it('opens with the demo network imported, manages a schedule, then exports from the page: progress, the status, the history', async () => {
    const dashboard = await openDashboard(browser, url);
    const { page } = dashboard;
    try {
      // A fresh demo imported network 85 before it opened: no action needed.
      await page.getByTestId('network-select').locator('option', { hasText: 'Demo Network (#85)' }).waitFor({ state: 'attached' });
      expect(await page.getByTestId('network-select').inputValue()).toBe('85');
      await page.getByTestId('entities-advertisers').getByTestId('entity-row').first().waitFor();
      expect(new Set(await page.getByTestId('entities-advertisers').getByTestId('sync-badge').allTextContents())).toEqual(
        new Set(['SYNCED']),
      );
      const status = page.getByTestId('sync-summary');
      await status
        .getByTestId('summary-last-import')
        .filter({ hasText: /SUCCEEDED/ })
        .waitFor();
      expect(await status.getByTestId('summary-active-run').textContent()).toBe('none');

      // A schedule made, paused and deleted from the status panel; its next tick shown.
      await status.getByLabel('Every (ISO 8601) or cron').fill('PT4H');
      await status.getByRole('button', { name: 'Add schedule' }).click();
      const row = status.getByTestId('schedule-row');
      await row.getByTestId('schedule-cadence').filter({ hasText: 'every PT4H' }).waitFor();
      expect(await row.getByTestId('schedule-state').textContent()).toBe('active');
      expect(await row.getByTestId('schedule-next').textContent()).not.toBe('—');
      await row.getByRole('button', { name: 'Pause' }).click();
      await row.getByTestId('schedule-state').filter({ hasText: 'paused' }).waitFor();
      expect(await row.getByTestId('schedule-next').textContent()).toBe('—');
      await row.getByRole('button', { name: 'Delete' }).click();
      await status.getByTestId('no-schedules').waitFor();
      // A bad cadence is refused with its reason, nothing made.
      const cadence = status.getByLabel('Every (ISO 8601) or cron');
      await cadence.fill('PT15X');
      // What is typed survives the panel being shown again (a refresh, or a followed run's end).
      await status.locator('dl.summary').evaluate((dl) => dl.setAttribute('data-stale', ''));
      await page.getByRole('button', { name: 'Refresh' }).click();
      await status.locator('dl.summary:not([data-stale])').waitFor();
      expect(await cadence.inputValue()).toBe('PT15X');
      await status.getByRole('button', { name: 'Add schedule' }).click();
      await status
        .getByTestId('schedule-problem')
        .filter({ hasText: /ISO 8601 duration/ })
        .waitFor();
      expect(await status.getByTestId('schedule-row').count()).toBe(0);

      // Local work written into the demo's own database, and a slower Broadstreet.
      await openTestDatabase(`file:${file}`);
      const work = await seedLocalWork(85);
      const configured = await fetch(`${emulatorOrigin}/__emulator/config`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ latencyMs: 100 }),
      });
      expect(configured.status).toBe(200);
      await page.getByRole('button', { name: 'Refresh' }).click();
      await page
        .getByTestId('local-total')
        .filter({ hasText: `(${work.total})` })
        .waitFor();

      await page.getByTestId('start-export').click();
      // Live: the status panel shows the export running (pushed by syncSummaryChanged), then its end.
      await status
        .getByTestId('summary-active-run')
        .filter({ hasText: /RUNNING|QUEUED/ })
        .waitFor();
      await page.getByTestId('run-errors').getByTestId('error-group-VALIDATION').getByText(work.invalid.mongoId).waitFor();
      await runStatusReads(page, /^PARTIAL$/, 90_000);
      expect(await page.getByTestId('overall-progress').getAttribute('aria-valuenow')).toBe('100');
      await status
        .getByTestId('summary-last-export')
        .filter({ hasText: /PARTIAL/ })
        .waitFor();
      expect(await status.getByTestId('summary-active-run').textContent()).toBe('none');
      const runNumber = (await page.getByTestId('run-title').textContent())!.match(/^Export #(\d+)/)![1];

      await page.getByTestId(`history-run-${runNumber}`).getByTestId('open-run').click();
      const detail = page.getByTestId('run-detail');
      expect(await detail.getByTestId('detail-status').textContent()).toBe('PARTIAL');
      expect(await detail.locator('[data-testid="detail-item"][data-outcome="CREATED"]').count()).toBe(work.total - 2);
      dashboard.expectNoPageErrors();
    } finally {
      await dashboard.close();
    }
  });
});
