// The three-way merge of two-way sync, field by field: base, local, remote.
import { describe, expect, it } from 'vitest';
import { CAMPAIGN_FIELDS } from '../../src/campaign/campaign.sync.ts';
import { changedAgainstBase, threeWayMerge } from '../../src/sync/merge.ts';

const FIELDS = [{ field: 'name' }, { field: 'weight' }, { field: 'endDate' }, { field: 'paused', writeOnly: true }];
const base = { name: 'Spring', weight: 1, endDate: '2027-05-31', paused: false };

describe('threeWayMerge', () => {
  it('takes a change made in Broadstreet only', () => {
    const r = threeWayMerge(FIELDS, base, base, { ...base, weight: 1.5 });
    expect(r.changedBy).toEqual({ name: 'NONE', weight: 'REMOTE', endDate: 'NONE', paused: 'NONE' });
    expect(r.take).toEqual([{ field: 'weight', from: 1, to: 1.5, driftChecked: true }]);
    expect(r.push).toEqual([]);
    expect(r.conflicts).toEqual([]);
    expect(r.merged).toEqual({ ...base, weight: 1.5 });
    expect(r.base).toEqual({ ...base, weight: 1.5 });
  });

  it('keeps a local change for the export to push, the base unmoved', () => {
    const r = threeWayMerge(FIELDS, base, { ...base, endDate: '2027-06-30' }, base);
    expect(r.push).toEqual([{ field: 'endDate', from: '2027-05-31', to: '2027-06-30', driftChecked: true }]);
    expect(r.take).toEqual([]);
    expect(r.merged.endDate).toBe('2027-06-30');
    expect(r.base.endDate).toBe('2027-05-31');
  });

  it('merges changes to different fields on the two sides', () => {
    const r = threeWayMerge(FIELDS, base, { ...base, name: 'Spring 2' }, { ...base, weight: 0.5 });
    expect(r.conflicts).toEqual([]);
    expect(r.merged).toEqual({ ...base, name: 'Spring 2', weight: 0.5 });
    expect(r.push.map((c) => c.field)).toEqual(['name']);
    expect(r.take.map((c) => c.field)).toEqual(['weight']);
  });

  it('a field changed on both sides to the same value is agreed: new base, nothing to push or take', () => {
    const r = threeWayMerge(FIELDS, base, { ...base, weight: 1.5 }, { ...base, weight: 1.5 });
    expect(r.changedBy.weight).toBe('BOTH');
    expect(r.push).toEqual([]);
    expect(r.take).toEqual([]);
    expect(r.base.weight).toBe(1.5);
  });

  it('a field changed on both sides to different values is a conflict with all three values; local is kept', () => {
    const r = threeWayMerge(FIELDS, base, { ...base, weight: 1.5 }, { ...base, weight: 0.5, name: 'Renamed there' });
    expect(r.conflicts).toEqual([{ field: 'weight', base: 1, local: 1.5, remote: 0.5 }]);
    expect(r.merged.weight).toBe(1.5);
    expect(r.base.weight).toBe(1);
    // The other field still merges.
    expect(r.take).toEqual([{ field: 'name', from: 'Spring', to: 'Renamed there', driftChecked: true }]);
  });

  it('write-only fields are pushed when changed locally, never drift-checked, never taken', () => {
    const remoteWithoutPaused = { name: 'Spring', weight: 1, endDate: '2027-05-31' };
    const r = threeWayMerge(FIELDS, base, { ...base, paused: true }, remoteWithoutPaused);
    expect(r.push).toEqual([{ field: 'paused', from: false, to: true, driftChecked: false }]);
    // Even a value Broadstreet happened to send for a write-only field is not compared.
    const r2 = threeWayMerge(FIELDS, base, base, { ...base, paused: true });
    expect(r2.take).toEqual([]);
    expect(r2.conflicts).toEqual([]);
  });

  it('a remote of null (Broadstreet no longer has it) takes nothing and lists the local changes', () => {
    const r = threeWayMerge(FIELDS, base, { ...base, name: 'Mine' }, null);
    expect(r.remoteDeleted).toBe(true);
    expect(r.take).toEqual([]);
    expect(r.conflicts).toEqual([]);
    expect(r.push.map((c) => c.field)).toEqual(['name']);
  });

  it('without a base (synced before two-way sync) the local values count as agreed', () => {
    const r = threeWayMerge(FIELDS, null, base, { ...base, name: 'There' });
    expect(r.take.map((c) => c.field)).toEqual(['name']);
    expect(r.push).toEqual([]);
  });

  it('null and undefined are the same value; lists compare by content', () => {
    const fields = [{ field: 'alias' }, { field: 'restrictions' }];
    const r = threeWayMerge(
      fields,
      { alias: null, restrictions: ['mobile'] },
      { restrictions: ['mobile'] },
      { alias: undefined, restrictions: ['mobile'] },
    );
    expect(r.changedBy).toEqual({ alias: 'NONE', restrictions: 'NONE' });
  });
});

describe('changedAgainstBase', () => {
  it('lists the locally edited fields of a campaign, write-only ones included', () => {
    const campaignBase = { name: 'A', startDate: null, endDate: null, weight: 1, displayType: 'no_repeat', paused: false, notes: null };
    expect(changedAgainstBase(CAMPAIGN_FIELDS, campaignBase, { ...campaignBase, paused: true, weight: 1.5 })).toEqual(['weight', 'paused']);
    expect(changedAgainstBase(CAMPAIGN_FIELDS, null, { ...campaignBase, paused: true })).toEqual([]);
  });
});
