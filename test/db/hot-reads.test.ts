// The hand-written JOIN behind the hot lists (src/db/hot-reads.ts) answers
// exactly as Prisma does: the same rows for the same findMany arguments, and
// the same served JSON, value for value, for the placement page and the
// dashboard's list queries, with the JOIN on and off, on the provider the
// vitest project runs (SQLite and PostgreSQL).
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLACEMENT_PAGE } from '../../bench/lib/seed-placements.ts';
import { countRows, findPage, useHotReads, type HotModel } from '../../src/db/hot-reads.ts';
import { observeQueries } from '../../src/db/query-events.ts';
import { newMongoId } from '../../src/domain/ids.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { databaseSkipReason, TEST_PROVIDER } from '../helpers/database.ts';
import { db } from '../helpers/db.ts';

// The dashboard's operations, from its plain browser module (JSDoc-typed JavaScript).
const { entityListQuery, LOCAL_ENTITIES } = (await import(
  pathToFileURL(path.resolve(import.meta.dirname, '../../src/dashboard/public/js/queries.js')).href
)) as { entityListQuery(type: string): string; LOCAL_ENTITIES: string };

// Not UTC: a stored date read in the process's zone instead of UTC would show.
process.env.TZ = 'America/New_York';

const skip = databaseSkipReason();
if (skip) console.warn(`skipped: ${skip}`);

const NETWORK = 4242;
const EMPTY_NETWORK = 4243;
const HOUR = 3_600_000;

/** A network whose rows cover what the lists filter and show: local, synced, changed, conflicted, removed, deleted, errored. */
async function seed() {
  const network = await db().network.create({ data: { mongoId: newMongoId(), broadstreetId: NETWORK, name: 'Hot', syncedAt: new Date() } });
  await db().network.create({ data: { mongoId: newMongoId(), broadstreetId: EMPTY_NETWORK, name: 'Empty' } });
  const at = (hours: number) => new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 678) + hours * HOUR);
  const conflict = {
    detectedAt: at(1).toISOString(),
    runId: null,
    remoteDeleted: false,
    fields: [{ field: 'name', base: 'A', local: 'B', remote: 'C' }],
  };
  const states = (i: number) => {
    const local = i % 5 === 0;
    return {
      mongoId: newMongoId(),
      networkId: network.id,
      broadstreetId: local ? null : 900_000 + i,
      createdLocally: local,
      syncedAt: local ? null : at(i),
      removedAt: i % 7 === 3 ? at(i + 1) : null,
      deletedAt: i % 6 === 4 ? at(i + 2) : null,
      ...(i % 4 === 1 ? { changedAt: at(i + 3), base: { name: `Old ${i}` } } : {}),
      ...(i % 9 === 2 ? { conflictAt: at(i + 4), conflict } : {}),
    };
  };
  const rows = Array.from({ length: 24 }, (_, i) => i);
  const advertisers = [];
  for (const i of rows) {
    advertisers.push(
      await db().advertiser.create({
        data: {
          ...states(i),
          name: `Advertiser ${i} «ü»`,
          webHomeUrl: i % 2 ? `https://example.com/${i}` : null,
          notes: i % 3 ? null : `notes ${i}`,
          admins: i % 2 ? [{ name: `Admin ${i}`, email: `a${i}@example.com` }] : [],
        },
      }),
    );
  }
  const zones = [];
  for (const i of rows) {
    zones.push(
      await db().zone.create({ data: { ...states(i), name: `Zone ${i}`, alias: i % 2 ? `zone-${i}` : null, selfServe: i % 3 === 0 } }),
    );
  }
  const campaigns = [];
  for (const i of rows) {
    const { broadstreetId: _b, ...campaignState } = states(i);
    campaigns.push(
      await db().campaign.create({
        data: {
          ...campaignState,
          broadstreetId: _b,
          advertiserId: advertisers[i]!.id,
          name: `Campaign ${i}`,
          startDate: i % 2 ? '2026-01-01' : null,
          endDate: i % 3 ? null : '2026-12-31',
          weight: 0.5 + i / 4,
          paused: i % 2 === 0,
          archived: i % 5 === 1,
          maxImpressionCount: i % 4 ? 1000 * i : null,
          notes: i % 2 ? 'n' : null,
        },
      }),
    );
  }
  const ads = [];
  for (const i of rows) {
    const { broadstreetId, mongoId, networkId, syncedAt, removedAt } = states(i);
    ads.push(
      await db().advertisement.create({
        data: {
          mongoId,
          networkId,
          syncedAt,
          removedAt,
          broadstreetId: broadstreetId ?? 800_000 + i,
          advertiserId: advertisers[(i * 5) % 24]!.id,
          name: `Ad ${i}`,
          type: i % 2 ? 'StaticAdvertisement' : 'HtmlAdvertisement',
          previewUrl: i % 3 ? null : `https://example.com/p/${i}`,
        },
      }),
    );
  }
  for (const i of rows) {
    const { broadstreetId: _none, ...placementState } = states(i);
    await db().placement.create({
      data: {
        ...placementState,
        campaignId: campaigns[(i * 7) % 24]!.id,
        advertisementId: ads[i]!.id,
        zoneId: zones[(i * 11) % 24]!.id,
        restrictions: i % 2 ? ['desktop', 'mobile'] : [],
      },
    });
  }
  // Written by plain SQL: createdAt from the column default (CURRENT_TIMESTAMP text on SQLite, no zone).
  await db()
    .$executeRaw`INSERT INTO "Zone" ("mongoId", "networkId", "name", "updatedAt") VALUES (${newMongoId()}, ${network.id}, ${'By SQL'}, ${at(30)})`;
  const run = await db().syncRun.create({
    data: { networkId: NETWORK, direction: 'EXPORT', entityTypes: [], status: 'PARTIAL', counts: {} },
  });
  const errored = [advertisers[2]!, zones[4]!, campaigns[6]!, ads[8]!];
  await db().syncError.createMany({
    data: [
      ...errored.map((e, n) => ({
        runId: run.id,
        entityType: ['ADVERTISER', 'ZONE', 'CAMPAIGN', 'ADVERTISEMENT'][n]!,
        mongoId: e.mongoId,
        code: 'VALIDATION',
        message: 'bad',
        retryable: false,
      })),
      {
        runId: run.id,
        entityType: 'PLACEMENT',
        mongoId: (await db().placement.findFirstOrThrow({ where: { id: { gt: 3 } } })).mongoId,
        code: 'VALIDATION',
        message: 'bad',
        retryable: false,
      },
    ],
  });
}

