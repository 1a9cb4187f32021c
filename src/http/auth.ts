// Access tokens for the GraphQL API (API_TOKENS): who may read, who may write.
// Without tokens the API is open, and only loopback can reach it (config.ts).
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { getOperationAST, GraphQLError, type DocumentNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { ApiToken } from '../config.ts';
import type { AccessScope } from '../graphql/context.ts';

export interface AccessControl {
  /** Whether tokens are configured (and so required). */
  readonly guarded: boolean;
  /** The scope a presented token grants, or null for none or a wrong one. Constant time per token. */
  scopeOf(token: string | undefined): AccessScope | null;
}

export function createAccessControl(tokens: readonly ApiToken[] | undefined): AccessControl {
  const known = (tokens ?? []).map(({ token, scope }) => ({ digest: digest(token), scope }));
  return {
    guarded: known.length > 0,
    scopeOf(token) {
      if (known.length === 0) return 'write';
      if (!token) return null;
      const presented = digest(token);
      let granted: AccessScope | null = null;
      // Compare against every token, without stopping early, so timing tells nothing.
      for (const entry of known) {
        if (timingSafeEqual(presented, entry.digest) && granted !== 'write') granted = entry.scope;
      }
      return granted;
    },
  };
}

/** Equal-length digests, so timingSafeEqual never sees (or leaks) a token's length. */
function digest(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

/** The token of an `Authorization: Bearer …` header (or connection_init payload value). */
export function bearerToken(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const match = /^Bearer[ \t]+(\S+)\s*$/i.exec(value);
  return match?.[1];
}

export function httpToken(req: IncomingMessage): string | undefined {
  return bearerToken(req.headers.authorization);
}

/**
 * The token of a graphql-ws connection: `{ "authorization": "Bearer …" }` in
 * the connection_init payload, else the upgrade request's Authorization header.
 */
export function websocketToken(
  connectionParams: Readonly<Record<string, unknown>> | undefined,
  upgrade: IncomingMessage,
): string | undefined {
  const key = Object.keys(connectionParams ?? {}).find((k) => k.toLowerCase() === 'authorization');
  return key ? bearerToken(connectionParams![key]) : httpToken(upgrade);
}

/** The body and headers of a 401: a GraphQL-shaped error clients can show as it is. */
export function unauthorizedResponse(presented: boolean): { status: 401; headers: Record<string, string>; body: string } {
  const message = presented ? 'the access token is not valid' : 'an access token is required: send Authorization: Bearer <token>';
  return {
    status: 401,
    headers: { 'content-type': 'application/json; charset=utf-8', 'www-authenticate': 'Bearer realm="broadsync"' },
    body: JSON.stringify({ errors: [{ message, extensions: { code: 'UNAUTHENTICATED' } }] }),
  };
}

/**
 * Mutations need the write scope. Checked before execution, over HTTP and
 * WebSocket alike (both execute through Yoga's envelop), so a refused
 * mutation runs no resolver: HTTP 403 and a FORBIDDEN error.
 */
export function useWriteScope(): Plugin<{ scope: AccessScope }> {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      if (args.contextValue.scope === 'write') return;
      if (operationType(args.document, args.operationName) !== 'mutation') return;
      setResultAndStopExecution({
        errors: [
          new GraphQLError('this access token is read-only: mutations need a token with the write scope', {
            extensions: { code: 'FORBIDDEN', http: { status: 403 } },
          }),
        ],
      });
    },
  };
}

function operationType(document: DocumentNode, operationName: string | null | undefined): string | undefined {
  return getOperationAST(document, operationName ?? undefined)?.operation;
}
