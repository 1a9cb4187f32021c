// Plan and apply in Chromium: a dry run's report is its plan, a table of
// planned changes with what they would create, update (field from → to) or
// delete and why something is blocked; "Apply this plan" executes exactly it,
// once, and the run panel follows it. An entity Broadstreet changed between
// the plan and the apply is skipped as CONFLICT.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { db } from '../helpers/db.ts';
import { localAdvertiser, localCampaign, networkRow } from '../helpers/local-entities.ts';
import { editRemote } from '../helpers/sync.ts';
import { browserSkipReason, openDashboard, runStatusReads } from './browser.ts';
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
      await runStatusReads(page, /^PARTIAL$/);
      // The summary speaks of planned work, never of work done. It is drawn from the run once read back after its
      // final event, a moment after the status: waited for, not read at once.
      const planned = /PARTIAL: 3 to create, 0 to update, 0 to delete, \d+ unchanged, 0 conflicts, 1 failed, 0 skipped/;
      await page.getByTestId('run-panel').filter({ hasText: planned }).waitFor({ timeout: 15_000 });
      expect(await page.getByTestId('run-panel').textContent()).toMatch(planned);
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
      await runStatusReads(page, /^SUCCEEDED$/);
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

  it('plans edits and deletes of synced entities field by field, applies them, and skips one Broadstreet changed since as CONFLICT', async () => {
    const network = await networkRow(NETWORK);
    const synced = await db().campaign.findMany({
      where: { networkId: network.id, broadstreetId: { not: null }, removedAt: null, changedAt: null, deletedAt: null },
      orderBy: { id: 'asc' },
    });
    const [edited, raced] = synced.filter((c) => c.conflict === null && c.weight !== 1.5);
    const placement = await db().placement.findFirstOrThrow({
      where: {
        networkId: network.id,
        syncedAt: { not: null },
        removedAt: null,
        deletedAt: null,
        campaignId: { notIn: [edited!.id, raced!.id] },
      },
      include: { campaign: true, advertisement: true, zone: true },
      orderBy: { id: 'asc' },
    });
    const triple = {
      campaignId: placement.campaign.broadstreetId!,
      advertisementId: placement.advertisement.broadstreetId!,
      zoneId: placement.zone.broadstreetId!,
    };
    const tripleKey = `${triple.campaignId}:${triple.advertisementId}:${triple.zoneId}`;
    const remoteKeys = () => [...t.env.emulator.store.placements.values()].map((p) => `${p.campaignId}:${p.advertisementId}:${p.zoneId}`);
    expect(remoteKeys()).toContain(tripleKey);
    const write = async (mutation: string, input: object) => {
      const result = await t.env.server.graphql(
        `mutation ($input: ${mutation[0]!.toUpperCase()}${mutation.slice(1)}Input!) { ${mutation}(input: $input) { __typename } }`,
        { input },
      );
      expect(result.data![mutation].__typename).toMatch(/Payload$/);
    };
    await write('updateCampaign', { campaign: { mongoId: edited!.mongoId }, weight: 1.5, paused: !edited!.paused });
    await write('updateCampaign', { campaign: { mongoId: raced!.mongoId }, name: 'Dash Raced Here' });
    await write('deletePlacement', { mongoId: placement.mongoId });
    const remoteEdited = { ...t.env.emulator.store.campaigns.get(edited!.broadstreetId!)! };

    const dashboard = await openDashboard(t.browser, t.env.server.url, NETWORK);
    const { page } = dashboard;
    try {
      await page.getByTestId('history-table').waitFor();
      await page.getByTestId('start-dry-run').click();
      await runStatusReads(page, /^SUCCEEDED$/);
      expect(await page.getByTestId('run-panel').textContent()).toMatch(/dry run finished: \d+ unchanged, 2 to update, 1 to delete/);
      await page.getByTestId('open-run-report').click();
      const detail = page.getByTestId('run-detail');
      await detail.getByTestId('detail-items').waitFor();
      const row = (mongoId: string) => detail.locator(`[data-testid="detail-item"][data-mongo-id="${mongoId}"]`);
      expect(await row(edited!.mongoId).getAttribute('data-outcome')).toBe('PLANNED_UPDATE');
      expect(await row(edited!.mongoId).locator('td').first().textContent()).toBe('Update');
      const changes = row(edited!.mongoId).getByTestId('plan-changes');
      expect(await changes.locator('[data-field="weight"]').textContent()).toBe(`weight: ${JSON.stringify(edited!.weight)} → 1.5`);
      expect(await changes.locator('[data-field="paused"]').textContent()).toBe(
        `paused: ${edited!.paused} → ${!edited!.paused} (not drift-checked)`,
      );
      expect(await changes.locator('div').count()).toBe(2);
      expect(await row(raced!.mongoId).locator('[data-field="name"]').textContent()).toBe(
        `name: ${JSON.stringify(raced!.name)} → "Dash Raced Here"`,
      );
      expect(await row(placement.mongoId).getAttribute('data-outcome')).toBe('PLANNED_DELETE');
      // A plan sends nothing.
      expect(t.env.emulator.store.campaigns.get(edited!.broadstreetId!)).toEqual(remoteEdited);
      expect(remoteKeys()).toContain(tripleKey);

      // Broadstreet changes one planned campaign before the apply (as a person in its UI would).
      await editRemote(t.env, 'PUT', `campaign/${raced!.broadstreetId}`, { name: 'Dash Raced There' });

      await detail.getByTestId('apply-plan').click();
      // The panel follows the apply run (until it does, it still shows the dry run, SUCCEEDED).
      await page
        .getByTestId('run-title')
        .filter({ hasText: /^Export #\d+ of network 85$/ })
        .waitFor();
      await runStatusReads(page, /^(SUCCEEDED|PARTIAL|FAILED|CANCELLED)$/);
      expect(await page.getByTestId('run-status').textContent()).toBe('PARTIAL');
      expect(t.env.emulator.store.campaigns.get(edited!.broadstreetId!)).toMatchObject({ weight: 1.5, paused: !edited!.paused });
      expect(remoteKeys()).not.toContain(tripleKey);
      expect(t.env.emulator.store.campaigns.get(raced!.broadstreetId!)!.name).toBe('Dash Raced There');
      expect(await db().campaign.findUniqueOrThrow({ where: { id: edited!.id } })).toMatchObject({ weight: 1.5, changedAt: null });
      expect(await db().placement.findUniqueOrThrow({ where: { id: placement.id } })).toMatchObject({ removedAt: expect.any(Date) });
      expect(await db().campaign.findUniqueOrThrow({ where: { id: raced!.id } })).toMatchObject({ name: 'Dash Raced Here' });

      await openReport(page);
      const applied = row(raced!.mongoId);
      expect(await applied.getAttribute('data-outcome')).toBe('CONFLICT');
      expect(await applied.locator('td').last().textContent()).toMatch(/changed since the plan/);
      expect(await row(edited!.mongoId).getAttribute('data-outcome')).toBe('UPDATED');
      expect(await row(placement.mongoId).getAttribute('data-outcome')).toBe('DELETED');
      dashboard.expectNoPageErrors();
    } finally {
      await dashboard.close();
    }
  });
});

/** Opens the report of the run the panel shows. */
async function openReport(page: Page) {
  await page.getByTestId('open-run-report').click();
  await page.getByTestId('run-detail').getByTestId('detail-items').waitFor();
}
