// Secrets stay secret (DESIGN §3.5): neither the API tokens nor the
// Broadstreet token appear in the server's logs (at trace level), its
// metrics, its readiness report or any GraphQL answer — through refused
// tokens, accepted ones, a sync and a run that Broadstreet refuses.
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.ts';
import { EVENT_FIELDS, RUN_FIELDS } from '../helpers/sync.ts';
import { freePort, spawnEntry, type Spawned } from '../helpers/process.ts';
import { bearer, postGraphQL, READ_TOKEN, TOKENS_ENV, WRITE_TOKEN, wsClient, wsRun } from './helpers.ts';

const BROADSTREET_TOKEN = 'bs-secret-4c1d8e7a9b2f';

describe('secrets', () => {
  let emulator: RunningEmulator;
  let server: Spawned;
  let url: string;
  let db: string;
  const seen: string[] = [];

  beforeAll(async () => {
    emulator = await startEmulator({ size: 'tiny', token: BROADSTREET_TOKEN });
    const port = await freePort();
    db = `.tmp/test/secrets-${port}.db`;
    server = spawnEntry('src/main.ts', {
      ...TOKENS_ENV,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: `file:./${db}`,
      LOG_LEVEL: 'trace',
      BROADSTREET_API_BASE_URL: emulator.url,
      BROADSTREET_API_TOKEN: BROADSTREET_TOKEN,
      BROADSTREET_RETRY_BASE_MS: '5',
    });
    const [, graphql] = await server.waitFor(/serving GraphQL at (http:\/\/\S+)\/graphql/);
    url = graphql!;
  });
  afterAll(async () => {
    await server?.kill();
    await emulator?.stop();
    for (const ext of ['', '-wal', '-shm']) rmSync(`${db}${ext}`, { force: true });
  });

  const graphql = async (query: string, variables?: Record<string, unknown>, token?: string) => {
    const response = await postGraphQL(url, query, variables, token ? bearer(token) : {});
    seen.push(JSON.stringify(response.body));
    return response;
  };

  async function syncToEnd(direction: string): Promise<Record<string, any>> {
    const started = await graphql(
      `mutation { startSync(input: { networkId: 85, direction: ${direction} }) { ... on StartSyncPayload { run { id } } } }`,
      undefined,
      WRITE_TOKEN,
    );
    const runId = started.body.data.startSync.run.id;
    const client = wsClient(url, bearer(READ_TOKEN));
    const events = await wsRun(client, `subscription ($id: ID!) { syncProgress(runId: $id) { ${EVENT_FIELDS} } }`, { id: runId });
    await client.dispose();
    seen.push(JSON.stringify(events));
    return (await graphql(`query ($id: ID!) { syncRun(id: $id) { ${RUN_FIELDS} events { ${EVENT_FIELDS} } } }`, { id: runId }, READ_TOKEN))
      .body.data.syncRun;
  }

  it('appear nowhere, whatever happens', async () => {
    for (const token of [undefined, 'wrong-token-9f8e7d', `${WRITE_TOKEN}x`]) {
      expect((await graphql('{ networks { name } }', undefined, token)).status).toBe(401);
    }
    expect(
      (await graphql('mutation { createAdvertiser(input: { networkId: 85, name: "x" }) { __typename } }', undefined, READ_TOKEN)).status,
    ).toBe(403);
    const refused = await wsRun(wsClient(url, { authorization: `Bearer ${WRITE_TOKEN}x` }), '{ networks { name } }');
    expect(refused).toMatchObject({ kind: 'closed', code: 4403 });

    expect((await syncToEnd('IMPORT')).status).toBe('SUCCEEDED');
    await graphql('mutation { createAdvertiser(input: { networkId: 85, name: "Secret Keeper" }) { __typename } }', undefined, WRITE_TOKEN);
    emulator.config.token = 'rotated-token-0a1b2c';
    const failed = await syncToEnd('EXPORT');
    expect(failed.status).toBe('FAILED');
    expect(failed.failureReason).toMatch(/refused the access token/);

    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toMatch(/broadsync_sync_runs_total\{status="FAILED"\} 1/);
    const ready = await (await fetch(`${url}/ready`)).text();
    await new Promise((resolve) => setTimeout(resolve, 200));
    const logs = server.output();

    expect(logs).toContain('refused a request without a valid access token');
    expect(logs).toContain('refused a WebSocket connection without a valid access token');
    expect(logs).toMatch(/"runId":\d+.*Broadstreet call failed/);
    for (const secret of [READ_TOKEN, WRITE_TOKEN, BROADSTREET_TOKEN]) {
      expect(logs, 'logs').not.toContain(secret);
      expect(metrics, 'metrics').not.toContain(secret);
      expect(ready, '/ready').not.toContain(secret);
      for (const answer of seen) expect(answer, 'a GraphQL answer').not.toContain(secret);
    }
  });
});
