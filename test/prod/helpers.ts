// Raw HTTP and WebSocket access to a running server, for tests that look at
// status codes, headers and close codes rather than just GraphQL results.
import { Writable } from 'node:stream';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { db } from '../helpers/db.ts';
import { createLogger, type Logger } from '../../src/logger.ts';

export const READ_TOKEN = 'read-7f3c9a1e5b2d48c6';
export const WRITE_TOKEN = 'write-2b8e4d6f1a9c37e5';
export const TOKENS_ENV = { API_TOKENS: `${READ_TOKEN}:read,${WRITE_TOKEN}:write` };

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

export interface RawResponse {
  status: number;
  headers: Headers;
  body: any;
}

/** POSTs JSON to /graphql and returns status, headers and the parsed body. */
export async function postGraphQL(
  baseUrl: string,
  query: string,
  variables?: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<RawResponse> {
  const response = await fetch(`${baseUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null };
}

/** A graphql-ws client; `upgradeHeaders` go on the HTTP upgrade request. */
export function wsClient(baseUrl: string, connectionParams?: Record<string, unknown>, upgradeHeaders: Record<string, string> = {}): Client {
  class WithHeaders extends WebSocket {
    constructor(address: string, protocols?: string | string[]) {
      super(address, protocols, { headers: upgradeHeaders });
    }
  }
  return createClient({
    url: `${baseUrl.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WithHeaders,
    connectionParams,
    retryAttempts: 0,
    lazy: true,
  });
}

export type WsOutcome =
  | { kind: 'results'; results: any[] }
  | { kind: 'errors'; errors: { message: string; extensions?: Record<string, unknown> }[] }
  | { kind: 'closed'; code: number; reason: string };

/** Runs one operation and reports how it ended: results, an error message, or a closed socket. */
export function wsRun(client: Client, query: string, variables?: Record<string, unknown>): Promise<WsOutcome> {
  return new Promise((resolve) => {
    const results: any[] = [];
    client.subscribe(
      { query, variables },
      {
        next: (value) => results.push(value),
        error: (error: any) => {
          if (Array.isArray(error)) resolve({ kind: 'errors', errors: error });
          else if (typeof error?.code === 'number') resolve({ kind: 'closed', code: error.code, reason: String(error.reason) });
          else resolve({ kind: 'errors', errors: [{ message: String(error?.message ?? error) }] });
        },
        complete: () => resolve({ kind: 'results', results }),
      },
    );
  });
}

export const CREATE_ADVERTISER = `mutation ($name: String!) {
  createAdvertiser(input: { networkId: 85, name: $name }) {
    __typename ... on CreateAdvertiserPayload { advertiser { name } } ... on Error { message }
  }
}`;

export const advertiserCount = () => db().advertiser.count();
export const runCount = () => db().syncRun.count();

export interface LogCapture {
  logger: Logger;
  lines(): Record<string, any>[];
  text(): string;
}

/** A logger like the server's (same redaction, same request/run ids), writing to memory. */
export function captureLogs(level = 'debug'): LogCapture {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return {
    logger: createLogger(level, stream),
    text: () => chunks.join(''),
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line)),
  };
}

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Parses the Prometheus text format (the subset prom-client writes). */
export function parseMetrics(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) continue;
    const labels = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1]!, m[2]!]));
    samples.push({ name: match[1]!, labels, value: Number(match[3]) });
  }
  return samples;
}

export type Scrape = ((name: string, labels?: Record<string, string>) => number) & {
  /** The sum over every series of a name. */
  sum(name: string): number;
};

export async function scrape(baseUrl: string): Promise<Scrape> {
  const response = await fetch(`${baseUrl}/metrics`);
  if (response.status !== 200) throw new Error(`/metrics answered ${response.status}`);
  const samples = parseMetrics(await response.text());
  /** The value of the sample with exactly these labels (0 when absent, as Prometheus would treat a new series). */
  const value = (name: string, labels: Record<string, string> = {}) => {
    const wanted = JSON.stringify(Object.entries(labels).sort());
    const sample = samples.find((s) => s.name === name && JSON.stringify(Object.entries(s.labels).sort()) === wanted);
    return sample?.value ?? 0;
  };
  return Object.assign(value, { sum: (name: string) => samples.filter((s) => s.name === name).reduce((total, s) => total + s.value, 0) });
}
