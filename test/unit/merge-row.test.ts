// What an import writes to one synced row (src/sync/import/merge-row.ts): pure, no database.
import { describe, expect, it } from 'vitest';
import { goneImported, mergeImported } from '../../src/sync/import/merge-row.ts';

const now = new Date('2027-01-01T00:00:00Z');
const campaign = (extra: Record<string, unknown> = {}) => ({
  id: 1,
  broadstreetId: 7,
  syncedAt: now,
  removedAt: null,
  deletedAt: null,
  conflict: null,
  changedAt: null,
  name: 'Spring',
  startDate: null,
  endDate: '2027-05-31',
  weight: 1,
  displayType: 'no_repeat',
  maxImpressionCount: null,
  paused: false,
  pacingType: 'asap',
  impressionMaxType: 'cap',
  archived: false,
  notes: null,
  active: true,
  path: null,
  base: { name: 'Spring', startDate: null, endDate: '2027-05-31', weight: 1, displayType: 'no_repeat', maxImpressionCount: null },
  ...extra,
});
const wire = (extra: Record<string, unknown> = {}) => ({
  name: 'Spring',
  startDate: null,
  endDate: '2027-05-31',
  weight: 1,
  displayType: 'no_repeat',
  maxImpressionCount: null,
  active: true,
  path: null,
  ...extra,
});

describe('mergeImported', () => {
  it('writes nothing for a row both sides agree on', () => {
    expect(mergeImported('CAMPAIGN', campaign(), wire(), 5, now)).toEqual({ data: null, outcome: 'unchanged' });
  });

  it('takes a remote change and moves the base; columns nobody edits come as they are', () => {
    const write = mergeImported('CAMPAIGN', campaign(), wire({ weight: 0.5, active: false }), 5, now);
    expect(write.outcome).toBe('updated');
    expect(write.data).toMatchObject({ weight: 0.5, active: false, base: expect.objectContaining({ weight: 0.5 }), changedAt: null });
  });

  it('keeps a local edit (still CHANGED) and stores a conflict when Broadstreet changed the same field', () => {
    const edited = campaign({ endDate: '2027-06-30', changedAt: now });
    const keep = mergeImported('CAMPAIGN', edited, wire({ name: 'There' }), 5, now);
    expect(keep.data).toMatchObject({ name: 'There', endDate: '2027-06-30', changedAt: now });
    const clash = mergeImported('CAMPAIGN', edited, wire({ endDate: '2027-07-31' }), 5, now);
    expect(clash.outcome).toBe('conflicts');
    expect(clash.data!.conflict).toEqual({
      detectedAt: now.toISOString(),
      runId: 5,
      remoteDeleted: false,
      fields: [{ field: 'endDate', base: '2027-05-31', local: '2027-06-30', remote: '2027-07-31' }],
    });
    expect(clash.data).not.toHaveProperty('endDate');
  });

  it('a row deleted here that Broadstreet changed becomes a conflict', () => {
    const write = mergeImported('CAMPAIGN', campaign({ deletedAt: now }), wire({ weight: 1.5 }), 5, now);
    expect(write.outcome).toBe('conflicts');
    expect((write.data!.conflict as { fields: unknown[] }).fields).toEqual([{ field: 'weight', base: 1, local: 1, remote: 1.5 }]);
  });
});

describe('goneImported', () => {
  it('an unchanged row is removed; an edited one, or one deleted here too, becomes a remote-deleted conflict', () => {
    expect(goneImported('CAMPAIGN', campaign(), 5, now)).toEqual({ data: { removedAt: now, changedAt: null }, outcome: 'removed' });
    const deleted = goneImported('CAMPAIGN', campaign({ deletedAt: now, weight: 2 }), 5, now);
    expect(deleted.outcome).toBe('conflicts');
    expect(deleted.data.conflict).toEqual({ detectedAt: now.toISOString(), runId: 5, remoteDeleted: true, localDeleted: true, fields: [] });
    expect(deleted.data).not.toHaveProperty('removedAt');
    // Gone with its parent, a row deleted here loses nothing: removed.
    expect(goneImported('CAMPAIGN', campaign({ deletedAt: now }), 5, now, { cascade: true }).outcome).toBe('removed');
    expect(goneImported('CAMPAIGN', campaign({ weight: 2 }), 5, now, { cascade: true }).outcome).toBe('conflicts');
    const edited = goneImported('CAMPAIGN', campaign({ weight: 2 }), 5, now);
    expect(edited.outcome).toBe('conflicts');
    expect(edited.data.conflict).toMatchObject({ remoteDeleted: true, fields: [{ field: 'weight', base: 1, local: 2, remote: null }] });
  });
});
