// /metrics: the values move as sync runs happen — runs by status, entity
// outcomes, errors by code, Broadstreet requests by endpoint and status,
// retries, limiter waits, live subscriptions, GraphQL operation times.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp } from '../helpers/app.ts';
import { localAdvertiser, networkRow } from '../helpers/local-entities.ts';
import { db } from '../helpers/db.ts';
import { countsByType, gqlData, startSyncEnv, type SyncEnv } from '../helpers/sync.ts';
import { scrape, wsClient } from './helpers.ts';

const NETWORK = 85;

describe('metrics', () => {
  let env: SyncEnv;
  beforeAll(async () => {
    env = await startSyncEnv({ size: 'tiny', latencyMs: 20 }, { BROADSTREET_RETRY_BASE_MS: '5' });
  });
  afterAll(() => env?.stop());

  it('serve the Prometheus text format', async () => {
    const response = await fetch(`${env.server.url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    for (const name of [
      'broadsync_sync_runs_total',
      'broadsync_sync_entity_operations_total',
      'broadsync_sync_errors_total',
      'broadsync_broadstreet_request_duration_seconds',
      'broadsync_broadstreet_retries_total',
      'broadsync_broadstreet_rate_limiter_wait_seconds',
      'broadsync_graphql_active_subscriptions',
      'broadsync_graphql_operation_duration_seconds',
      'broadsync_process_cpu_seconds_total',
    ]) {
      expect(text).toContain(`# TYPE ${name} `);
    }
  });

  it(
    'count an import: the run, its entities, its Broadstreet requests (ids templated), a retry, limiter ' + 'waits, the live subscription',
    async () => {
      const before = await scrape(env.server.url);
      env.emulator.faults.script({ kind: '5xx', count: 1, endpoint: 'GET /zones' });

      const started = await env.startSync({ networkId: NETWORK, direction: 'IMPORT' });
      const runId = started.run.id as string;
      const client = wsClient(env.server.url);
      let during: Promise<Awaited<ReturnType<typeof scrape>>> | undefined;
      await new Promise<void>((resolve, reject) => {
        client.subscribe(
          { query: `subscription ($runId: ID!) { syncProgress(runId: $runId) { seq status } }`, variables: { runId } },
          {
            // The first event: the subscription is live, the run not yet over.
            next: () => void (during ??= scrape(env.server.url)),
            error: reject,
            complete: resolve,
          },
        );
      });
      await client.dispose();
      const run = await env.run(runId);
      expect(run.status).toBe('SUCCEEDED');
      await new Promise((resolve) => setTimeout(resolve, 50));
      const after = await scrape(env.server.url);
      const delta = (name: string, labels?: Record<string, string>) => after(name, labels) - before(name, labels);

      expect(delta('broadsync_sync_runs_total', { status: 'SUCCEEDED' })).toBe(1);
      const counts = countsByType(run);
      for (const [entityType, byResult] of Object.entries(counts)) {
        for (const [result, n] of Object.entries(byResult)) {
          expect(delta('broadsync_sync_entity_operations_total', { entity_type: entityType, result }), `${entityType} ${result}`).toBe(n);
        }
      }
      expect(counts.ADVERTISER!.created).toBeGreaterThan(0);

      const requests = (endpoint: string, status: string) =>
        delta('broadsync_broadstreet_request_duration_seconds_count', { endpoint, status });
      // Network 85 from the network list, which also names 131 of its group; some of 85's placements name zones of 131: its zone list.
      expect(requests('GET /networks/{id}', '200')).toBe(0);
      expect(requests('GET /networks', '200')).toBe(1);
      expect(requests('GET /advertisers', '200')).toBe(1);
      expect(requests('GET /zones', '503')).toBe(1);
      expect(requests('GET /zones', '200')).toBe(2);
      expect(delta('broadsync_broadstreet_retries_total', { endpoint: 'GET /zones', code: 'NETWORK' })).toBe(1);
      // Every attempt waited for the limiter once.
      const attempts =
        after.sum('broadsync_broadstreet_request_duration_seconds_count') -
        before.sum('broadsync_broadstreet_request_duration_seconds_count');
      expect(attempts).toBeGreaterThanOrEqual(5);
      expect(delta('broadsync_broadstreet_rate_limiter_wait_seconds_count')).toBe(attempts);

      const live = await during!;
      expect(live('broadsync_graphql_active_subscriptions') - before('broadsync_graphql_active_subscriptions')).toBe(1);
      expect(after('broadsync_graphql_active_subscriptions')).toBe(before('broadsync_graphql_active_subscriptions'));
      expect(delta('broadsync_graphql_operation_duration_seconds_count', { operation_type: 'mutation', operation_name: 'anonymous' })).toBe(
        1,
      );
    },
  );

  it('count a partial export: the run as PARTIAL, the failed entity and its error code, its requests (ids templated)', async () => {
    const network = await networkRow(NETWORK);
    await localAdvertiser(network.id, '   ');
    await localAdvertiser(network.id, 'Metrics Advertiser');
    // An imported advertiser renamed here: the export sends PUT /advertisers/{its id}.
    const synced = await db().advertiser.findFirstOrThrow({
      where: { networkId: network.id, broadstreetId: { not: null } },
      orderBy: { broadstreetId: 'asc' },
    });
    const renamed = await gqlData(env, `mutation ($input: UpdateAdvertiserInput!) { updateAdvertiser(input: $input) { __typename } }`, {
      input: { advertiser: { mongoId: synced.mongoId }, name: 'Metrics Renamed' },
    });
    expect(renamed.updateAdvertiser).toEqual({ __typename: 'UpdateAdvertiserPayload' });
    const before = await scrape(env.server.url);
    const { run } = await env.sync({ networkId: NETWORK, direction: 'EXPORT' });
    expect(run.status).toBe('PARTIAL');
    const after = await scrape(env.server.url);
    const delta = (name: string, labels?: Record<string, string>) => after(name, labels) - before(name, labels);
    expect(delta('broadsync_sync_runs_total', { status: 'PARTIAL' })).toBe(1);
    expect(delta('broadsync_sync_runs_total', { status: 'SUCCEEDED' })).toBe(0);
    expect(delta('broadsync_sync_entity_operations_total', { entity_type: 'ADVERTISER', result: 'failed' })).toBe(1);
    expect(delta('broadsync_sync_entity_operations_total', { entity_type: 'ADVERTISER', result: 'created' })).toBe(1);
    expect(delta('broadsync_sync_errors_total', { entity_type: 'ADVERTISER', code: 'VALIDATION' })).toBe(1);
    expect(delta('broadsync_broadstreet_request_duration_seconds_count', { endpoint: 'POST /advertisers', status: '201' })).toBe(1);
    expect(delta('broadsync_broadstreet_request_duration_seconds_count', { endpoint: 'PUT /advertisers/{id}', status: '200' })).toBe(1);
    expect(
      after('broadsync_broadstreet_request_duration_seconds_count', {
        endpoint: `PUT /advertisers/${synced.broadstreetId}`,
        status: '200',
      }),
    ).toBe(0);
  });

  it('can be turned off with METRICS_ENABLED=false', async () => {
    const t = await startTestApp({ METRICS_ENABLED: 'false' });
    try {
      expect((await fetch(`${t.url}/metrics`)).status).toBe(404);
    } finally {
      await t.stop();
    }
  });
});
