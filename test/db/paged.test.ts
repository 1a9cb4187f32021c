// Lookups read in keyset pages by id (issue 18): more rows than a page come
// back complete, once each, in id order, with the query's own filter kept and
// the event loop handed back between pages. Rows under a set of ids are read
// in IN lists of a bounded size, each paged the same way.
import { beforeAll, describe, expect, it } from 'vitest';
import {
  findAllForIds,
  findAllInSpans,
  findAllPaged,
  forEachIdSpan,
  type IdSpan,
  mergeById,
  networkSpans,
  type Page,
} from '../../src/db/paged.ts';
import { newMongoId } from '../../src/domain/ids.ts';
import { db, useTestDatabase } from '../helpers/db.ts';
import { databaseSkipReason } from '../helpers/database.ts';
import { positionsOf, withTurns } from '../helpers/turns.ts';

const skip = databaseSkipReason();

/** Networks `broadstreetId` and `broadstreetId + 1`, and `zones` zones, every third in the second: [first, second] row ids. */
async function seedTwoNetworks(
  broadstreetId: number,
  zoneIdBase: number,
  zones: number,
  removedAt: (i: number) => Date | null = () => null,
): Promise<[number, number]> {
  const create = (id: number, name: string) =>
    db().network.create({ data: { mongoId: newMongoId(), broadstreetId: id, name, syncedAt: new Date() } });
  const [network, other] = [await create(broadstreetId, 'N'), await create(broadstreetId + 1, 'O')];
  for (let i = 0; i < zones; i++) {
    await db().zone.create({
      data: {
        mongoId: newMongoId(),
        broadstreetId: zoneIdBase + i,
        name: `Zone ${i}`,
        networkId: i % 3 === 2 ? other.id : network.id,
        removedAt: removedAt(i),
      },
    });
  }
  return [network.id, other.id];
}

describe.skipIf(!!skip)('findAllPaged', () => {
  let networkId: number;
  let otherId: number;
  useTestDatabase();
  beforeAll(async () => {
    // Interleaved with another network's rows, so that pages of the filtered query skip ids.
    [networkId, otherId] = await seedTwoNetworks(1, 1_000, 30);
  });

  const zonesOf = (network: number, pages: Page[]) => (page: Page) => {
    pages.push(page);
    return db().zone.findMany({
      where: { AND: [{ networkId: network }, page.where] },
      select: { id: true, broadstreetId: true },
      orderBy: page.orderBy,
      take: page.take,
    });
  };

  it('reads more rows than a page, every one once, in id order, with the filter kept', async () => {
    const expected = await db().zone.findMany({ where: { networkId }, select: { id: true, broadstreetId: true }, orderBy: { id: 'asc' } });
    expect(expected).toHaveLength(20);
    const pages: Page[] = [];
    const rows = await findAllPaged(zonesOf(networkId, pages), 7);
    expect(rows).toEqual(expected);
    // 7 + 7 + 6: three reads, each after the last id of the one before.
    expect(pages.map((p) => p.where.id.gt)).toEqual([0, expected[6]!.id, expected[13]!.id]);
    expect(pages.every((p) => p.take === 7)).toBe(true);
  });

  it('a last page that is exactly full costs one more, empty read; and no rows is one read', async () => {
    const pages: Page[] = [];
    const rows = await findAllPaged(zonesOf(otherId, pages), 5);
    expect(rows.map((r) => r.broadstreetId)).toEqual([1002, 1005, 1008, 1011, 1014, 1017, 1020, 1023, 1026, 1029]);
    expect(pages).toHaveLength(3);
    const none: Page[] = [];
    expect(await findAllPaged(zonesOf(999_999, none), 5)).toEqual([]);
    expect(none).toHaveLength(1);
  });

  it('hands the event loop back between pages', async () => {
    const log: string[] = [];
    await withTurns(log, () =>
      findAllPaged(async (page) => {
        log.push('page');
        return Array.from({ length: page.where.id.gt < 20 ? page.take : 0 }, (_, i) => ({ id: page.where.id.gt + i + 1 }));
      }, 10),
    );
    // Three reads (ids 1–10, 11–20, then none): a turn of the event loop before each read after the first.
    const pages = positionsOf(log, 'page');
    expect(pages).toHaveLength(3);
    for (let k = 1; k < pages.length; k++) expect(log.slice(pages[k - 1]! + 1, pages[k]!)).toContain('turn');
  });
});

