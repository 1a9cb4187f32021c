// JSON.parse of a large list body in slices (issue 18, "No long stalls").
// Broadstreet answers a network-wide list in one body: 9.5 MB for the
// advertisements of a 100,000-entity network, 2.8 MB for its advertisers.
// JSON.parse of it held the event loop 15–30 ms at once, with as much again
// in the garbage collection that followed. A streaming parser from npm
// (@streamparser/json) took 7–8× JSON.parse's CPU on the same bodies, and a
// character scan in JavaScript 1× more, so this cuts the text instead:
//
// - The body must open as Broadstreet's lists do: `{"things":[` or `[`.
// - The items are cut into groups of about GROUP_CHARS, at a `},{` between
//   two objects, and each group is parsed alone as `[group]`, one per
//   event-loop turn. A cut inside a string or a nested value cannot give a
//   group that parses (the group starts at an item, so JSON.parse ends it in
//   the middle of that string or value): the group then runs on to the next
//   `},{`.
// - The rest (the envelope with the last group's items) is parsed as one
//   document, which checks everything after the list too.
//
// So the body is valid exactly when every piece parses, and the result is
// JSON.parse(text)'s. What this does not handle (the list's key given again
// later, too many failed cuts) goes to JSON.parse(text) itself, whose error
// the caller reports for a body that is not JSON.
import { yieldToEventLoop } from '../domain/slices.ts';

/** Bodies shorter than this are parsed at once (JSON.parse: about 3 ms per MB here). */
export const SLICED_JSON_MIN_CHARS = 1_000_000;

/** Characters of list items parsed per event-loop turn. */
export const GROUP_CHARS = 400_000;

/** Cuts that fail in a row before the body is left to JSON.parse whole. */
const MAX_FAILED_CUTS = 8;

/** `{"key":[` (a key without escapes) or `[`, at the start of the body. */
const LIST_START = /^\s*(?:\{\s*"([^"\\]*)"\s*:\s*)?\[/;

/** Where one object of the list ends and the next begins. */
const BETWEEN_OBJECTS = /\}\s*,\s*\{/g;

/** What JSON.parse(text) returns, parsed in slices when the text is a large list body (see above); throws as JSON.parse does. */
export async function parseJsonInSlices(text: string): Promise<unknown> {
  if (text.length < SLICED_JSON_MIN_CHARS) return JSON.parse(text);
  const start = LIST_START.exec(text);
  if (!start) return JSON.parse(text);
  const key = start[1] ?? null;
  const prefix = start[0];
  const keyText = key === null ? null : `"${key}"`;
  const items: unknown[] = [];
  // The group under way starts at `from` (an item's first character); its end is looked for from `searchFrom`.
  let from = prefix.length;
  let searchFrom = from + GROUP_CHARS;
  let failed = 0;
  const between = new RegExp(BETWEEN_OBJECTS);
  for (;;) {
    between.lastIndex = searchFrom;
    const next = between.exec(text);
    if (!next) break;
    // The group ends with the `}`, the next starts at the `{`.
    const group = text.slice(from, next.index + 1);
    const nextItem = next.index + next[0].length - 1;
    // The list's key again (a second value for it, or inside an item): JSON.parse decides which value counts.
    if (keyText !== null && group.includes(keyText)) return JSON.parse(text);
    let parsed: unknown[];
    try {
      parsed = JSON.parse(`[${group}]`) as unknown[];
    } catch {
      // Not at an item's end: run on to the next cut (or, after too many, parse the whole body).
      if (++failed >= MAX_FAILED_CUTS) return JSON.parse(text);
      searchFrom = nextItem;
      continue;
    }
    failed = 0;
    for (const item of parsed) items.push(item);
    from = nextItem;
    searchFrom = from + GROUP_CHARS;
    await yieldToEventLoop();
  }
  const tail = text.slice(from);
  if (keyText !== null && tail.includes(keyText)) return JSON.parse(text);
  let rest: unknown;
  try {
    rest = JSON.parse(prefix + tail);
  } catch {
    return JSON.parse(text);
  }
  const list = key === null ? rest : (rest as Record<string, unknown>)[key];
  if (!Array.isArray(list)) return JSON.parse(text);
  for (const item of list) items.push(item);
  if (key === null) return items;
  (rest as Record<string, unknown>)[key] = items;
  return rest;
}
