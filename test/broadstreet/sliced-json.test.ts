// A large list body parsed in slices gives exactly what JSON.parse gives, hands
// the event loop back while it works, and leaves every body that is not valid
// JSON (or that it cannot split faithfully) to JSON.parse itself.
import { describe, expect, it } from 'vitest';
import { GROUP_CHARS, parseJsonInSlices, SLICED_JSON_MIN_CHARS } from '../../src/broadstreet/sliced-json.ts';
import { withTurns } from '../helpers/turns.ts';

/** An item with what real bodies hold: escapes, brackets and commas inside strings, nesting, unicode, nulls. */
function item(i: number): Record<string, unknown> {
  return {
    id: i,
    name: `Ad "${i}" [x], {y}: \\ back\\slash\\ ünï ☃ ${'\u0001'} ${'p'.repeat(i % 300)}`,
    trailing: i % 7 === 0 ? 'ends in a backslash \\' : `ok ${i}`,
    nested: { list: [i, [i, { deep: `]},[{"` }], null], flag: i % 2 === 0 },
    empty: [],
    n: i / 3,
    html: '<div class="x">, ] }</div>',
    // Where a cut between two objects could fall inside an item: a nested list of objects, a string.
    parts: [{ a: i }, { b: `},{${i}` }],
    text: i % 3 === 0 ? '"},{"' : '} , {',
  };
}

/** The items serialized as a body that is at least `minChars` long. */
function items(minChars: number): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  let chars = 0;
  for (let i = 1; chars < minChars; i++) {
    const next = item(i);
    out.push(next);
    chars += JSON.stringify(next).length + 1;
  }
  return out;
}

const LARGE = SLICED_JSON_MIN_CHARS + 3 * GROUP_CHARS;

/** Counts event-loop turns while `work` runs. */
async function turnsDuring<T>(work: () => Promise<T>): Promise<{ value: T; turns: number }> {
  const log: string[] = [];
  const value = await withTurns(log, work);
  return { value, turns: log.length };
}

describe('parseJsonInSlices', () => {
  const list = items(LARGE);

  it('gives what JSON.parse gives for an envelope with other keys after the list, and hands the loop back', async () => {
    const text = `  { "advertisers" : [\n${list.map((x) => JSON.stringify(x, null, x.id === 5 ? 2 : 0)).join(' ,\n')}\n], "total": ${list.length}, "meta": {"a": [{"b":1},{"c":"]}"}]}}\n`;
    expect(text.length).toBeGreaterThan(LARGE);
    const { value, turns } = await turnsDuring(() => parseJsonInSlices(text));
    expect(value).toEqual(JSON.parse(text));
    expect((value as { advertisers: unknown[] }).advertisers).toHaveLength(list.length);
    // At least 4 groups of items, each in its own turn.
    expect(turns).toBeGreaterThanOrEqual(4);
  });

  it('gives what JSON.parse gives for a body it does not cut: other keys before the list', async () => {
    const text = `{"meta": {"a": [1, "]"], "b": "{"}, "advertisers": ${JSON.stringify(list)}}`;
    expect(await parseJsonInSlices(text)).toEqual(JSON.parse(text));
  });

  it('gives what JSON.parse gives for a body that is the list itself, and for an empty list in a large envelope', async () => {
    const bare = JSON.stringify(list);
    const { value, turns } = await turnsDuring(() => parseJsonInSlices(bare));
    expect(value).toEqual(list);
    expect(turns).toBeGreaterThanOrEqual(4);
    const empty = JSON.stringify({ zones: [], filler: 'f'.repeat(LARGE) });
    expect(await parseJsonInSlices(empty)).toEqual(JSON.parse(empty));
    const spaced = empty.replace('[]', '[ \n ]');
    expect(await parseJsonInSlices(spaced)).toEqual(JSON.parse(spaced));
  });

  it('parses a small body at once', async () => {
    const small = JSON.stringify({ zones: list.slice(0, 3) });
    const { value, turns } = await turnsDuring(() => parseJsonInSlices(small));
    expect(value).toEqual(JSON.parse(small));
    expect(turns).toBe(0);
  });

  it('throws as JSON.parse does for large bodies that are not JSON', async () => {
    const body = list.map((x) => JSON.stringify(x)).join(',');
    for (const bad of [
      `{"advertisers":[${body},]}`, // a trailing comma
      `{"advertisers":[,${body}]}`, // a leading one
      `{"advertisers":[${body}}`, // the list closed with a brace
      `{"advertisers":[${body}]`, // unbalanced
      `{"advertisers":[${body}]}{"x":1}`, // two values
      `{"advertisers":[${body}]} x`,
      `{"advertisers":[${body.replace('"id":7,', '"id":7,,')}]}`, // broken inside an item
      `{"advertisers":[${body}], "note": "unterminated}`,
    ]) {
      expect(() => JSON.parse(bad)).toThrow(SyntaxError);
      await expect(parseJsonInSlices(bad)).rejects.toThrow(SyntaxError);
    }
  });

  it('leaves a key given twice to JSON.parse, which keeps the last', async () => {
    const twice = `{"advertisers":${JSON.stringify(list)},"advertisers":[{"id":1}]}`;
    expect(await parseJsonInSlices(twice)).toEqual({ advertisers: [{ id: 1 }] });
    const before = `{"advertisers":[{"id":1}],"advertisers":${JSON.stringify(list)}}`;
    expect(await parseJsonInSlices(before)).toEqual({ advertisers: list });
  });
});
