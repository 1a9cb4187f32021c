// The dashboard in headless Chromium against a server and the Broadstreet
// emulator in the demo's configuration (seed 42, network 85): an export
// started from the page, its live progress, an injected validation error,
// the run in the history, and "retry only the failed".
import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { db } from '../helpers/db.ts';
import { browserSkipReason, openDashboard, recordProgress, runStatusReads } from './browser.ts';
import { seedLocalWork } from './fixtures.ts';
import { NETWORK, useDashboardHarness } from './harness.ts';

const skip = browserSkipReason();
const SCREENSHOT = path.resolve('test-results/dashboard.png');

describe.skipIf(!!skip)('dashboard export', { timeout: 120_000 }, () => {
  const t = useDashboardHarness('small');

  it(
    'starts an export, shows progress to 100% and the validation error as it happens, then the run in ' +
      'history; a retry exports what failed',
    async () => {
      const work = await seedLocalWork(NETWORK);
      const dashboard = await openDashboard(t.browser, t.env.server.url, NETWORK);
      const { page } = dashboard;
      try {
        await page
          .getByTestId('local-total')
          .filter({ hasText: `(${work.total})` })
          .waitFor();
        const invalidRow = page.locator(`[data-testid="local-entity"][data-mongo-id="${work.invalid.mongoId}"]`);
        expect(await invalidRow.getByTestId('sync-badge').textContent()).toBe('LOCAL');
        expect(await invalidRow.textContent()).toContain(work.invalid.mongoId);

        // Slow Broadstreet down so that the run lasts a few seconds.
        t.env.emulator.config.latencyMs = 250;
        const progress = await recordProgress(page);
        await page.getByTestId('start-export').click();

        // The validation phase reports the empty name while the run is still going.
        const validation = page.getByTestId('run-errors').getByTestId('error-group-VALIDATION');
        await validation.waitFor();
        expect(await page.getByTestId('run-status').textContent()).toBe('RUNNING');
        expect(Number(await page.getByTestId('overall-progress').getAttribute('aria-valuenow'))).toBeLessThan(100);
        const validationItems = validation.getByTestId('error-item');
        expect(await validationItems.count()).toBe(1);
        expect(await validationItems.textContent()).toMatch(new RegExp(`Advertiser · ${work.invalid.mongoId}.*cannot be exported`));

        await waitMidSync(page);
        mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
        await page.screenshot({ path: SCREENSHOT, animations: 'disabled' });
        if (process.env.UPDATE_SCREENSHOTS === '1') copyFileSync(SCREENSHOT, path.resolve('docs/dashboard.png'));

        await runStatusReads(page, /^PARTIAL$/, 60_000);
        const title = (await page.getByTestId('run-title').textContent())!;
        const runNumber = title.match(/^Export #(\d+) of network 85$/)![1]!;
        const stored = await t.env.run(runNumber);
        expect(stored).toMatchObject({ status: 'PARTIAL', percentage: 100 });

        // The bar went up step by step and ended full; every phase is complete.
        const values = await progress();
        expect(values.at(-1)).toBe(100);
        expect(values.filter((v) => v > 0 && v < 100).length).toBeGreaterThanOrEqual(3);
        expect(values).toEqual([...values].sort((a, b) => a - b));
        expect(await page.getByTestId('overall-percentage').textContent()).toBe('100%');
        const phases = page.getByTestId('phases').locator('li');
        expect(await phases.evaluateAll((rows) => rows.map((r) => [r.getAttribute('data-testid'), r.getAttribute('data-state')]))).toEqual(
          ['VALIDATION', 'ADVERTISERS', 'ZONES', 'CAMPAIGNS', 'PLACEMENTS', 'CLEANUP'].map((p) => [`phase-${p}`, 'done']),
        );

        // Errors grouped by code, each naming its entity; nothing else went wrong.
        const groups = page.getByTestId('run-errors').locator('[data-code]');
        expect(await groups.evaluateAll((els) => els.map((e) => e.getAttribute('data-code')))).toEqual(['VALIDATION', 'DEPENDENCY']);
        expect(await page.getByTestId('run-errors').getByTestId('error-group-DEPENDENCY').textContent()).toContain(
          `Campaign · ${work.orphan.mongoId}`,
        );
        expect(await page.getByTestId('run-summary').textContent()).toBe(
          `PARTIAL: ${work.total - 2} created, 0 updated, 0 deleted, 0 unchanged, 0 conflicts, 1 failed, 1 skipped`,
        );

        // The history lists the run; its report opens with counts, items, errors and the event log.
        const row = page.getByTestId(`history-run-${runNumber}`);
        await row.filter({ hasText: 'PARTIAL' }).waitFor();
        await row.getByTestId('open-run').click();
        const detail = page.getByTestId('run-detail');
        await detail.waitFor();
        expect(await detail.getByTestId('detail-title').textContent()).toBe(`Export #${runNumber} of network 85`);
        expect(await detail.getByTestId('count-ADVERTISER').locator('td').allTextContents()).toEqual(['6', '0', '0', '0', '0', '1', '0']);
        const failedItem = detail.locator(`[data-testid="detail-item"]`, { hasText: work.invalid.mongoId });
        expect(await failedItem.getAttribute('data-outcome')).toBe('BLOCKED');
        expect(await detail.getByTestId('detail-errors').getByTestId('error-item').count()).toBe(2);
        const events = (
          await t.env.server.graphql<{ syncRun: { events: unknown[] } }>('query ($id: ID!) { syncRun(id: $id) { events { seq } } }', {
            id: runNumber,
          })
        ).data!.syncRun.events;
        expect(await detail.getByTestId('detail-event').count()).toBe(events.length);
        await detail.getByRole('button', { name: 'Close' }).click();

        // Fix the name, then retry only what failed: the advertiser and its campaign, nothing else.
        await db().advertiser.update({ where: { id: work.invalid.id }, data: { name: 'Fixed Name Ltd' } });
        t.env.emulator.config.latencyMs = 0;
        const createdBefore = { ...t.env.emulator.stats.created };
        await page.getByTestId('retry-run').click();
        await page
          .getByTestId('run-title')
          .filter({ hasText: `Export (retry of #${runNumber})` })
          .waitFor();
        await runStatusReads(page, /^SUCCEEDED$/, 30_000);
        expect(t.env.emulator.stats.created.advertiser - createdBefore.advertiser).toBe(1);
        expect(t.env.emulator.stats.created.campaign - createdBefore.campaign).toBe(1);
        expect(await db().advertiser.findUniqueOrThrow({ where: { id: work.invalid.id } })).toMatchObject({
          broadstreetId: expect.any(Number),
        });
        await page.getByTestId('local-empty').waitFor();
        dashboard.expectNoPageErrors();
      } finally {
        await dashboard.close();
      }
    },
  );
});

/** Waits until the run is in its middle: running, between the first phases and the end. */
async function waitMidSync(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const value = Number(document.querySelector('[data-testid="overall-progress"]')?.getAttribute('aria-valuenow'));
    const status = document.querySelector('[data-testid="run-status"]')?.textContent;
    return status === 'RUNNING' && value >= 30 && value <= 80;
  });
}
