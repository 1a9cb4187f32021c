// The field changes an import's plan reports (src/sync/import/import-plan.ts):
// named as an export plan names them, by the synced field's GraphQL name,
// not by the column that holds it. Pure, no database.
import { describe, expect, it } from 'vitest';
import { changesByField, columnChanges } from '../../src/sync/import/import-plan.ts';
import type { SyncedField } from '../../src/sync/spec.ts';
import { specOf } from '../../src/sync/specs.ts';

describe('an import plan’s field changes', () => {
  // A field whose GraphQL name is not its column's: what the mapping is for.
  const synced: SyncedField[] = [
    { field: 'homepage', column: 'webHomeUrl', wire: 'web_home_url' },
    { field: 'name', column: 'name', wire: 'name' },
  ];
  const row = { name: 'Acme', webHomeUrl: 'https://a.example', logoUrl: null, notes: 'kept' };

  it('names a synced column by its field, and a column no field syncs by the column', () => {
    const data = { name: 'Acme', webHomeUrl: 'https://b.example', logoUrl: 'https://a.example/logo.png', notes: 'kept' };
    expect(changesByField(row, data, ['name', 'webHomeUrl', 'logoUrl', 'notes'], synced)).toEqual([
      { field: 'homepage', from: 'https://a.example', to: 'https://b.example', driftChecked: true },
      { field: 'logoUrl', from: null, to: 'https://a.example/logo.png', driftChecked: true },
    ]);
  });

  it('reports only the columns asked for that the write holds, and nothing without a write', () => {
    const data = { webHomeUrl: 'https://b.example', notes: 'changed' };
    expect(changesByField(row, data, ['name', 'webHomeUrl'], synced).map((c) => c.field)).toEqual(['homepage']);
    expect(changesByField(row, null, ['name', 'webHomeUrl'], synced)).toEqual([]);
  });

  it('for a real type, every synced column is reported under its spec field (as the export plan reports it)', () => {
    const fields = specOf('CAMPAIGN').twoWay!.fields;
    const before = Object.fromEntries(fields.map((f) => [f.column, null]));
    const after = Object.fromEntries(fields.map((f, i) => [f.column, `value ${i}`]));
    const changes = columnChanges('CAMPAIGN', before, after, Object.keys(after));
    expect(changes.map((c) => c.field)).toEqual(fields.map((f) => f.field));
    // Advertisements have no two-way spec: their columns keep their names.
    expect(columnChanges('ADVERTISEMENT', { name: 'a' }, { name: 'b' }, ['name'])).toEqual([
      { field: 'name', from: 'a', to: 'b', driftChecked: true },
    ]);
  });
});
