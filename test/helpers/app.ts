// An in-process Broadsync on a fresh test database, listening on a free port.
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { buildApp, type App } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { createServices, type AppServices, type ServiceOverrides } from '../../src/services.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';
import { forgetDatabase, useDatabase } from './db.ts';

export interface GraphQLResponse<T = Record<string, any>> {
  data?: T;
  errors?: { message: string; path?: string[]; extensions?: Record<string, unknown> }[];
}

export interface TestApp {
  app: App;
  services: AppServices;
  url: string;
  database: TestDatabase;
  /** POSTs an operation to /graphql over real HTTP. */
  graphql<T = Record<string, any>>(
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<GraphQLResponse<T>>;
  /** A graphql-ws client on the same port and path. */
  wsClient(connectionParams?: Record<string, unknown>): Client;
  stop(): Promise<void>;
}

export async function startTestApp(env: Record<string, string> = {}, overrides: ServiceOverrides = {}): Promise<TestApp> {
  const database = await createTestDatabase();
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', ...env, DATABASE_URL: database.url, PORT: '0' });
  const services = await createServices(config, overrides);
  useDatabase(services.db);
  const app = buildApp(services);
  const url = await app.start();
  const clients: Client[] = [];
  return {
    app,
    services,
    url,
    database,
    async graphql(query, variables, headers = {}) {
      const response = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query, variables }),
      });
      return (await response.json()) as never;
    },
    wsClient(connectionParams) {
      const client = createClient({
        url: `${url.replace(/^http/, 'ws')}/graphql`,
        webSocketImpl: WebSocket,
        connectionParams,
        retryAttempts: 0,
        lazy: true,
      });
      clients.push(client);
      return client;
    },
    async stop() {
      await Promise.all(clients.map((c) => c.dispose()));
      await app.stop();
      forgetDatabase(services.db);
      await services.close();
      await database.drop();
    },
  };
}

/** Collects every result of one graphql-ws operation until it completes. */
export function collect<T = unknown>(client: Client, query: string, variables?: Record<string, unknown>): Promise<T[]> {
  return new Promise((resolve, reject) => {
    const results: T[] = [];
    client.subscribe<T>(
      { query, variables },
      { next: (value) => results.push(value as T), error: reject, complete: () => resolve(results) },
    );
  });
}
