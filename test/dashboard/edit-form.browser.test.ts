// The edit forms in Chromium with every field Broadstreet takes on PUT: a
// synced campaign's display type, pacing, impression max (and its type) and
// paused edited through the form, refused values shown under their fields,
// then exported from the page — the emulator's records (its inspection API)
// and the local row hold the new values, and a later import finds nothing
// changed. Also: what the zone and advertiser forms cannot change and why,
// and a plan of updates shown field by field and applied.
import { describe, expect, it } from 'vitest';
import { db } from '../helpers/db.ts';
import { networkRow } from '../helpers/local-entities.ts';
import { browserSkipReason, openDashboard, rowOf, runStatusReads, showType } from './browser.ts';
import { NETWORK, useDashboardHarness } from './harness.ts';

const skip = browserSkipReason();

interface EmulatorCampaign {
  id: number;
  name: string;
  weight: number;
  displayType: string | null;
  pacingType: string | null;
  impressionMaxType: string | null;
  maxImpressionCount: number | null;
  paused: boolean;
  archived: boolean;
  notes: string | null;
}

describe.skipIf(!!skip)('dashboard edit forms', { timeout: 120_000 }, () => {
  const t = useDashboardHarness('tiny');

  /** A campaign as Broadstreet (the emulator) holds it, read through its inspection API. */
  async function remoteCampaign(id: number): Promise<EmulatorCampaign> {
    const response = await fetch(`${t.env.emulator.origin}/__emulator/data?network_id=${NETWORK}`);
    expect(response.status).toBe(200);
    const data = (await response.json()) as { campaigns: EmulatorCampaign[] };
    const found = data.campaigns.find((c) => c.id === id);
    expect(found, `campaign ${id} in the emulator`).toBeDefined();
    return found!;
  }

  async function syncedCampaigns() {
    const network = await networkRow(NETWORK);
    const rows = await db().campaign.findMany({
      where: { networkId: network.id, broadstreetId: { not: null }, removedAt: null, changedAt: null },
      orderBy: { id: 'asc' },
    });
    return rows.filter((row) => row.conflict === null);
  }

  it('edits display type, pacing, impression max and its type, and paused of a synced campaign; an export pushes them', async () => {
    // One whose write-only fields (which imports cannot read) are the same on both sides, so the export must carry each change.
    let campaign: Awaited<ReturnType<typeof syncedCampaigns>>[number] | undefined;
    let before: EmulatorCampaign | undefined;
    for (const row of await syncedCampaigns()) {
      before = await remoteCampaign(row.broadstreetId!);
      if (before.paused === row.paused && before.pacingType === row.pacingType && before.impressionMaxType === row.impressionMaxType) {
        campaign = row;
        break;
      }
    }
    expect(campaign).toBeDefined();
    // New values that differ from both sides, so the export has something to carry for each.
    const pacing = campaign!.pacingType === 'even' ? 'asap' : 'even';
    const display = [before!.displayType, campaign!.displayType].includes('allow_repeat_campaign')
      ? 'force_repeat_campaign'
      : 'allow_repeat_campaign';
    const maxType = campaign!.impressionMaxType === 'goal' ? 'cap' : 'goal';
    const paused = !campaign!.paused;
    const dashboard = await openDashboard(t.browser, t.env.server.url, NETWORK);
    const { page } = dashboard;
    const mutations: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST' && /UpdateCampaign/.test(request.postData() ?? '')) mutations.push(request.postData()!);
    });
    try {
      await showType(page, 'campaigns');
      await rowOf(page, campaign!.mongoId).getByTestId('edit-entity').click();
      const form = page.getByTestId('edit-form');
      // Enums are selects of exactly the schema's values, plus "not set" (null).
      expect(
        await form
          .getByTestId('edit-displayType')
          .locator('option')
          .evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value)),
      ).toEqual(['', 'ALLOW_REPEAT_ADVERTISEMENT', 'ALLOW_REPEAT_CAMPAIGN', 'FORCE_REPEAT_CAMPAIGN', 'NO_REPEAT']);
      expect(
        await form
          .getByTestId('edit-pacingType')
          .locator('option')
          .evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value)),
      ).toEqual(['', 'ASAP', 'EVEN']);
      expect(await form.getByTestId('edit-pacingType').inputValue()).toBe(campaign!.pacingType?.toUpperCase() ?? '');
      expect(await form.getByTestId('edit-paused').isChecked()).toBe(campaign!.paused);
      // Fields Broadstreet never returns say so.
      expect(await form.locator('[data-field="pacingType"] .hint').textContent()).toMatch(/never returns it/);
      expect(await form.locator('[data-field="displayType"] .hint').count()).toBe(0);

      // A fraction in a whole-number field is refused under it before anything is sent.
      await form.getByTestId('edit-maxImpressionCount').fill('2.5');
      await form.getByTestId('edit-save').click();
      await form.getByTestId('field-error-maxImpressionCount').filter({ hasText: 'must be a whole number' }).waitFor();
      expect(mutations).toEqual([]);
      // A value the API refuses: its field error shows under the field, which is marked invalid; nothing is written.
      await form.getByTestId('edit-maxImpressionCount').fill('-5');
      await form.getByTestId('edit-weight').fill('200');
      await form.getByTestId('edit-save').click();
      await form
        .getByTestId('field-error-maxImpressionCount')
        .filter({ hasText: /must not be negative/ })
        .waitFor();
      expect(await form.getByTestId('field-error-weight').textContent()).toMatch(/at most 127/);
      expect(await form.getByTestId('edit-maxImpressionCount').getAttribute('aria-invalid')).toBe('true');
      expect(await form.getByTestId('field-error-name').isHidden()).toBe(true);
      expect(await form.getByTestId('edit-error').textContent()).toMatch(
        /^Not saved: Weight \(weight\), Impression max \(maxImpressionCount\) refused/,
      );
      expect(mutations).toHaveLength(1);
      expect(await db().campaign.findUniqueOrThrow({ where: { id: campaign!.id } })).toMatchObject({
        maxImpressionCount: campaign!.maxImpressionCount,
        weight: campaign!.weight,
        changedAt: null,
      });

      await form.getByTestId('edit-weight').fill(String(campaign!.weight));
      await form.getByTestId('edit-maxImpressionCount').fill('125000');
      await form.getByTestId('edit-displayType').selectOption(display.toUpperCase());
      await form.getByTestId('edit-pacingType').selectOption(pacing.toUpperCase());
      await form.getByTestId('edit-impressionMaxType').selectOption(maxType.toUpperCase());
      await form.getByTestId('edit-paused').setChecked(paused);
      await form.getByTestId('edit-save').click();
      await rowOf(page, campaign!.mongoId).locator('[data-testid="sync-badge"][data-status="CHANGED"]').waitFor();
      // Only the changed fields were sent (weight, back to what it was, is not among them).
      const sent = JSON.parse(mutations.at(-1)!).variables.input;
      expect(Object.keys(sent).sort()).toEqual([
        'campaign',
        'displayType',
        'impressionMaxType',
        'maxImpressionCount',
        'pacingType',
        'paused',
      ]);
      const edited = await db().campaign.findUniqueOrThrow({ where: { id: campaign!.id } });
      expect(edited).toMatchObject({
        displayType: display,
        pacingType: pacing,
        impressionMaxType: maxType,
        maxImpressionCount: 125000,
        paused,
        changedAt: expect.any(Date),
      });
      // Broadstreet is untouched until an export.
      expect(await remoteCampaign(campaign!.broadstreetId!)).toEqual(before);

      await page.getByTestId('start-export').click();
      await runStatusReads(page, /^SUCCEEDED$/);
      expect(await remoteCampaign(campaign!.broadstreetId!)).toEqual({
        ...before,
        displayType: display,
        pacingType: pacing,
        impressionMaxType: maxType,
        maxImpressionCount: 125000,
        paused,
      });
      expect(await db().campaign.findUniqueOrThrow({ where: { id: campaign!.id } })).toMatchObject({
        displayType: display,
        pacingType: pacing,
        impressionMaxType: maxType,
        maxImpressionCount: 125000,
        paused,
        changedAt: null,
        conflict: null,
      });
      await showType(page, 'advertisers');
      await showType(page, 'campaigns');
      expect(await rowOf(page, campaign!.mongoId).getByTestId('sync-badge').getAttribute('data-status')).toBe('SYNCED');

      // The form shows what is stored now.
      await rowOf(page, campaign!.mongoId).getByTestId('edit-entity').click();
      expect(await form.getByTestId('edit-displayType').inputValue()).toBe(display.toUpperCase());
      expect(await form.getByTestId('edit-impressionMaxType').inputValue()).toBe(maxType.toUpperCase());
      expect(await form.getByTestId('edit-maxImpressionCount').inputValue()).toBe('125000');
      await form.getByRole('button', { name: 'Cancel' }).click();

      // Importing again finds nothing changed on either side.
      const imported = await t.env.sync({ networkId: NETWORK, direction: 'IMPORT' });
      expect(imported.run.status).toBe('SUCCEEDED');
      expect(await db().campaign.findUniqueOrThrow({ where: { id: campaign!.id } })).toMatchObject({
        displayType: display,
        maxImpressionCount: 125000,
        paused,
        changedAt: null,
        conflict: null,
      });
      dashboard.expectNoPageErrors();
    } finally {
      await dashboard.close();
    }
  });

  it("says what the zone and advertiser forms cannot change, and why; an emptied required field shows the API's error", async () => {
    const network = await networkRow(NETWORK);
    const zone = await db().zone.findFirstOrThrow({
      where: { networkId: network.id, broadstreetId: { not: null }, removedAt: null },
      orderBy: { id: 'asc' },
    });
    const advertiser = await db().advertiser.findFirstOrThrow({
      where: { networkId: network.id, broadstreetId: { not: null }, removedAt: null, changedAt: null },
      orderBy: { id: 'asc' },
    });
    const dashboard = await openDashboard(t.browser, t.env.server.url, NETWORK);
    const { page } = dashboard;
    try {
      await showType(page, 'zones');
      await rowOf(page, zone.mongoId).getByTestId('edit-entity').click();
      const form = page.getByTestId('edit-form');
      expect(await form.getByTestId('edit-selfServe').isDisabled()).toBe(true);
      expect(await form.getByTestId('edit-selfServe').isChecked()).toBe(zone.selfServe);
      expect(await form.locator('[data-field="selfServe"] .hint').textContent()).toMatch(
        /cannot change it once the zone is in Broadstreet/,
      );
      await form.getByTestId('edit-name').fill('');
      await form.getByTestId('edit-save').click();
      await form.getByTestId('field-error-name').filter({ hasText: /empty/ }).waitFor();
      expect((await db().zone.findUniqueOrThrow({ where: { id: zone.id } })).name).toBe(zone.name);
      await form.getByRole('button', { name: 'Cancel' }).click();

      await showType(page, 'advertisers');
      await rowOf(page, advertiser.mongoId).getByTestId('edit-entity').click();
      const admins = advertiser.admins as { name: string; email: string }[];
      expect(await form.getByTestId('edit-admins').locator('li').allTextContents()).toEqual(
        admins.length ? admins.map((a) => `${a.name} <${a.email}>`) : ['none'],
      );
      expect(await form.locator('[data-field="admins"] .hint').textContent()).toMatch(/cannot set admins/);
      expect(await form.locator('[data-field="admins"] input, [data-field="admins"] textarea').count()).toBe(0);
      // An emptied optional field is cleared (null), not left as it was.
      await form.getByTestId('edit-notes').fill('Dash notes');
      await form.getByTestId('edit-save').click();
      await rowOf(page, advertiser.mongoId).locator('[data-testid="sync-badge"][data-status="CHANGED"]').waitFor();
      expect((await db().advertiser.findUniqueOrThrow({ where: { id: advertiser.id } })).notes).toBe('Dash notes');
      await rowOf(page, advertiser.mongoId).getByTestId('edit-entity').click();
      expect(await form.getByTestId('edit-notes').inputValue()).toBe('Dash notes');
      await form.getByTestId('edit-notes').fill('');
      await form.getByTestId('edit-save').click();
      await page.getByTestId('entity-dialog').waitFor({ state: 'hidden' });
      await expect.poll(async () => (await db().advertiser.findUniqueOrThrow({ where: { id: advertiser.id } })).notes).toBeNull();
      dashboard.expectNoPageErrors();
    } finally {
      await dashboard.close();
    }
  });
});
