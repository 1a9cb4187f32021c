// Plan and apply in Chromium: a dry run's report is its plan, a table of
// planned changes with what they would create and why something is blocked;
// "Apply this plan" executes exactly it, once, and the run panel follows it.
import { describe, expect, it } from 'vitest';
import { db } from '../helpers/db.ts';
import { localAdvertiser, localCampaign, networkRow } from '../helpers/local-entities.ts';
import { browserSkipReason, openDashboard } from './browser.ts';
import { NETWORK, useDashboardHarness } from './harness.ts';

const skip = browserSkipReason();

describe.skipIf(!!skip)('dashboard plan and apply', { timeout: 120_000 }, () => {
  const t = useDashboardHarness('tiny');

  it('shows a dry run as a table of planned changes and applies exactly that plan, once', async () => {
    const network = await networkRow(NETWORK);
    const taken = t.env.emulator.store.advertisersOf(NETWORK)[0]!.name;
    const advertiser = await localAdvertiser(network.id, 'Dash Plan Co');
    const campaign = await localCampaign(network.id, advertiser.id, 'Dash Plan Campaign');
    const twin = await localAdvertiser(network.id, taken);
    const backwards = await localCampaign(network.id, advertiser.id, 'Dash Backwards', { startDate: '2027-05-01', endDate: '2027-04-01' });
    const dashboard = await openDashboard(t.browser, t.env.server.url, NETWORK);
    const { page } = dashboard;
    const createdBefore = { ...t.env.emulator.stats.created };
    try {
      await page.getByTestId('history-table').waitFor();
      await page.getByTestId('start-dry-run').click();
      await page
        .getByTestId('run-status')
        .filter({ hasText: /^PARTIAL$/ })
        .waitFor();
      // The summary speaks of planned work, never of work done.
      const summary = await page.getByTestId('run-panel').textContent();
      expect(summary).toMatch(/PARTIAL: 3 to create, 0 to update, 0 to delete, \d+ unchanged, 0 conflicts, 1 failed, 0 skipped/);
      expect(t.env.emulator.stats.created).toEqual(createdBefore);

      await page.getByTestId('open-run-report').click();
      const detail = page.getByTestId('run-detail');
      await detail.getByTestId('detail-items').waitFor();
      expect(await detail.getByTestId('detail-items').locator('caption').textContent()).toMatch(/^Plan: what would change, per entity/);
      expect(await detail.getByTestId('detail-counts').locator('thead th').allTextContents()).toEqual([
        'Type',
        'To create',
        'To update',
        'To delete',
        'Unchanged',
        'Conflicts',
        'Failed',
        'Skipped',
      ]);
      const row = (mongoId: string) => detail.locator(`[data-testid="detail-item"][data-mongo-id="${mongoId}"]`);
      expect(await row(advertiser.mongoId).locator('td').allTextContents()).toEqual([
        'Create',
        'Advertiser',
        'Dash Plan Co',
        advertiser.mongoId,
        '',
        '—',
        '',
      ]);
      expect(await row(campaign.mongoId).getAttribute('data-outcome')).toBe('PLANNED_CREATE');
      expect(await row(twin.mongoId).locator('td').nth(2).textContent()).toBe(`${taken} → ${taken} (1)`);
      expect(await row(backwards.mongoId).getAttribute('data-outcome')).toBe('BLOCKED');
      expect(await row(backwards.mongoId).locator('td').last().textContent()).toMatch(/endDate/);
      const planTitle = await detail.getByTestId('detail-title').textContent();
      const planNumber = /#(\d+)/.exec(planTitle!)![1];

      await detail.getByTestId('apply-plan').click();
      await page
        .getByTestId('run-title')
        .filter({ hasText: /^Export #\d+ of network 85$/ })
        .waitFor();
      await page
        .getByTestId('run-status')
        .filter({ hasText: /^SUCCEEDED$/ })
        .waitFor();
      const stored = await db().advertiser.findUniqueOrThrow({ where: { id: advertiser.id } });
      expect(stored.broadstreetId).not.toBeNull();
      expect(t.env.emulator.store.campaignsOf(stored.broadstreetId!).map((c) => c.name)).toEqual(['Dash Plan Campaign']);
      expect((await db().advertiser.findUniqueOrThrow({ where: { id: twin.id } })).name).toBe(`${taken} (1)`);
      expect(await db().campaign.findUniqueOrThrow({ where: { id: backwards.id } })).toMatchObject({ broadstreetId: null });
      expect(t.env.emulator.stats.created.advertiser - createdBefore.advertiser).toBe(2);
      expect(t.env.emulator.stats.created.campaign - createdBefore.campaign).toBe(1);

      // Applied once: the plan says by which run, and offers no second apply.
      await page.getByTestId(`history-run-${planNumber}`).getByTestId('open-run').click();
      await detail.getByTestId('plan-applied').waitFor();
      expect(await detail.getByTestId('plan-applied').textContent()).toMatch(/^This plan was applied by run #\d+ \(SUCCEEDED\)/);
      expect(await detail.getByTestId('apply-plan').count()).toBe(0);
      dashboard.expectNoPageErrors();
    } finally {
      await dashboard.close();
      await db().campaign.deleteMany({ where: { id: { in: [campaign.id, backwards.id] } } });
      await db().advertiser.deleteMany({ where: { id: { in: [advertiser.id, twin.id] } } });
    }
  });
});