describe.skipIf(!!skip)('scans in spans (forEachIdSpan, findAllInSpans, networkSpans)', () => {
  let networkId: number;
  let otherId: number;
  let ids: number[];
  useTestDatabase();
  beforeAll(async () => {
    // Interleaved with another network's rows; every fourth is removed.
    [networkId, otherId] = await seedTwoNetworks(11, 2_000, 36, (i) => (i % 4 === 0 ? new Date() : null));
    ids = (await db().zone.findMany({ where: { networkId }, select: { id: true }, orderBy: { id: 'asc' } })).map((z) => z.id);
  });

  it('networkSpans gives the id of the span-th row of the network after one, or null when fewer are left', async () => {
    expect(ids).toHaveLength(24);
    const bound = networkSpans(db().zone, networkId);
    expect(await bound(0, 5)).toBe(ids[4]);
    expect(await bound(ids[4]!, 5)).toBe(ids[9]);
    expect(await bound(ids[19]!, 5)).toBe(null);
    expect(await bound(ids[18]!, 5)).toBe(ids[23]);
  });

  it('each span covers at most `span` rows of the network, the spans cover all of them once, and the filter is kept', async () => {
    const spans: IdSpan[] = [];
    const rows = await findAllInSpans(
      networkSpans(db().zone, networkId),
      (span) => {
        spans.push(span);
        return db().zone.findMany({
          where: { AND: [{ networkId, removedAt: { not: null } }, span] },
          select: { id: true, broadstreetId: true },
        });
      },
      5,
    );
    const expected = await db().zone.findMany({
      where: { networkId, removedAt: { not: null } },
      select: { id: true, broadstreetId: true },
      orderBy: { id: 'asc' },
    });
    expect(expected.length).toBeGreaterThan(4);
    expect(rows).toEqual(expected);
    // 24 rows in spans of 5: 5 spans, the last open-ended.
    expect(spans.map((s) => s.id)).toEqual([
      { gt: 0, lte: ids[4] },
      { gt: ids[4], lte: ids[9] },
      { gt: ids[9], lte: ids[14] },
      { gt: ids[14], lte: ids[19] },
      { gt: ids[19] },
    ]);
    for (const span of spans) {
      const inSpan = ids.filter((id) => id > span.id.gt && (span.id.lte === undefined || id <= span.id.lte));
      expect(inSpan.length).toBeLessThanOrEqual(5);
    }
  });

  it('updates through spans reach every row, and hand the event loop back between spans', async () => {
    const log: string[] = [];
    await withTurns(log, () =>
      forEachIdSpan(
        networkSpans(db().zone, otherId),
        async (span) => {
          log.push('span');
          await db().zone.updateMany({ where: { AND: [{ networkId: otherId }, span] }, data: { name: 'Renamed' } });
        },
        4,
      ),
    );
    expect(await db().zone.count({ where: { networkId: otherId, name: { not: 'Renamed' } } })).toBe(0);
    expect(await db().zone.count({ where: { networkId, name: 'Renamed' } })).toBe(0);
    // 12 rows in spans of 4: 3 full spans and an empty last one, a turn before each after the first.
    const spans = positionsOf(log, 'span');
    expect(spans).toHaveLength(4);
    for (let k = 1; k < spans.length; k++) expect(log.slice(spans[k - 1]! + 1, spans[k]!)).toContain('turn');
  });
});

describe('findAllForIds', () => {
  /** Children 10·parent + k (k < 3) of parents 1..9, as a table read by parent IN (...) would give them. */
  const childrenOf = (reads: { ids: number[]; after: number }[]) => async (ids: number[], page: Page) => {
    reads.push({ ids, after: page.where.id.gt });
    return ids
      .flatMap((parent) => [0, 1, 2].map((k) => ({ id: parent * 10 + k, parent })))
      .filter((row) => row.id > page.where.id.gt)
      .sort((a, b) => a.id - b.id)
      .slice(0, page.take);
  };

  it('reads the ids in sorted IN lists of at most the chunk size, each in pages, and returns every row once in id order', async () => {
    const reads: { ids: number[]; after: number }[] = [];
    const rows = await findAllForIds(new Set([5, 1, 9, 3, 7]), childrenOf(reads), 2);
    expect(rows.map((r) => r.id)).toEqual([10, 11, 12, 30, 31, 32, 50, 51, 52, 70, 71, 72, 90, 91, 92]);
    // Chunks [1,3], [5,7], [9], each read from its first page (fewer rows than a page: one read each).
    expect(reads).toEqual([
      { ids: [1, 3], after: 0 },
      { ids: [5, 7], after: 0 },
      { ids: [9], after: 0 },
    ]);
  });

  it('no ids: no read at all', async () => {
    const reads: { ids: number[]; after: number }[] = [];
    expect(await findAllForIds([], childrenOf(reads))).toEqual([]);
    expect(reads).toEqual([]);
  });

  it('mergeById: rows of several reads in id order, a row two reads found once', () => {
    const a = [
      { id: 4, from: 'a' },
      { id: 1, from: 'a' },
    ];
    const b = [
      { id: 2, from: 'b' },
      { id: 4, from: 'b' },
    ];
    expect(mergeById(a, b)).toEqual([
      { id: 1, from: 'a' },
      { id: 2, from: 'b' },
      { id: 4, from: 'a' },
    ]);
    expect(mergeById()).toEqual([]);
  });
});
