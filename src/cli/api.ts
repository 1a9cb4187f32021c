// The CLI's side of the GraphQL API: operations over HTTP, syncProgress over
// graphql-ws (same URL), the token as `Authorization: Bearer` on both.
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import type { Connection } from './args.ts';
import { sendRetryingBusy } from '../dashboard/public/js/busy-retry.js';
import { CliError, EXIT } from './exit-codes.ts';

interface GraphQLBody<T> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

export async function request<T>(connection: Connection, query: string, variables?: Record<string, unknown>): Promise<T> {
  return answer<T>(connection, await sendRetryingBusy(query, () => post(connection, query, variables)));
}

async function post(connection: Connection, query: string, variables?: Record<string, unknown>): Promise<Response> {
  try {
    return await fetch(connection.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json, application/json',
        ...(connection.token ? { authorization: `Bearer ${connection.token}` } : {}),
      },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(30_000),
    });
  } catch (error) {
    throw unreachable(connection, error);
  }
}

async function answer<T>(connection: Connection, response: Response): Promise<T> {
  const body = await readBody<T>(response);
  if (response.status === 401) throw refusedToken(connection, firstMessage(body));
  if (response.status === 403 && body?.errors?.[0]?.extensions?.code === 'FORBIDDEN') {
    throw new CliError(`${connection.url} refused: ${firstMessage(body)}`, EXIT.server);
  }
  if (!body)
    throw new CliError(`${connection.url} answered HTTP ${response.status} without GraphQL: is it a Broadsync server?`, EXIT.server);
  if (body.errors?.length || body.data == null) {
    throw new CliError(`${connection.url} answered with an error: ${firstMessage(body) ?? `HTTP ${response.status}`}`, EXIT.server);
  }
  return body.data;
}

async function readBody<T>(response: Response): Promise<GraphQLBody<T> | null> {
  const text = await response.text();
  try {
    const body = JSON.parse(text) as GraphQLBody<T>;
    return body && typeof body === 'object' && ('data' in body || 'errors' in body) ? body : null;
  } catch {
    return null;
  }
}

function firstMessage(body: GraphQLBody<unknown> | null): string | undefined {
  return body?.errors?.map((e) => e.message).join('; ');
}

function unreachable(connection: Connection, error: unknown): CliError {
  const cause = (error as { cause?: { code?: string } })?.cause?.code ?? (error as Error)?.name ?? 'error';
  return new CliError(`cannot reach ${connection.url} (${cause}): is the server running? (npm start, or npm run demo)`, EXIT.server);
}

function refusedToken(connection: Connection, message: string | undefined): CliError {
  const hint = connection.token ? 'check --token / BROADSYNC_TOKEN' : 'pass --token or set BROADSYNC_TOKEN';
  return new CliError(`${connection.url} refused the request: ${message ?? 'unauthorized'} (${hint})`, EXIT.server);
}

export interface FollowHandlers<E> {
  next(event: E): void;
  /** A line about the connection itself (lost, resumed). */
  notice(text: string): void;
}

/** How long a lost connection is retried (a server restart takes a few seconds), and the longest pause between tries. */
const RECONNECT_WINDOW_MS = 60_000;
const MAX_RECONNECT_DELAY_MS = 2_000;

/**
 * Follows a subscription whose events carry `seq`, to its end. A dropped
 * connection is resumed after the last event seen (the server replays from
 * `afterSeq`) for up to a minute; a refused token is not retried.
 */
export async function follow<E extends { seq: number }>(
  connection: Connection,
  query: string,
  variables: Record<string, unknown>,
  handlers: FollowHandlers<E>,
  pick: (data: Record<string, unknown>) => E,
): Promise<void> {
  let afterSeq = (variables.afterSeq as number | undefined) ?? 0;
  let lostAt: number | null = null;
  for (let attempt = 0; ; attempt++) {
    const client = wsClient(connection);
    try {
      await new Promise<void>((resolve, reject) => {
        client.subscribe<Record<string, unknown>>(
          { query, variables: { ...variables, afterSeq } },
          {
            next: (result) => {
              if (result.errors?.length)
                return reject(
                  new CliError(`${connection.url} answered with an error: ${result.errors.map((e) => e.message).join('; ')}`, EXIT.server),
                );
              if (lostAt !== null) {
                handlers.notice(`reconnected; resuming after event ${afterSeq}`);
                lostAt = null;
                attempt = 0;
              }
              const event = pick(result.data ?? {});
              afterSeq = Math.max(afterSeq, event.seq);
              handlers.next(event);
            },
            error: (error) => reject(socketError(connection, error)),
            complete: resolve,
          },
        );
      });
      return;
    } catch (error) {
      if (error instanceof CliError) throw error;
      if (lostAt === null) {
        lostAt = Date.now();
        handlers.notice(`lost the connection to ${connection.url}; reconnecting…`);
      }
      if (Date.now() - lostAt > RECONNECT_WINDOW_MS) {
        throw new CliError(
          `lost the connection to ${connection.url} and could not resume within ${RECONNECT_WINDOW_MS / 1000} s`,
          EXIT.server,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, Math.min(MAX_RECONNECT_DELAY_MS, 250 * 2 ** attempt)));
    } finally {
      await client.dispose();
    }
  }
}

function wsClient(connection: Connection): Client {
  return createClient({
    url: connection.url.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: connection.token ? { authorization: `Bearer ${connection.token}` } : {},
    retryAttempts: 0,
    lazy: true,
  });
}

/** A close code or error from graphql-ws, as a CliError when retrying cannot help. */
function socketError(connection: Connection, error: unknown): unknown {
  if (Array.isArray(error))
    return new CliError(
      `${connection.url} refused the subscription: ${error.map((e: { message: string }) => e.message).join('; ')}`,
      EXIT.server,
    );
  const code = (error as { code?: unknown })?.code;
  if (code === 4403 || code === 4401) return refusedToken(connection, 'the WebSocket connection was refused (4403 Forbidden)');
  if (typeof code === 'number' && code >= 4000)
    return new CliError(
      `${connection.url} closed the subscription (${code} ${String((error as { reason?: unknown }).reason ?? '')})`,
      EXIT.server,
    );
  return error;
}
