// RemoteNames: before a create, the first free name in its scope — the name
// itself, then "Name (1)", "Name (2)", … — never the same one twice in a run.
import { describe, expect, it } from 'vitest';
import { RemoteNames, type NameScope } from '../../src/sync/export/names.ts';

const advertisers: NameScope = { type: 'ADVERTISER', networkId: 1, parentId: 1 };
const campaignsOf7: NameScope = { type: 'CAMPAIGN', networkId: 1, parentId: 7 };

function namesOver(lists: Record<string, { id: number; name: string }[]>) {
  const calls: string[] = [];
  const names = new RemoteNames(async (scope) => {
    const key = `${scope.type}:${scope.parentId}`;
    calls.push(key);
    return lists[key] ?? [];
  });
  return { names, calls };
}

describe('RemoteNames', () => {
  it('keeps a free name, and numbers a taken one: Name (1), then Name (2)', async () => {
    const { names } = namesOver({
      'ADVERTISER:1': [
        { id: 10, name: 'Acme' },
        { id: 11, name: 'Acme (1)' },
      ],
    });
    expect(await names.resolve(advertisers, 'Globex')).toBe('Globex');
    expect(await names.resolve(advertisers, 'Acme')).toBe('Acme (2)');
  });

  it('reserves what it hands out: two local entities of one name get Name and Name (1)', async () => {
    const { names } = namesOver({});
    expect(await names.resolve(advertisers, 'Acme')).toBe('Acme');
    expect(await names.resolve(advertisers, 'Acme')).toBe('Acme (1)');
    expect(await names.resolve(advertisers, 'Acme')).toBe('Acme (2)');
    names.reserve(advertisers, 'Initech');
    expect(await names.resolve(advertisers, 'Initech')).toBe('Initech (1)');
  });

  it('lists each scope once; scopes do not share names', async () => {
    const { names, calls } = namesOver({ 'ADVERTISER:1': [{ id: 10, name: 'Acme' }] });
    await names.resolve(advertisers, 'Acme');
    await names.resolve(advertisers, 'Acme');
    expect(await names.resolve(campaignsOf7, 'Acme')).toBe('Acme');
    expect(calls).toEqual(['ADVERTISER:1', 'CAMPAIGN:7']);
  });

  it('a scope marked empty is never listed; added names are found without a refetch', async () => {
    const { names, calls } = namesOver({ 'CAMPAIGN:7': [{ id: 99, name: 'Spring' }] });
    names.markEmpty(campaignsOf7);
    expect(await names.resolve(campaignsOf7, 'Spring')).toBe('Spring');
    await names.added(campaignsOf7, 'Spring', 42);
    expect(calls).toEqual([]);
  });

  it('lookup re-reads the scope and gives the newest id of that name', async () => {
    const lists: Record<string, { id: number; name: string }[]> = { 'ADVERTISER:1': [] };
    const { names, calls } = namesOver(lists);
    expect(await names.lookup(advertisers, 'Acme')).toBeUndefined();
    lists['ADVERTISER:1'] = [
      { id: 12, name: 'Acme' },
      { id: 15, name: 'Acme' },
    ];
    expect(await names.lookup(advertisers, 'Acme')).toBe(15);
    expect(calls).toHaveLength(2);
  });

  it('a failed list is not cached: the next call lists again', async () => {
    let fail = true;
    const names = new RemoteNames(async () => {
      if (fail) throw new Error('503');
      return [];
    });
    await expect(names.resolve(advertisers, 'Acme')).rejects.toThrow('503');
    fail = false;
    expect(await names.resolve(advertisers, 'Acme')).toBe('Acme');
  });
});
