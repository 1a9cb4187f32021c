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
