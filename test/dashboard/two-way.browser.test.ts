// Two-way sync in Chromium: editing and deleting entities (synced ones too,
// which then read CHANGED or disappear as DELETING), and the conflict view —
// base, local and Broadstreet's value per field — resolved either way.
import { describe, expect, it } from 'vitest';
import { db } from '../helpers/db.ts';
import { localAdvertiser, networkRow } from '../helpers/local-entities.ts';
import { browserSkipReason, openDashboard, rowOf, runStatusReads, showType } from './browser.ts';
import { NETWORK, useDashboardHarness } from './harness.ts';

const skip = browserSkipReason();

describe.skipIf(!!skip)('dashboard two-way sync', { timeout: 120_000 }, () => {
  const t = useDashboardHarness('tiny');

  it('edits a synced campaign (it reads CHANGED, Broadstreet untouched), deletes a local advertiser and a synced placement', async () => {
    const network = await networkRow(NETWORK);
    const campaign = await db().campaign.findFirstOrThrow({
      where: { networkId: network.id, broadstreetId: { not: null }, removedAt: null },
      orderBy: { id: 'asc' },
    });
    const placement = await db().placement.findFirstOrThrow({
      where: { networkId: network.id, syncedAt: { not: null } },
      orderBy: { id: 'asc' },
    });
    const local = await localAdvertiser(network.id, 'Dash Delete Me');
    const remoteBefore = { ...t.env.emulator.store.campaigns.get(campaign.broadstreetId!)! };
    const dashboard = await openDashboard(t.browser, t.env.server.url, NETWORK);
    const { page } = dashboard;
    page.on('dialog', (d) => void d.accept());
    try {
      await showType(page, 'campaigns');
      await rowOf(page, campaign.mongoId).getByTestId('edit-entity').click();
      const form = page.getByTestId('edit-form');
      expect(await form.getByTestId('edit-name').inputValue()).toBe(campaign.name);
      // A bad value is refused with the field's error, and nothing changes.
      await form.getByTestId('edit-weight').fill('-3');
      await form.getByTestId('edit-save').click();
      await form
        .getByTestId('edit-error')
        .filter({ hasText: /weight/ })
        .waitFor();
      expect((await db().campaign.findUniqueOrThrow({ where: { id: campaign.id } })).weight).toBe(campaign.weight);
      await form.getByTestId('edit-weight').fill('1.5');
      await form.getByTestId('edit-paused').check();
      await form.getByTestId('edit-save').click();
      await rowOf(page, campaign.mongoId).locator('[data-testid="sync-badge"][data-status="CHANGED"]').waitFor();
      expect(await rowOf(page, campaign.mongoId).getByTestId('sync-badge').getAttribute('title')).toMatch(/weight/);
      expect(await db().campaign.findUniqueOrThrow({ where: { id: campaign.id } })).toMatchObject({ weight: 1.5, paused: true });
      expect(t.env.emulator.store.campaigns.get(campaign.broadstreetId!)).toMatchObject({
        weight: remoteBefore.weight,
        paused: remoteBefore.paused,
      });

      await showType(page, 'advertisers');
      await rowOf(page, local.mongoId).getByTestId('delete-entity').click();
      await rowOf(page, local.mongoId).waitFor({ state: 'detached' });
      expect(await db().advertiser.findUnique({ where: { id: local.id } })).toBeNull();

      await showType(page, 'placements');
      await rowOf(page, placement.mongoId).getByTestId('delete-entity').click();
      await rowOf(page, placement.mongoId).waitFor({ state: 'detached' });
      expect(await db().placement.findUniqueOrThrow({ where: { id: placement.id } })).toMatchObject({
        deletedAt: expect.any(Date),
        removedAt: null,
      });
      dashboard.expectNoPageErrors();
    } finally {
      await dashboard.close();
      await db().advertiser.deleteMany({ where: { id: local.id } });
    }
  });

  it('shows a conflict with base, local and remote per field and resolves it either way', async () => {
    const network = await networkRow(NETWORK);
    const [kept, taken] = await db().campaign.findMany({
      where: { networkId: network.id, broadstreetId: { not: null }, removedAt: null, changedAt: null },
      orderBy: { id: 'desc' },
      take: 2,
    });
    for (const [row, name] of [
      [kept!, 'Dash Local Name'],
      [taken!, 'Dash Local Other'],
    ] as const) {
      const result = await t.env.server.graphql(
        `mutation ($input: UpdateCampaignInput!) { updateCampaign(input: $input) { __typename } }`,
        { input: { campaign: { mongoId: row.mongoId }, name } },
      );
      expect(result.data!.updateCampaign.__typename).toBe('UpdateCampaignPayload');
      t.env.emulator.store.campaigns.get(row.broadstreetId!)!.name = `${name} (Broadstreet)`;
    }
    const imported = await t.env.sync({ networkId: NETWORK, direction: 'IMPORT' });
    expect(imported.run.status).toBe('PARTIAL');
    const dashboard = await openDashboard(t.browser, t.env.server.url, NETWORK);
    const { page } = dashboard;
    try {
      await showType(page, 'campaigns');
      await page.getByTestId('entity-state').selectOption('CONFLICT');
      await rowOf(page, kept!.mongoId).locator('[data-testid="sync-badge"][data-status="CONFLICT"]').waitFor();

      await rowOf(page, kept!.mongoId).getByTestId('resolve-entity').click();
      const view = page.getByTestId('conflict-view');
      expect(await view.locator('tr[data-field="name"] > *').allTextContents()).toEqual([
        'name',
        kept!.name,
        'Dash Local Name',
        'Dash Local Name (Broadstreet)',
      ]);
      await view.getByTestId('keep-local').click();
      await rowOf(page, kept!.mongoId).waitFor({ state: 'detached' });
      const keptRow = await db().campaign.findUniqueOrThrow({ where: { id: kept!.id } });
      expect(keptRow).toMatchObject({ name: 'Dash Local Name', conflict: null, changedAt: expect.any(Date) });

      await rowOf(page, taken!.mongoId).getByTestId('resolve-entity').click();
      expect(await view.locator('tr[data-field="name"] > td').allTextContents()).toEqual([
        taken!.name,
        'Dash Local Other',
        'Dash Local Other (Broadstreet)',
      ]);
      await view.getByTestId('keep-remote').click();
      await rowOf(page, taken!.mongoId).waitFor({ state: 'detached' });
      expect(await db().campaign.findUniqueOrThrow({ where: { id: taken!.id } })).toMatchObject({
        name: 'Dash Local Other (Broadstreet)',
        conflict: null,
        changedAt: null,
      });

      await page.getByTestId('entity-state').selectOption('ALL');
      await rowOf(page, kept!.mongoId).locator('[data-testid="sync-badge"][data-status="CHANGED"]').waitFor();
      expect(await rowOf(page, taken!.mongoId).getByTestId('sync-badge').textContent()).toBe('SYNCED');
      // Broadstreet kept its side until an export: nothing was sent.
      expect(t.env.emulator.store.campaigns.get(kept!.broadstreetId!)!.name).toBe('Dash Local Name (Broadstreet)');

      // The next export, started from the page, pushes the side kept here and leaves the one taken from Broadstreet.
      await page.getByTestId('start-export').click();
      await runStatusReads(page, /^SUCCEEDED$/);
      expect(t.env.emulator.store.campaigns.get(kept!.broadstreetId!)!.name).toBe('Dash Local Name');
      expect(t.env.emulator.store.campaigns.get(taken!.broadstreetId!)!.name).toBe('Dash Local Other (Broadstreet)');
      expect(await db().campaign.findUniqueOrThrow({ where: { id: kept!.id } })).toMatchObject({ changedAt: null, conflict: null });
      await rowOf(page, kept!.mongoId).locator('[data-testid="sync-badge"][data-status="SYNCED"]').waitFor();
      dashboard.expectNoPageErrors();
    } finally {
      await dashboard.close();
    }
  });
});
