// The import's raw multi-row INSERTs store exactly what Prisma's createMany
// would: rows written both ways read back the same through Prisma, and on
// SQLite (where a column holds whatever it is given) the stored values are
// the same text and types, so SQL comparisons and ordering agree too.
import { beforeAll, describe, expect, it } from 'vitest';
import { insertRows } from '../../src/db/bulk-insert.ts';
import { db, useTestDatabase } from '../helpers/db.ts';
import { newMongoId } from '../../src/domain/ids.ts';
import { databaseSkipReason, TEST_PROVIDER } from '../helpers/database.ts';

const skip = databaseSkipReason();

describe.skipIf(!!skip)('insertRows', () => {
  let networkId: number;
  useTestDatabase();
  beforeAll(async () => {
    const network = await db().network.create({ data: { mongoId: newMongoId(), broadstreetId: 1, name: 'N', syncedAt: new Date() } });
    networkId = network.id;
  });

  const now = new Date('2026-03-04T05:06:07.089Z');
  const syncedAt = new Date('2026-01-02T03:04:05.678Z');

  /** The same row through createMany and through insertRows; both read back with everything but id and mongoId. */
  async function bothWays<T extends { id: number; mongoId: string }>(
    table: Parameters<typeof insertRows>[1],
    viaPrisma: (row: Record<string, unknown>) => Promise<unknown>,
    read: (mongoIds: string[]) => Promise<T[]>,
    row: (i: number) => Record<string, unknown>,
  ) {
    const prismaRow = { mongoId: newMongoId(), ...row(1) };
    const rawRow = { mongoId: newMongoId(), ...row(2) };
    await viaPrisma({ ...prismaRow, createdAt: now, updatedAt: now });
    expect(await insertRows(db(), table, [rawRow], now)).toBe(1);
    const [a, b] = await read([prismaRow.mongoId, rawRow.mongoId]);
    const strip = ({ id: _id, mongoId: _m, ...rest }: T) => rest;
    return { prisma: strip(a!), raw: strip(b!), ids: [a!.id, b!.id] };
  }

  /** On SQLite: each column's storage class and text, as SQL sees them. */
  async function stored(table: string, id: number): Promise<Record<string, unknown>> {
    const columns = (await db().$queryRawUnsafe<{ name: string }[]>(`SELECT name FROM pragma_table_info('${table}')`)).map((c) => c.name);
    const select = columns
      .filter((c) => c !== 'id' && c !== 'mongoId')
      .map((c) => `typeof("${c}") || ':' || coalesce(CAST("${c}" AS TEXT), '') AS "${c}"`);
    const [row] = await db().$queryRawUnsafe<Record<string, unknown>[]>(`SELECT ${select.join(', ')} FROM "${table}" WHERE id = ${id}`);
    return row!;
  }

  it('writes advertisers (JSON, nulls, dates) as createMany does', async () => {
    const row = (i: number) => ({
      broadstreetId: 100 + i,
      networkId,
      name: `Advertiser ${i}`,
      webHomeUrl: null,
      notes: 'a "quoted" note\nwith a newline',
      logoUrl: null,
      admins: [{ name: 'Alex', email: 'alex@example.com' }],
      syncedAt,
    });
    const { prisma, raw, ids } = await bothWays(
      'Advertiser',
      (data) => db().advertiser.createMany({ data: data as never }),
      (mongoIds) => db().advertiser.findMany({ where: { mongoId: { in: mongoIds } }, orderBy: { id: 'asc' } }),
      row,
    );
    expect(raw).toEqual({ ...prisma, broadstreetId: 102, name: 'Advertiser 2' });
    expect(raw.createdAt).toEqual(now);
    if (TEST_PROVIDER === 'sqlite') {
      const [a, b] = await Promise.all(ids.map((id) => stored('Advertiser', id)));
      expect(b).toEqual({ ...a, broadstreetId: 'integer:102', name: 'text:Advertiser 2' });
    }
  });

  it(
    'writes campaigns (booleans, floats, defaults for columns left out) and advertisements (a remote ' + 'date) as createMany does',
    async () => {
      const advertiser = await db().advertiser.create({ data: { mongoId: newMongoId(), networkId, name: 'Owner', admins: [] } });
      const campaign = await bothWays(
        'Campaign',
        (data) => db().campaign.createMany({ data: data as never }),
        (mongoIds) => db().campaign.findMany({ where: { mongoId: { in: mongoIds } }, orderBy: { id: 'asc' } }),
        (i) => ({
          broadstreetId: 200 + i,
          networkId,
          advertiserId: advertiser.id,
          name: 'Spring',
          startDate: '2026-04-01',
          endDate: null,
          weight: 0.5,
          displayType: null,
          maxImpressionCount: null,
          active: true,
          path: '/c',
          syncedAt,
        }),
      );
      expect(campaign.raw).toEqual({ ...campaign.prisma, broadstreetId: 202 });
      expect(campaign.raw).toMatchObject({
        paused: false,
        archived: false,
        pacingType: 'asap',
        createdLocally: false,
        active: true,
        weight: 0.5,
      });

      const ad = await bothWays(
        'Advertisement',
        (data) => db().advertisement.createMany({ data: data as never }),
        (mongoIds) => db().advertisement.findMany({ where: { mongoId: { in: mongoIds } }, orderBy: { id: 'asc' } }),
        (i) => ({
          broadstreetId: 300 + i,
          networkId,
          advertiserId: advertiser.id,
          name: 'Ad',
          type: 'StaticAdvertisement',
          previewUrl: null,
          activeUrl: null,
          remoteUpdatedAt: new Date('2023-08-04T23:49:51+02:00'),
          syncedAt,
        }),
      );
      expect(ad.raw).toEqual({ ...ad.prisma, broadstreetId: 302 });
      if (TEST_PROVIDER === 'sqlite') {
        for (const [table, { ids }, changed] of [
          ['Campaign', campaign, { broadstreetId: 'integer:202' }],
          ['Advertisement', ad, { broadstreetId: 'integer:302' }],
        ] as const) {
          const [a, b] = await Promise.all(ids.map((id) => stored(table, id)));
          expect(b).toEqual({ ...a, ...changed });
        }
      }
    },
  );

  it('writes many rows (more than one statement may bind), and rows with different columns in separate statements', async () => {
    // Two column sets of 5,000 rows × 7 or 8 values: each past SQLite's 32,766 bound values for one statement.
    const zones = Array.from({ length: 10_000 }, (_, i) => ({
      mongoId: newMongoId(),
      broadstreetId: 1000 + i,
      networkId,
      name: `Zone ${i}`,
      ...(i % 2 ? { alias: `z${i}` } : {}),
      syncedAt,
    }));
    expect(await insertRows(db(), 'Zone', zones, now)).toBe(10_000);
    const read = await db().zone.findMany({ where: { broadstreetId: { gte: 1000 } }, orderBy: { broadstreetId: 'asc' } });
    expect(read.map((z) => [z.broadstreetId, z.name, z.alias, z.selfServe, z.syncedAt])).toEqual(
      zones.map((_zone, i) => [1000 + i, `Zone ${i}`, i % 2 ? `z${i}` : null, false, syncedAt]),
    );
  });

  it('refuses rows that set id or the timestamps, and writes nothing', async () => {
    const before = await db().zone.count();
    await expect(insertRows(db(), 'Zone', [{ mongoId: newMongoId(), networkId, name: 'x', createdAt: now }])).rejects.toThrow(
      /sets id, createdAt and updatedAt itself/,
    );
    expect(await db().zone.count()).toBe(before);
  });

  it('rolls back a whole statement on a constraint failure', async () => {
    const before = await db().zone.count();
    const rows = [
      { mongoId: newMongoId(), broadstreetId: 90_000, networkId, name: 'ok' },
      { mongoId: newMongoId(), broadstreetId: 90_000, networkId, name: 'duplicate broadstreetId' },
    ];
    await expect(insertRows(db(), 'Zone', rows)).rejects.toThrow();
    expect(await db().zone.count()).toBe(before);
  });
});
