// The dashboard against `npm run demo` itself (a real child process: the
// emulator and the server on a fresh SQLite file): import the demo network
// from the page, then export local entities — one of them invalid — and
// follow it to the end and into the history.
import { rmSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeTestDatabases, openTestDatabase } from '../helpers/db.ts';
import { freePort, spawnEntry, type Spawned } from '../helpers/process.ts';
import { browserSkipReason, launchBrowser, openDashboard } from './browser.ts';
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
    [, url] = (await demo.waitFor(/serving GraphQL at (http:\/\/\S+)\/graphql/, 60_000)) as [string, string];
    emulatorOrigin = `http://127.0.0.1:${emulatorPort}`;
  });
  afterAll(async () => {
    await closeTestDatabases();
    await browser?.close();
    if (demo) expect(await demo.kill()).toBe(0);
    for (const ext of ['', '-wal', '-shm']) rmSync(`${file}${ext}`, { force: true });
  });

  it('imports the demo network, then exports from the page: progress to 100%, the validation error, the run in history', async () => {
    const dashboard = await openDashboard(browser, url);
    const { page } = dashboard;
    try {
      // A fresh demo has no network yet: the page offers to import one by id.
      await page.getByTestId('network-select').locator('option', { hasText: 'No networks yet' }).waitFor({ state: 'attached' });
      expect(await page.getByTestId('start-export').isDisabled()).toBe(true);
      await page.getByLabel('Import a network by its Broadstreet id').fill('85');
      await page.getByRole('button', { name: 'Import network' }).click();
      await page
        .getByTestId('run-status')
        .filter({ hasText: /^SUCCEEDED$/ })
        .waitFor({ timeout: 90_000 });
      await page.getByTestId('network-select').locator('option', { hasText: 'Demo Network (#85)' }).waitFor({ state: 'attached' });
      await page.getByTestId('entities-advertisers').getByTestId('entity-row').first().waitFor();
      expect(new Set(await page.getByTestId('entities-advertisers').getByTestId('sync-badge').allTextContents())).toEqual(
        new Set(['SYNCED']),
      );

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
      await page.getByTestId('run-errors').getByTestId('error-group-VALIDATION').getByText(work.invalid.mongoId).waitFor();
      await page
        .getByTestId('run-status')
        .filter({ hasText: /^PARTIAL$/ })
        .waitFor({ timeout: 90_000 });
      expect(await page.getByTestId('overall-progress').getAttribute('aria-valuenow')).toBe('100');
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
