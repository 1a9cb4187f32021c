// The dashboard once a run ends: the Entities panel shows what the run
// brought without choosing the type again, and a SUCCEEDED run's phase bars
// are all full.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSyncEnv, type SyncEnv } from '../helpers/sync.ts';
import { browserSkipReason, launchBrowser, openDashboard, runStatusReads } from './browser.ts';
import { NETWORK } from './harness.ts';

const skip = browserSkipReason();

async function phaseBars(page: Page): Promise<Record<string, string | null>> {
  return page
    .getByTestId('phases')
    .locator('[role="progressbar"]')
    .evaluateAll((bars) => Object.fromEntries(bars.map((bar) => [bar.getAttribute('data-testid'), bar.getAttribute('aria-valuenow')])));
}

describe.skipIf(!!skip)('dashboard after a run', { timeout: 120_000 }, () => {
  let env: SyncEnv;
  let browser: Browser;
  beforeAll(async () => {
    [env, browser] = await Promise.all([startSyncEnv({ seed: 42, size: 'tiny' }), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await env?.stop();
  });

  it('refreshes the entity list when an import ends, and fills every phase bar of the SUCCEEDED run', async () => {
    // The zones list asked for before the import answers only after the import's
    // own refresh: a slow old answer must not blank the list again.
    let releaseFirstList = () => {};
    const firstListHeld = new Promise<void>((resolve) => (releaseFirstList = resolve));
    let listsAsked = 0;
    let firstListAnswered = false;
    const dashboard = await openDashboard(browser, env.server.url, NETWORK, async (page) => {
      await page.route('**/graphql', async (route) => {
        if (!/\bzones\(/.test(route.request().postData() ?? '') || listsAsked++ > 0) return route.continue();
        // Answered by the server now (no zones yet), handed to the page later.
        const response = await route.fetch();
        await firstListHeld;
        await route.fulfill({ response });
        firstListAnswered = true;
      });
      // The run's final event is lost on the way (the socket completes without it):
      // the page takes the end from the stored run.
      await page.routeWebSocket(/\/graphql$/, (ws) => {
        const server = ws.connectToServer();
        ws.onMessage((raw) => server.send(raw));
        server.onMessage((raw) => {
          const message = JSON.parse(String(raw)) as { type: string; payload?: any };
          if (message.type === 'next' && message.payload?.data?.syncProgress?.status === 'SUCCEEDED') return;
          ws.send(raw);
        });
      });
    });
    const { page } = dashboard;
    try {
      // Nothing imported yet: the page offers the import of network 85.
      await page
        .getByTestId('network-select')
        .locator('option', { hasText: `Network #${NETWORK} (not imported yet)` })
        .waitFor({ state: 'attached' });
      await page.getByTestId('entity-type').selectOption('zones');
      await expect.poll(() => listsAsked).toBe(1);

      env.emulator.config.latencyMs = 30;
      await page.getByTestId('start-import').click();
      await runStatusReads(page, /^SUCCEEDED$/, 60_000);
      // The zones the import brought appear by themselves…
      const zones = page.getByTestId('entity-list').getByTestId('entity-row');
      await zones.first().waitFor();
      const shown = Math.min(50, env.emulator.store.zonesOf(NETWORK).length);
      expect(await zones.count()).toBe(shown);
      // …and stay when the list asked for before the import finally answers (empty).
      releaseFirstList();
      await expect.poll(() => firstListAnswered).toBe(true);
      await page.waitForTimeout(500);
      expect(await zones.count()).toBe(shown);
      expect(await page.getByTestId('entity-type').inputValue()).toBe('zones');

      const bars = await phaseBars(page);
      expect(Object.keys(bars)).toEqual(
        ['NETWORKS', 'ADVERTISERS', 'ZONES', 'ADVERTISEMENTS', 'CAMPAIGNS', 'PLACEMENTS', 'CLEANUP'].map((p) => `phase-progress-${p}`),
      );
      expect(bars).toEqual(Object.fromEntries(Object.keys(bars).map((key) => [key, '100'])));
      expect(await page.getByTestId('overall-progress').getAttribute('aria-valuenow')).toBe('100');
      dashboard.expectNoPageErrors();
    } finally {
      releaseFirstList();
      env.emulator.config.latencyMs = 0;
      await dashboard.close();
    }
  });
});
