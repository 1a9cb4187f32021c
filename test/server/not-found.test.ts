// An unknown network or run answers the same everywhere: null for a lookup
// field, a typed NotFoundError member for a mutation, a GraphQL error with
// extensions.code NOT_FOUND for a list argument or a subscription. Every
// field that takes a network id or a run id is walked here; the schema check
// at the end fails when one is added without being walked.
import { encodeGlobalID } from '@pothos/plugin-relay';
import { isInputObjectType, isNonNullType, isObjectType, type GraphQLNamedType } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schema } from '../../src/graphql/schema.ts';
import { collect, startTestApp, type TestApp } from '../helpers/app.ts';
import { databaseSkipReason, TEST_PROVIDER } from '../helpers/database.ts';
import { db } from '../helpers/db.ts';
import { seedNetwork } from '../helpers/seed.ts';

const skip = databaseSkipReason();
if (skip) console.warn(`skipped: ${skip}`);

const UNKNOWN = 999;
const RUN = encodeGlobalID('SyncRun', 9999);
const NETWORK_NODE = encodeGlobalID('Network', 9999);

/** Lookups: null. */
const LOOKUPS: Record<string, string> = {
  'Query.network': `{ network(ref: { broadstreetId: ${UNKNOWN} }) { name } }`,
  'Query.syncRun': `{ syncRun(id: "${RUN}") { id } }`,
  'Query.node': `{ node(id: "${RUN}") { id } }`,
  'Query.node(Network)': `{ node(id: "${NETWORK_NODE}") { id } }`,
};

/** Lists (and the localEntities summary) naming a network: a NOT_FOUND error. */
const LISTS: Record<string, string> = {
  'Query.advertisers': `{ advertisers(networkId: ${UNKNOWN}) { totalCount } }`,
  'Query.zones': `{ zones(networkId: ${UNKNOWN}) { totalCount } }`,
  'Query.campaigns': `{ campaigns(networkId: ${UNKNOWN}) { totalCount } }`,
  'Query.advertisements': `{ advertisements(networkId: ${UNKNOWN}) { totalCount } }`,
  'Query.placements': `{ placements(networkId: ${UNKNOWN}) { totalCount } }`,
  'Query.localEntities': `{ localEntities(networkId: ${UNKNOWN}) { total } }`,
  'Query.syncRuns': `{ syncRuns(networkId: ${UNKNOWN}) { totalCount } }`,
};

/** Mutations naming a network or a run: a NotFoundError member. */
const MUTATIONS: Record<string, [string, string]> = {
  'Mutation.createAdvertiser': [`createAdvertiser(input: { networkId: ${UNKNOWN}, name: "X" })`, 'NETWORK'],
  'Mutation.createZone': [`createZone(input: { networkId: ${UNKNOWN}, name: "X" })`, 'NETWORK'],
  'Mutation.relinkNetwork': [`relinkNetwork(input: { networkId: ${UNKNOWN} })`, 'NETWORK'],
  'Mutation.startSync(EXPORT)': [`startSync(input: { networkId: ${UNKNOWN}, direction: EXPORT })`, 'NETWORK'],
  'Mutation.startSync(IMPORT dry run)': [`startSync(input: { networkId: ${UNKNOWN}, direction: IMPORT, dryRun: true })`, 'NETWORK'],
  'Mutation.startSync(IMPORT without NETWORK)': [
    `startSync(input: { networkId: ${UNKNOWN}, direction: IMPORT, entityTypes: [ADVERTISER] })`,
    'NETWORK',
  ],
  'Mutation.startSync(retryOf)': [`startSync(input: { networkId: 85, direction: EXPORT, retryOf: "${RUN}" })`, ''],
  'Mutation.cancelSync(input)': [`cancelSync(input: { runId: "${RUN}" })`, ''],
  'Mutation.cancelSync(runId)': [`cancelSync(runId: "${RUN}")`, ''],
  'Mutation.createSyncSchedule': [`createSyncSchedule(input: { networkId: ${UNKNOWN}, direction: EXPORT, every: "PT15M" })`, 'NETWORK'],
};

