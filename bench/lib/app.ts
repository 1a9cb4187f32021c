// Broadsync in this process on a fresh SQLite file, with what the sync
// benchmarks need: start a run over GraphQL and time it to its final event.
import { renameSync } from 'node:fs';
import { buildApp, type App } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import type { Db } from '../../src/db/index.ts';
import { createServices } from '../../src/services.ts';
import { parseRunId } from '../../src/sync/sync.schema.ts';
import type { ProgressEvent } from '../../src/sync/types.ts';
import { freshDb, type BenchDb } from './db.ts';

export interface BenchApp {
  app: App;
  url: string;
  database: BenchDb;
  /** The server's database client, for seeding rows straight into it. */
  db: Db;
  graphql<T = any>(query: string, variables?: Record<string, unknown>): Promise<T>;
  /** Starts a run and waits for its final event: what a client would see (each event also to `onEvent`). */
  sync(input: Record<string, unknown>, onEvent?: (event: ProgressEvent) => void): Promise<RunResult>;
  /** Stops the server; its database is deleted, or moved to `keepAs` (closed, whole). */
  stop(keepAs?: string): Promise<void>;
}

export interface RunResult {
  runId: number;
  status: string;
  /** From sending startSync to receiving the final event. */
  wallMs: number;
  events: number;
  final: ProgressEvent;
}

/** On a fresh SQLite file, or on `database` (then the caller's to drop; `stop` leaves it). */
export async function startBenchApp(env: Record<string, string>, given?: { url: string }): Promise<BenchApp> {
  const database: BenchDb = given ? { file: '', url: given.url, drop: () => {} } : await freshDb('app');
  const config = loadConfig({ LOG_LEVEL: 'silent', NODE_ENV: 'production', ...env, DATABASE_URL: database.url, PORT: '0' });
  const services = await createServices(config);
  const app = buildApp(services);
  const url = await app.start();
  const graphql = async (query: string, variables?: Record<string, unknown>) => {
    const response = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data?: any; errors?: unknown };
    if (body.errors) throw new Error(`GraphQL errors: ${JSON.stringify(body.errors)}`);
    return body.data;
  };
  return {
    app,
    url,
    database,
    db: services.db,
    graphql,
    async sync(input, onEvent) {
      const started = performance.now();
      const data = await graphql(
        `mutation ($input: StartSyncInput!) { startSync(input: $input) {
          __typename ... on StartSyncPayload { run { id } } ... on Error { message } } }`,
        { input },
      );
      if (data.startSync.__typename !== 'StartSyncPayload') throw new Error(`startSync refused: ${JSON.stringify(data.startSync)}`);
      const runId = parseRunId(data.startSync.run.id)!;
      let events = 0;
      let final: ProgressEvent | undefined;
      for await (const event of services.feeds.follow(runId)) {
        events++;
        final = event;
        onEvent?.(event);
      }
      const wallMs = performance.now() - started;
      if (!final) throw new Error(`run ${runId} ended without events`);
      return { runId, status: final.status, wallMs, events, final };
    },
    async stop(keepAs) {
      await app.stop();
      await services.close();
      if (keepAs && !given) renameSync(database.file, keepAs);
      database.drop();
    },
  };
}
