// Lookups read in keyset pages by id (issue 18): more rows than a page come
// back complete, once each, in id order, with the query's own filter kept and
// the event loop handed back between pages.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findAllPaged, type Page } from '../../src/db/paged.ts';
import { newMongoId } from '../../src/domain/ids.ts';
import { closeTestDatabases, db, openTestDatabase } from '../helpers/db.ts';
import { createTestDatabase, databaseSkipReason, type TestDatabase } from '../helpers/database.ts';

const skip = databaseSkipReason();

describe.skipIf(!!skip)('findAllPaged', () => {
  let database: TestDatabase;
  let networkId: number;
  let otherId: number;
  beforeAll(async () => {
    database = await createTestDatabase();
    await openTestDatabase(database.url);
    const network = await db().network.create({ data: { mongoId: newMongoId(), broadstreetId: 1, name: 'N', syncedAt: new Date() } });
    const other = await db().network.create({ data: { mongoId: newMongoId(), broadstreetId: 2, name: 'O', syncedAt: new Date() } });
    networkId = network.id;
    otherId = other.id;
    // Interleaved with another network's rows, so that pages of the filtered query skip ids.
    for (let i = 0; i < 30; i++) {
      await db().zone.create({
        data: { mongoId: newMongoId(), broadstreetId: 1_000 + i, name: `Zone ${i}`, networkId: i % 3 === 2 ? otherId : networkId },
      });
    }
  });
  afterAll(async () => {
    await closeTestDatabases();
    await database?.drop();
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
    let done = false;
    const turn = () => {
      if (done) return;
      log.push('turn');
      setImmediate(turn);
    };
    setImmediate(turn);
    await findAllPaged(async (page) => {
      log.push('page');
      return Array.from({ length: page.where.id.gt < 20 ? page.take : 0 }, (_, i) => ({ id: page.where.id.gt + i + 1 }));
    }, 10);
    done = true;
    // Three reads (ids 1–10, 11–20, then none): a turn of the event loop before each read after the first.
    const pages = log.map((entry, i) => (entry === 'page' ? i : -1)).filter((i) => i >= 0);
    expect(pages).toHaveLength(3);
    for (let k = 1; k < pages.length; k++) expect(log.slice(pages[k - 1]! + 1, pages[k]!)).toContain('turn');
  });
});