/** Subscriptions naming a run: a NOT_FOUND error. */
const SUBSCRIPTIONS: Record<string, string> = {
  'Subscription.syncProgress': `subscription { syncProgress(runId: "${RUN}") { seq } }`,
  'Subscription.syncSummaryChanged': `subscription { syncSummaryChanged(networkId: ${UNKNOWN}) { localCount } }`,
};

describe.skipIf(!!skip)(`an unknown network or run on ${TEST_PROVIDER}`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    await seedNetwork(85, 'Known Network');
  });
  afterAll(() => t?.stop());

  it.each(Object.entries(LOOKUPS))('%s answers null', async (_field, query) => {
    const result = await t.graphql(query);
    expect(result.errors).toBeUndefined();
    expect(Object.values(result.data!)).toEqual([null]);
  });

  it.each(Object.entries(LISTS))('%s is a GraphQL error with extensions.code NOT_FOUND', async (_field, query) => {
    const result = await t.graphql(query);
    expect(result.data).toBeNull();
    expect(result.errors).toEqual([
      expect.objectContaining({
        message: expect.stringMatching(/network 999 is not in the local database/),
        extensions: { code: 'NOT_FOUND' },
      }),
    ]);
  });

  it.each(Object.entries(MUTATIONS))('%s answers a NotFoundError member and writes nothing', async (_field, [call, entityType]) => {
    const before = await Promise.all([db().syncRun.count(), db().zone.count(), db().advertiser.count()]);
    const result = await t.graphql(`mutation { result: ${call} { __typename ... on NotFoundError { message entityType } } }`);
    expect(result.errors).toBeUndefined();
    expect(result.data!.result).toMatchObject({ __typename: 'NotFoundError', entityType: entityType || null });
    expect(await Promise.all([db().syncRun.count(), db().zone.count(), db().advertiser.count()])).toEqual(before);
  });

  it.each(Object.entries(SUBSCRIPTIONS))('%s is a GraphQL error with extensions.code NOT_FOUND', async (_field, query) => {
    const results = await collect<{ errors?: { extensions?: unknown }[] }>(t.wsClient(), query);
    expect(results).toEqual([{ errors: [expect.objectContaining({ extensions: { code: 'NOT_FOUND' } })] }]);
  });

  it('a network with runs but no row (its first import failed) still lists them', async () => {
    await db().syncRun.create({ data: { networkId: 77, direction: 'IMPORT', status: 'FAILED', entityTypes: [], counts: {} } });
    expect(await t.graphql('{ syncRuns(networkId: 77) { totalCount } }')).toEqual({ data: { syncRuns: { totalCount: 1 } } });
  });

  it('walks every root field that takes a network id or a run id (a new one must be added here)', () => {
    const walked = new Set([...Object.keys(LOOKUPS), ...Object.keys(LISTS), ...Object.keys(MUTATIONS), ...Object.keys(SUBSCRIPTIONS)]);
    const walkedFields = new Set([...walked].map((name) => name.replace(/\(.*\)$/, '')));
    const named = (type: GraphQLNamedType | undefined, depth = 0): boolean => {
      if (!type || !isInputObjectType(type) || depth > 2) return false;
      return Object.values(type.getFields()).some((f) => isIdField(f.name) || named(unwrap(f.type), depth + 1));
    };
    const missing: string[] = [];
    for (const root of [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()]) {
      if (!root || !isObjectType(root)) continue;
      for (const field of Object.values(root.getFields())) {
        const takesOne = field.args.some(
          (a) => isIdField(a.name) || (a.name === 'id' && field.name.startsWith('syncRun')) || named(unwrap(a.type)),
        );
        if (takesOne && !walkedFields.has(`${root.name}.${field.name}`)) missing.push(`${root.name}.${field.name}`);
      }
    }
    expect(missing).toEqual([]);
  });
});

const isIdField = (name: string) => name === 'networkId' || name === 'runId' || name === 'retryOf';

function unwrap(type: unknown): GraphQLNamedType | undefined {
  let current = type as { ofType?: unknown };
  while (current && 'ofType' in current && current.ofType) current = current.ofType as { ofType?: unknown };
  return isNonNullType(current) ? undefined : (current as GraphQLNamedType);
}