/** The raw response body of an operation, with the JOIN off and on, and the statements each ran. */
async function bothPaths(t: TestApp, query: string, variables: Record<string, unknown>) {
  const send = async (hot: boolean) => {
    useHotReads(hot);
    const statements: string[] = [];
    const stop = observeQueries((event) => statements.push(event.query));
    try {
      const response = await fetch(`${t.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query, variables }),
      });
      return { body: await response.text(), statements };
    } finally {
      stop();
      useHotReads(true);
    }
  };
  const prisma = await send(false);
  const hot = await send(true);
  return { prisma, hot };
}

/**
 * A response body with every object's keys sorted, values kept as served.
 * Sibling fields that resolve asynchronously (a connection's totalCount and
 * its edges) are written in the order they settle (@graphql-tools/executor's
 * promiseForObject), on either path and from one request to the next: the
 * bytes within each object are compared, not that order.
 */
function canonical(body: string): string {
  const sorted = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(sorted)
      : value && typeof value === 'object'
        ? Object.fromEntries(
            Object.entries(value)
              .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
              .map(([k, v]) => [k, sorted(v)]),
          )
        : value;
  return JSON.stringify(sorted(JSON.parse(body)));
}

const LIST_TYPES = ['advertisers', 'zones', 'campaigns', 'advertisements', 'placements'] as const;
const SYNC_STATES = [undefined, 'ALL', 'LOCAL', 'SYNCED', 'CHANGED', 'CONFLICT'];

/** A small page of a root list with every filter the field takes, forwards or backwards. */
function filteredPage(type: (typeof LIST_TYPES)[number], page: string, filters: string) {
  const fields = type === 'placements' ? 'restrictions campaign { name } zone { alias }' : 'name';
  return `query ($networkId: Int!, $after: String, $before: String) {
    list: ${type}(networkId: $networkId, ${page}, after: $after, before: $before${filters}) {
      totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      edges { cursor node { id mongoId syncedAt syncStatus ${fields} } }
    }
  }`;
}

describe.skipIf(!!skip)(`hand-written list reads on ${TEST_PROVIDER}`, () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
    await seed();
  });
  afterAll(async () => {
    useHotReads(true);
    await t?.stop();
  });

  it('serves the placement page value for value as Prisma does, in one JOIN instead of a statement per relation', async () => {
    const { prisma, hot } = await bothPaths(t, PLACEMENT_PAGE, { networkId: NETWORK });
    expect(JSON.parse(hot.body).errors).toBeUndefined();
    expect(JSON.parse(hot.body).data.placements.edges.length).toBeGreaterThan(10);
    expect(canonical(hot.body)).toBe(canonical(prisma.body));
    expect(hot.statements.filter((s) => s.includes('LEFT JOIN'))).toHaveLength(1);
    // Prisma: network, placements, campaigns, advertisements, zones, advertisers, count. The JOIN: network, page, count.
    expect({ prisma: prisma.statements.length, hot: hot.statements.length }).toEqual({ prisma: 7, hot: 3 });
  });

  it('reads of a joined parent only the columns the operation selects on it, and its whole row for a computed field', async () => {
    const page = (node: string, fragments = '') =>
      `query ($networkId: Int!) { placements(networkId: $networkId, first: 30) { edges { node { ${node} } } } } ${fragments}`;
    /** The columns the JOIN reads of each table, by model. */
    const columnsRead = (statements: string[]) => {
      const join = statements.find((s) => s.includes('LEFT JOIN'))!;
      const aliases = new Map([
        ['t0', 'Placement'],
        ...[...join.matchAll(/JOIN (?:"\w+"\.)?"(\w+)" AS (t\d+)/g)].map((m) => [m[2]!, m[1]!] as const),
      ]);
      const read: Record<string, string[]> = {};
      for (const [, alias, column] of join.matchAll(/(t\d+)\."(\w+)" AS "c\d+"/g)) (read[aliases.get(alias!)!] ??= []).push(column!);
      return Object.fromEntries(Object.entries(read).map(([model, columns]) => [model, columns.sort()]));
    };
    const WHOLE = expect.arrayContaining([
      'base',
      'conflict',
      'conflictAt',
      'createdAt',
      'deletedAt',
      'id',
      'mongoId',
      'syncedAt',
      'updatedAt',
    ]);
    const cases: [string, Record<string, unknown>][] = [
      [entityListQuery('placements'), { Campaign: ['id', 'name'], Advertisement: ['id', 'name'], Zone: ['id', 'name'] }],
      // The placement page: every parent read for what it selects.
      [
        PLACEMENT_PAGE,
        {
          Campaign: ['broadstreetId', 'endDate', 'id', 'mongoId', 'name', 'startDate', 'weight'],
          Advertiser: ['broadstreetId', 'id', 'name'],
          Advertisement: ['broadstreetId', 'id', 'name', 'previewUrl', 'type'],
          Zone: ['alias', 'broadstreetId', 'id', 'name'],
        },
      ],
      // Aliases, a named fragment, an inline one and @skip: every field named counts.
      [
        page(
          'mongoId a: campaign { name } b: campaign { ...Dates } zone { __typename ... on Zone { alias @skip(if: true) } }',
          'fragment Dates on Campaign { startDate endDate }',
        ),
        { Campaign: ['endDate', 'id', 'name', 'startDate'], Zone: ['alias', 'id'] },
      ],
      // A computed field (syncStatus reads the dates and base): the whole row.
      [page('campaign { name syncStatus } zone { name }'), { Campaign: WHOLE, Zone: ['id', 'name'] }],
      // The global id encodes the id column alone (the placement page selects it on every parent).
      [page('zone { id name } campaign { id advertiser { id } }'), { Zone: ['id', 'name'], Campaign: ['id'], Advertiser: ['id'] }],
      [page('zone { id syncErrors { code } }'), { Zone: WHOLE }],
      // broadstreetId, an interface field, reads its column alone too.
      [
        page('campaign { broadstreetId name } zone { id broadstreetId }'),
        { Campaign: ['broadstreetId', 'id', 'name'], Zone: ['broadstreetId', 'id'] },
      ],
      // A joined grandparent: read the same way.
      [page('campaign { name advertiser { name webHomeUrl } }'), { Campaign: ['id', 'name'], Advertiser: ['id', 'name', 'webHomeUrl'] }],
      [page('campaign { advertiser { name mongoId syncErrors { code } } }'), { Campaign: ['id'], Advertiser: WHOLE }],
    ];
    for (const [query, parents] of cases) {
      const { prisma, hot } = await bothPaths(t, query, { networkId: NETWORK });
      expect(JSON.parse(hot.body).errors, query).toBeUndefined();
      expect((Object.values(JSON.parse(hot.body).data)[0] as { edges: unknown[] }).edges.length).toBeGreaterThan(10);
      expect(canonical(hot.body), query).toBe(canonical(prisma.body));
      const { Placement: root, ...read } = columnsRead(hot.statements);
      expect(root, 'the listed rows are whole').toEqual(WHOLE);
      expect(read, query).toEqual(parents);
    }
  });

  it.each(LIST_TYPES.flatMap((type) => SYNC_STATES.map((state) => [type, state] as const)))(
    'serves the dashboard list of %s (syncState %s) value for value',
    async (type, syncState) => {
      const variables = type === 'advertisements' ? { networkId: NETWORK } : { networkId: NETWORK, syncState };
      const { prisma, hot } = await bothPaths(t, entityListQuery(type), variables);
      expect(JSON.parse(hot.body).errors).toBeUndefined();
      expect(canonical(hot.body)).toBe(canonical(prisma.body));
      expect(hot.statements.length).toBeLessThanOrEqual(prisma.statements.length);
    },
  );

  it('serves the dashboard local entities value for value, and an unknown network’s error the same way', async () => {
    const local = await bothPaths(t, LOCAL_ENTITIES, { networkId: NETWORK });
    expect(JSON.parse(local.hot.body).data.localEntities.total).toBeGreaterThan(0);
    expect(canonical(local.hot.body)).toBe(canonical(local.prisma.body));
    const missing = await bothPaths(t, entityListQuery('placements'), { networkId: 1 });
    expect(JSON.parse(missing.hot.body).errors).toHaveLength(1);
    expect(canonical(missing.hot.body)).toBe(canonical(missing.prisma.body));
    const empty = await bothPaths(t, PLACEMENT_PAGE, { networkId: EMPTY_NETWORK });
    expect(JSON.parse(empty.hot.body).data.placements.totalCount).toBe(0);
    expect(canonical(empty.hot.body)).toBe(canonical(empty.prisma.body));
  });

  it.each(
    LIST_TYPES.flatMap((type) =>
      [
        ', includeRemoved: false',
        ...(type === 'advertisements' ? [] : [', includeDeleting: true']),
        ', hasSyncErrors: true',
        ', hasSyncErrors: false, includeRemoved: false',
        ', orderBy: { field: UPDATED_AT, direction: DESC }',
        ...(type === 'placements' ? [', zone: { broadstreetId: 900001 }'] : [', search: "1"']),
      ].map((filters) => [type, filters] as const),
    ),
  )('pages through %s (%s) forwards and backwards value for value', async (type, filters) => {
    let after: string | null = null;
    let pages = 0;
    do {
      const { prisma, hot } = await bothPaths(t, filteredPage(type, 'first: 4', filters), { networkId: NETWORK, after });
      const body = JSON.parse(hot.body);
      expect(body.errors).toBeUndefined();
      expect(canonical(hot.body)).toBe(canonical(prisma.body));
      after = body.data.list.pageInfo.hasNextPage ? body.data.list.pageInfo.endCursor : null;
      pages += 1;
    } while (after && pages < 10);
    const first = JSON.parse((await bothPaths(t, filteredPage(type, 'first: 3', filters), { networkId: NETWORK })).hot.body);
    const before = first.data.list.pageInfo.endCursor;
    for (const variables of [{ networkId: NETWORK }, { networkId: NETWORK, before }]) {
      const { prisma, hot } = await bothPaths(t, filteredPage(type, 'last: 2', filters), variables);
      expect(JSON.parse(hot.body).errors).toBeUndefined();
      expect(canonical(hot.body)).toBe(canonical(prisma.body));
    }
  });

  it('returns the rows findMany returns for the same arguments, and goes to Prisma for what it does not write', async () => {
    const network = await db().network.findUniqueOrThrow({ where: { broadstreetId: NETWORK } });
    const errored = (await db().syncError.findMany()).map((e) => e.mongoId!);
    const HAND_WRITTEN = 11;
    const cases: [HotModel, Record<string, unknown>][] = [
      [
        'placement',
        {
          where: { networkId: network.id },
          include: { campaign: { include: { advertiser: true } }, advertisement: true, zone: true },
          orderBy: [{ id: 'asc' }],
          take: 51,
        },
      ],
      [
        'placement',
        { where: { AND: [{ networkId: network.id, syncedAt: { not: null } }, { id: { gt: 3 } }] }, orderBy: { id: 'asc' }, take: -3 },
      ],
      ['placement', { where: { networkId: network.id, id: { in: [] } }, include: { network: true }, orderBy: { id: 'asc' } }],
      [
        'campaign',
        {
          where: { networkId: network.id, id: { notIn: [1, 2, 3] }, removedAt: null },
          include: { advertiser: true, network: true },
          orderBy: [{ id: 'desc' }],
          take: 5,
        },
      ],
      ['advertiser', { where: { networkId: network.id, broadstreetId: null }, orderBy: { id: 'asc' } }],
      ['zone', { where: { networkId: network.id, deletedAt: null, id: { lte: 10, gte: 2 } }, orderBy: [{ id: 'desc' }], take: 4 }],
      [
        'advertisement',
        { where: { networkId: network.id }, include: { advertiser: { include: { network: true } } }, orderBy: { id: 'asc' } },
      ],
      ['network', { where: { broadstreetId: { in: [NETWORK, EMPTY_NETWORK, 1] } }, orderBy: { id: 'asc' } }],
      ['zone', { where: { networkId: network.id, broadstreetId: { in: [900_001, 900_002, 900_005] } }, orderBy: { id: 'asc' } }],
      ['zone', { where: { networkId: network.id }, orderBy: { id: 'desc' }, take: 2 }],
      ['syncError', { where: { mongoId: { in: [...errored, newMongoId()] } }, orderBy: { id: 'desc' } }],
      // Not written by hand (from HAND_WRITTEN on): NOT IN on a nullable column, a to-many include, a select, a date, an OR, a name order.
      ['advertiser', { where: { networkId: network.id }, include: { campaigns: true }, take: 3 }],
      ['zone', { where: { networkId: network.id }, select: { id: true, name: true } }],
      ['campaign', { where: { networkId: network.id, syncedAt: { gt: new Date(Date.UTC(2026, 0, 2, 10)) } } }],
      ['placement', { where: { OR: [{ removedAt: null }, { deletedAt: null }] } }],
      ['advertiser', { where: { networkId: network.id }, orderBy: [{ name: 'desc' }, { id: 'desc' }], take: 5 }],
      ['zone', { where: { networkId: network.id, broadstreetId: { notIn: [900_001] } }, orderBy: { id: 'asc' } }],
    ];
    for (const [n, [model, args]] of cases.entries()) {
      const delegate = db()[model] as unknown as { findMany(a: object): Promise<unknown[]>; count(a: object): Promise<number> };
      const expected = await delegate.findMany(args);
      const statements: string[] = [];
      const stop = observeQueries((event) => statements.push(event.query));
      const actual = await findPage(db(), model, args).finally(stop);
      expect(
        statements.some((s) => s.includes(' AS t0')),
        `hand-written: ${model} ${JSON.stringify(args)}`,
      ).toBe(n < HAND_WRITTEN);
      expect(actual, `${model} ${JSON.stringify(args)}`).toEqual(expected);
      expect(await countRows(db(), model, args.where)).toBe(await delegate.count({ where: args.where }));
    }
  });
});
