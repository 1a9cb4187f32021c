// A mainstream GraphQL client, used as its documentation says: urql with
// fetchExchange for queries and mutations and subscriptionExchange over the
// graphql-ws client. A dropped socket is resumed with afterSeq: every event
// arrives exactly once.
import { Client, fetchExchange, gql, subscriptionExchange, type OperationResult } from '@urql/core';
import { createClient as createWsClient, type Client as WsClient } from 'graphql-ws';
import { pipe, subscribe } from 'wonka';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startSyncEnv, type SyncEnv } from '../helpers/sync.ts';

const NETWORK = 85;

const START_SYNC = gql`
  mutation StartSync($input: StartSyncInput!) {
    startSync(input: $input) {
      __typename
      ... on StartSyncPayload { run { id status } }
      ... on Error { message }
    }
  }
`;
const PROGRESS = gql`
  subscription Progress($runId: ID!, $afterSeq: Int) {
    syncProgress(runId: $runId, afterSeq: $afterSeq) { seq status percentage }
  }
`;
const NETWORKS = gql`
  query Networks { networks { broadstreetId name } }
`;
const RUN_EVENTS = gql`
  query RunEvents($id: ID!) { syncRun(id: $id) { status events { seq } } }
`;

interface ProgressEvent {
  seq: number;
  status: string;
  percentage: number;
}

/** Every socket the graphql-ws client opens, so that the test can drop one. */
const sockets: WebSocket[] = [];
class TrackedWebSocket extends WebSocket {
  constructor(...args: ConstructorParameters<typeof WebSocket>) {
    super(...args);
    sockets.push(this);
  }
}

describe('urql with graphql-ws', { timeout: 60_000 }, () => {
  let env: SyncEnv;
  let ws: WsClient;
  let client: Client;
  beforeAll(async () => {
    env = await startSyncEnv({ size: 'tiny' });
    ws = createWsClient({
      url: `${env.server.url.replace(/^http/, 'ws')}/graphql`,
      webSocketImpl: TrackedWebSocket,
      retryAttempts: 0,
      lazy: true,
    });
    client = new Client({
      url: `${env.server.url}/graphql`,
      // urql sends queries as GET by default; CSRF prevention wants such GETs to carry a
      // header (README: Limits and hardening). POST, as Apollo Client sends, needs nothing.
      preferGetMethod: false,
      exchanges: [
        fetchExchange,
        subscriptionExchange({
          forwardSubscription: (request) => ({
            subscribe: (sink) => ({ unsubscribe: ws.subscribe({ ...request, query: request.query ?? '' }, sink) }),
          }),
        }),
      ],
    });
  });
  afterAll(async () => {
    await ws?.dispose();
    await env?.stop();
  });

  /** One subscription, to its end (complete or error); `onEvent` may drop the socket. */
  function subscription(runId: string, afterSeq: number, onEvent: (event: ProgressEvent, index: number) => void) {
    return new Promise<{ events: ProgressEvent[]; error?: OperationResult['error'] }>((resolve) => {
      const events: ProgressEvent[] = [];
      let error: OperationResult['error'];
      const { unsubscribe } = pipe(
        client.subscription<{ syncProgress: ProgressEvent }>(PROGRESS, { runId, afterSeq }),
        subscribe((result) => {
          if (result.error) {
            error = result.error;
            unsubscribe();
            resolve({ events, error });
            return;
          }
          events.push(result.data!.syncProgress);
          onEvent(result.data!.syncProgress, events.length - 1);
          if (['SUCCEEDED', 'PARTIAL', 'FAILED', 'CANCELLED'].includes(result.data!.syncProgress.status)) resolve({ events });
        }),
      );
    });
  }

  it('runs a mutation, follows syncProgress across a dropped socket with afterSeq, then a query: nothing missed or repeated', async () => {
    env.emulator.config.latencyMs = 60;
    try {
      const started = await client.mutation(START_SYNC, { input: { networkId: NETWORK, direction: 'IMPORT' } }).toPromise();
      expect(started.error).toBeUndefined();
      expect(started.data.startSync.__typename).toBe('StartSyncPayload');
      const runId: string = started.data.startSync.run.id;

      // The first socket drops after two events, as when a proxy restarts.
      const first = await subscription(runId, 0, (_event, index) => {
        if (index === 1) sockets[0]!.terminate();
      });
      expect(first.error?.networkError).toBeDefined();
      expect(first.events.length).toBeGreaterThanOrEqual(2);
      const lastSeen = first.events.at(-1)!.seq;
      const second = await subscription(runId, lastSeen, () => {});
      expect(second.error).toBeUndefined();
      expect(sockets.length).toBeGreaterThanOrEqual(2);

      const seen = [...first.events, ...second.events].map((e) => e.seq);
      const stored = await client.query(RUN_EVENTS, { id: runId }, { requestPolicy: 'network-only' }).toPromise();
      expect(stored.error).toBeUndefined();
      expect(stored.data.syncRun.status).toBe('SUCCEEDED');
      expect(seen).toEqual(stored.data.syncRun.events.map((e: { seq: number }) => e.seq));
      expect(second.events[0]!.seq).toBe(lastSeen + 1);
      expect(second.events.at(-1)).toMatchObject({ status: 'SUCCEEDED', percentage: 100 });

      const networks = await client.query(NETWORKS, {}).toPromise();
      expect(networks.error).toBeUndefined();
      expect(networks.data.networks).toContainEqual({ broadstreetId: NETWORK, name: 'Demo Network' });
      // urql's default, queries as GET, works once it sends the CSRF header.
      const methods: string[] = [];
      const viaGet = new Client({
        url: `${env.server.url}/graphql`,
        exchanges: [fetchExchange],
        fetchOptions: { headers: { 'x-graphql-yoga-csrf': '1' } },
        fetch: (input, init) => (methods.push(init?.method ?? 'GET'), fetch(input, init)),
      });
      const got = await viaGet.query(NETWORKS, {}).toPromise();
      expect(methods).toEqual(['GET']);
      expect(got.data).toEqual(networks.data);
    } finally {
      env.emulator.config.latencyMs = 0;
    }
  });
});
