// The start-up warm-up (issue 18): read-only queries through the schema and
// the query compiler, over its own HTTP once it listens and before start-up
// resolves. It runs on an empty database
// without failing start-up, runs the network-shaped queries once a network
// exists, writes nothing, and counts in no operation metric.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { newMongoId } from '../../src/domain/ids.ts';
import { overHttp, WARM_UP_PASSES, warmUp } from '../../src/http/warm-up.ts';
import { registry } from '../../src/observability/metrics.ts';
import { observeQueries } from '../../src/db/query-events.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { databaseSkipReason } from '../helpers/database.ts';

const skip = databaseSkipReason();

const operationCount = async () =>
  ((await registry.getSingleMetricAsString('broadsync_graphql_operation_duration_seconds').catch(() => '')) ?? '')
    .split('\n')
    .filter((line) => line.includes('_count{') && line.includes('BroadsyncWarmUp')).length;

describe.skipIf(!!skip)('GraphQL warm-up at start-up', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t?.stop());

  it('on an empty database: the networks query only, and the server serves', async () => {
    // A generous budget: a loaded machine must not turn this into the budget's test.
    const result = await warmUp(t.app.yoga, t.services, 30_000);
    expect(result).toMatchObject({ operations: 1, skipped: 'no network in the database' });
    const answer = await t.graphql('{ networksConnection(first: 1) { totalCount } }');
    expect(answer.data).toEqual({ networksConnection: { totalCount: 0 } });
  });

  it('with a network: its placements and runs too, reading only, outside the operation metrics', async () => {
    await t.services.db.network.create({ data: { mongoId: newMongoId(), broadstreetId: 4242, name: 'W', syncedAt: new Date() } });
    const statements: string[] = [];
    const stop = observeQueries((event) => statements.push(event.query));
    let result;
    try {
      result = await warmUp(t.app.yoga, t.services, 30_000);
    } finally {
      stop();
    }
    expect(result).toMatchObject({ operations: 1 + WARM_UP_PASSES });
    expect(result.skipped).toBeUndefined();
    expect(statements.length).toBeGreaterThan(2);
    expect(statements.filter((sql) => /^\s*(INSERT|UPDATE|DELETE)\b/i.test(sql))).toEqual([]);
    expect(await operationCount()).toBe(0);
  });

  it('past its budget, start-up stops waiting and no further warm-up query starts', async () => {
    const statements: string[] = [];
    const stop = observeQueries((event) => statements.push(event.query));
    try {
      const result = await warmUp(t.app.yoga, t.services, 0);
      expect(result.skipped).toBe('past its 0 ms budget');
      expect(result.operations).toBeLessThanOrEqual(1);
      const soon = statements.length;
      // What was in flight finishes; nothing after it (the network lookup, the pages) is sent.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(statements.length - soon).toBeLessThanOrEqual(2);
      expect(statements.some((sql) => /"Placement"/.test(sql))).toBe(false);
    } finally {
      stop();
    }
  });
});

describe.skipIf(!!skip)('the start-up warm-up over HTTP on a server with API_TOKENS', () => {
  const token = 'c'.repeat(40);
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ API_TOKENS: `${token}:read` });
  });
  afterAll(() => t?.stop());

  it('passes the access check with a configured token: its networks query was answered', () => {
    // An empty database: the networks query only (a refused one would count 0 operations).
    expect(t.app.warmedUp()).toMatchObject({ operations: 1, skipped: 'no network in the database' });
  });

  it('its header without the process key opens nothing: the request needs a token as any other', async () => {
    const response = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-broadsync-warm-up': 'guessed' },
      body: JSON.stringify({ query: '{ networksConnection(first: 1) { totalCount } }' }),
    });
    expect(response.status).toBe(401);
    expect(await response.text()).not.toContain('totalCount');
    const answer = await t.graphql('{ networksConnection(first: 1) { totalCount } }', undefined, { authorization: `Bearer ${token}` });
    expect(answer.data).toEqual({ networksConnection: { totalCount: 0 } });
  });

  it('its operations at start-up count in no operation metric', async () => {
    expect(await operationCount()).toBe(0);
  });

  it('a warm-up refused (here: a wrong token) warms nothing and says so at warn level', async () => {
    const warn = vi.spyOn(t.services.logger, 'warn');
    try {
      const result = await warmUp(t.app.yoga, t.services, 30_000, overHttp(t.url, { authorization: 'Bearer wrong' }));
      expect(result.operations).toBe(0);
      expect(warn).toHaveBeenCalledWith({ firstError: 'HTTP 401' }, expect.stringContaining('answered with errors'));
    } finally {
      warn.mockRestore();
    }
  });
});
