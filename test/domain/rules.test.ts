// The rule functions the export's validation phase re-runs on stored rows.
import { describe, expect, it } from 'vitest';
import { checkAdvertiser } from '../../src/advertiser/advertiser.rules.ts';
import { checkCampaign, checkCampaignParent } from '../../src/campaign/campaign.rules.ts';
import { checkPlacement, checkPlacementParents } from '../../src/placement/placement.rules.ts';
import { checkZone } from '../../src/zone/zone.rules.ts';

const campaign = {
  name: 'Spring',
  startDate: '2026-03-01',
  endDate: '2026-03-31',
  weight: 1,
  displayType: 'no_repeat',
  pacingType: 'asap',
  impressionMaxType: 'cap',
  maxImpressionCount: null,
  paused: false,
  archived: false,
  notes: null,
};

describe('checkAdvertiser', () => {
  it('passes a valid stored advertiser', () => {
    expect(
      checkAdvertiser({ name: 'Acme', webHomeUrl: 'https://acme.example.com', notes: null, admins: [{ name: 'A', email: 'a@b.co' }] }),
    ).toEqual([]);
  });

  it('reports each bad field of a stored row by its name', () => {
    expect(checkAdvertiser({ name: '', webHomeUrl: 'acme.example.com', notes: null, admins: 'nobody' })).toEqual([
      { path: ['name'], message: 'must not be empty' },
      { path: ['webHomeUrl'], message: expect.stringMatching(/absolute http/) },
      { path: ['admins'], message: expect.any(String) },
    ]);
  });
});

describe('checkZone', () => {
  it('passes a valid zone and refuses an empty name', () => {
    expect(checkZone({ name: 'Top', alias: null, selfServe: false })).toEqual([]);
    expect(checkZone({ name: '  ', alias: null, selfServe: false })).toEqual([{ path: ['name'], message: 'must not be empty' }]);
  });
});

describe('checkCampaign', () => {
  it('passes a valid stored campaign', () => {
    expect(checkCampaign(campaign)).toEqual([]);
  });

  it.each([
    [{ endDate: '2026-02-28' }, ['endDate'], 'must not be before startDate (2026-03-01)'],
    [{ startDate: '2026-02-30' }, ['startDate'], 'must be a calendar date written YYYY-MM-DD'],
    [{ weight: 0 }, ['weight'], 'must be a positive number'],
    [{ weight: Number.NaN }, ['weight'], 'must be a number'],
    [{ name: null }, ['name'], 'is required'],
    [{ displayType: 'loud' }, ['displayType'], expect.stringMatching(/^must be one of no_repeat/)],
  ])('refuses %o', (change, path, message) => {
    expect(checkCampaign({ ...campaign, ...change })).toEqual([{ path, message }]);
  });

  it('refuses a campaign whose advertiser Broadstreet no longer has', () => {
    expect(checkCampaignParent({ mongoId: 'a'.repeat(24), removedAt: null })).toEqual([]);
    expect(checkCampaignParent({ mongoId: 'a'.repeat(24), removedAt: new Date() })).toEqual([
      { path: ['advertiser'], message: expect.stringMatching(/removed from Broadstreet/) },
    ]);
  });
});

describe('checkPlacement and checkPlacementParents', () => {
  const parent = (networkId: number, removedAt: Date | null = null) => ({ mongoId: 'f'.repeat(24), networkId, removedAt });

  it('checks the stored restrictions', () => {
    expect(checkPlacement({ restrictions: ['mobile'] })).toEqual([]);
    expect(checkPlacement({ restrictions: [''] })).toEqual([{ path: ['restrictions', '0'], message: 'must not be empty' }]);
    expect(checkPlacement({ restrictions: 'mobile' })).toEqual([{ path: ['restrictions'], message: 'must be a list of strings' }]);
  });

  it('wants all three parents in one network and still in Broadstreet', () => {
    expect(checkPlacementParents({ campaign: parent(1), advertisement: parent(1), zone: parent(1) })).toEqual([]);
    expect(checkPlacementParents({ campaign: parent(1), advertisement: parent(1, new Date()), zone: parent(2) })).toEqual([
      { path: ['advertisementId'], message: expect.stringMatching(/removed from Broadstreet/) },
      { path: ['zone'], message: expect.stringMatching(/another network than the campaign/) },
    ]);
  });
});
