// Reading a whole table's worth of rows (an import's lookups: ~50,000 ids of
// a 100,000-entity network) a page at a time, by id, yielding between pages:
// one findMany of them all held the event loop 100–135 ms (issue 18).
import { yieldToEventLoop } from '../domain/slices.ts';

/** Rows per page. */
export const LOOKUP_PAGE = 2_000;

/** What `read` adds to its own findMany arguments for one page. */
export interface Page {
  /** AND it with the query's own filter. */
  where: { id: { gt: number } };
  orderBy: { id: 'asc' };
  take: number;
}

/**
 * Every row `read` finds, in id order, in pages of `size` (keyset: the next
 * page starts after the last id seen, so rows written meanwhile never shift a
 * page). `read` must select `id`.
 *
 * @example
 *   const ads = await findAllPaged((page) =>
 *     db.advertisement.findMany({ where: { AND: [{ networkId }, page.where] }, select: { id: true }, orderBy: page.orderBy, take: page.take }),
 *   );
 */
export async function findAllPaged<T extends { id: number }>(read: (page: Page) => Promise<T[]>, size: number = LOOKUP_PAGE): Promise<T[]> {
  const rows: T[] = [];
  let after = 0;
  for (;;) {
    const page = await read({ where: { id: { gt: after } }, orderBy: { id: 'asc' }, take: size });
    for (const row of page) rows.push(row);
    if (page.length < size) return rows;
    after = page[page.length - 1]!.id;
    await yieldToEventLoop();
  }
}

/** Ids per IN list: Prisma refuses more bound values than the database allows. */
export const IN_CHUNK = 500;

/**
 * Every row `read` finds for some of `ids`, in id order: `read` gets an IN
 * list of at most `chunk` ids at a time, each read in pages as by findAllPaged
 * (a chunk of parents can have many children). A row two chunks both find is
 * returned once.
 *
 * @example
 *   const campaigns = await findAllForIds(advertiserIds, (ids, page) =>
 *     db.campaign.findMany({ where: { AND: [{ advertiserId: { in: ids } }, page.where] }, orderBy: page.orderBy, take: page.take }),
 *   );
 */
export async function findAllForIds<T extends { id: number }>(
  ids: Iterable<number>,
  read: (ids: number[], page: Page) => Promise<T[]>,
  chunk: number = IN_CHUNK,
): Promise<T[]> {
  const sorted = [...ids].sort((a, b) => a - b);
  const found: T[][] = [];
  for (let i = 0; i < sorted.length; i += chunk) {
    if (i > 0) await yieldToEventLoop();
    const slice = sorted.slice(i, i + chunk);
    found.push(await findAllPaged((page) => read(slice, page)));
  }
  return mergeById(...found);
}

/** The rows of several reads as one list in id order, each row once (the first read's copy of it). */
export function mergeById<T extends { id: number }>(...lists: T[][]): T[] {
  const byId = new Map<number, T>();
  for (const list of lists) for (const row of list) if (!byId.has(row.id)) byId.set(row.id, row);
  return [...byId.values()].sort((a, b) => a.id - b.id);
}

/** Rows of one network a scan in spans covers per statement. */
export const SCAN_SPAN = 5_000;

/** One span of a scan: the ids after `gt`, up to `lte` (none on the last span). */
export interface IdSpan {
  id: { gt: number; lte?: number };
}

/**
 * A statement whose filter no index serves (a row whose parent is removed:
 * a subquery per row) scans every row of the network: 35 ms at once for the
 * 40,000 placements of a 100,000-entity network, 19 ms to update its 30,000
 * advertisements (issue 18). This runs `each` once per span of `span` rows of
 * the network in id order, yielding between spans: `bound(after, span)` gives
 * the id of the span-th row after `after` (an indexed read), or null when
 * fewer are left, and `each` ANDs its span with its own filter.
 */
export async function forEachIdSpan(
  bound: (after: number, span: number) => Promise<number | null>,
  each: (span: IdSpan) => Promise<void>,
  span: number = SCAN_SPAN,
): Promise<void> {
  let after = 0;
  for (;;) {
    const upper = await bound(after, span);
    await each({ id: upper === null ? { gt: after } : { gt: after, lte: upper } });
    if (upper === null) return;
    after = upper;
    await yieldToEventLoop();
  }
}

/** Every row `read` finds, span by span (see forEachIdSpan), in id order. */
export async function findAllInSpans<T extends { id: number }>(
  bound: (after: number, span: number) => Promise<number | null>,
  read: (span: IdSpan) => Promise<T[]>,
  span: number = SCAN_SPAN,
): Promise<T[]> {
  const rows: T[] = [];
  await forEachIdSpan(
    bound,
    async (s) => {
      for (const row of await read(s)) rows.push(row);
    },
    span,
  );
  return rows.sort((a, b) => a.id - b.id);
}

/** bound for forEachIdSpan over one network's rows of a model (its id of the span-th row after `after`). */
export function networkSpans(
  model: { findFirst(args: object): Promise<{ id: number } | null> },
  networkId: number,
): (after: number, span: number) => Promise<number | null> {
  return async (after, span) =>
    (await model.findFirst({ where: { networkId, id: { gt: after } }, orderBy: { id: 'asc' }, skip: span - 1, select: { id: true } }))
      ?.id ?? null;
}
