// No N+1: a nested query over many placements costs the same few SQL
// statements as one over a handful.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '../helpers/db.ts';
import { observeQueries } from '../../src/db/query-events.ts';
import { newMongoId } from '../../src/domain/ids.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { databaseSkipReason, TEST_PROVIDER } from '../helpers/database.ts';
import { seedNetwork } from '../helpers/seed.ts';

const skip = databaseSkipReason();
if (skip) console.warn(`skipped: ${skip}`);

const IDS = 'id mongoId broadstreetId syncErrors { code message }';
const NESTED = `query ($networkId: Int!) {
  placements(networkId: $networkId, first: 500) {
    totalCount
    edges { cursor node {
      ${IDS} restrictions
      campaign { ${IDS} name weight advertiser { ${IDS} name network { name } } }
      advertisement { ${IDS} name advertiser { ${IDS} name } }
      zone { ${IDS} name network { name } }
    } }
  }
}`;

/** A network with `size` placements, each with its own campaign, advertiser, zone and advertisement. */
async function seedPlacements(broadstreetNetworkId: number, size: number) {
  const network = await seedNetwork(broadstreetNetworkId);
  const base = broadstreetNetworkId * 10_000;
  const rows = Array.from({ length: size }, (_, i) => i);
  const common = (i: number) => ({ mongoId: newMongoId(), broadstreetId: base + i, networkId: network.id, syncedAt: new Date() });
  const advertisers = await db().advertiser.createManyAndReturn({
    data: rows.map((i) => ({ ...common(i), name: `Advertiser ${i}`, admins: [] })),
  });
  const zones = await db().zone.createManyAndReturn({ data: rows.map((i) => ({ ...common(i), name: `Zone ${i}` })) });
  const campaigns = await db().campaign.createManyAndReturn({
    data: rows.map((i) => ({ ...common(i), name: `Campaign ${i}`, advertiserId: advertisers[i]!.id })),
  });
  const ads = await db().advertisement.createManyAndReturn({
    data: rows.map((i) => ({ ...common(i), name: `Ad ${i}`, advertiserId: advertisers[i]!.id })),
  });
  await db().placement.createMany({
    data: rows.map((i) => ({
      mongoId: newMongoId(),
      networkId: network.id,
      campaignId: campaigns[i]!.id,
      advertisementId: ads[i]!.id,
      zoneId: zones[i]!.id,
      restrictions: ['desktop'],
    })),
  });
  const run = await db().syncRun.create({
    data: { networkId: broadstreetNetworkId, direction: 'EXPORT', entityTypes: [], status: 'PARTIAL', counts: {} },
  });
  await db().syncError.createMany({
    data: campaigns.map((c) => ({
      runId: run.id,
      entityType: 'CAMPAIGN',
      mongoId: c.mongoId,
      code: 'VALIDATION',
      message: 'bad',
      retryable: false,
    })),
  });
}

async function countStatements(t: TestApp, networkId: number) {
  const statements: string[] = [];
  const stop = observeQueries((event) => statements.push(event.query));
  try {
    const result = await t.graphql(NESTED, { networkId });
    expect(result.errors).toBeUndefined();
    return { statements, placements: result.data!.placements };
  } finally {
    stop();
  }
}

describe.skipIf(!!skip)(`nested queries on ${TEST_PROVIDER}`, () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
    await seedPlacements(10, 10);
    await seedPlacements(100, 100);
  });
  afterAll(() => t?.stop());

  it('load 100 placements with campaign, advertiser, zone and advertisement in a few statements, as many as for 10', async () => {
    const small = await countStatements(t, 10);
    const large = await countStatements(t, 100);

    expect(large.placements.totalCount).toBe(100);
    expect(large.placements.edges).toHaveLength(100);
    const last = large.placements.edges[99].node;
    expect(last.campaign.advertiser.name).toBe('Advertiser 99');
    expect(last.advertisement.advertiser.name).toBe('Advertiser 99');
    expect(last.zone.name).toBe('Zone 99');
    expect(last.campaign.syncErrors).toEqual([{ code: 'VALIDATION', message: 'bad' }]);

    const listing = large.statements.map((s) => s.slice(0, 100)).join('\n');
    // Measured: 11 — network, placements, campaigns, advertisers (twice: under campaigns and under
    // advertisements), advertisements, zones, networks (twice), sync errors (one batch), count.
    expect(large.statements, listing).toHaveLength(small.statements.length);
    expect(large.statements.length, listing).toBeLessThanOrEqual(12);
  });

  it('a full page of 500 placements with every level’s sync errors (more ids than one statement may bind)', async () => {
    await seedPlacements(600, 600);
    const result = await t.graphql(NESTED, { networkId: 600 });
    expect(result.errors).toBeUndefined();
    expect(result.data!.placements.edges).toHaveLength(500);
  });

  it('a filtered list looks its filters up once for its page and its totalCount together', async () => {
    const statements: string[] = [];
    const stop = observeQueries((event) => statements.push(event.query));
    const result = await t.graphql(
      '{ placements(networkId: 100, campaign: { broadstreetId: 1000005 }, zone: { broadstreetId: 1000005 ' +
        '}) { totalCount edges { node { mongoId } } } }',
    );
    stop();
    expect(result.data!.placements.totalCount).toBe(1);
    const from = (table: string) =>
      statements.filter((s) => new RegExp(`^SELECT .* FROM [^ ]*${table}[^ ]*( AS t0)? WHERE`).test(s)).length;
    expect({ campaign: from('Campaign'), zone: from('Zone'), network: from('Network'), total: statements.length }).toEqual({
      campaign: 1,
      zone: 1,
      network: 1,
      total: 5,
    });
  });
});
