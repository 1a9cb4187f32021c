// Every GraphQL request over HTTP passes here before Yoga sees it: it gets a
// request id, a loopback-only server refuses foreign Host names (DNS
// rebinding), and a guarded server refuses a missing or wrong token with 401.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isLoopbackHost } from '../config.ts';
import type { AccessScope } from '../graphql/context.ts';
import type { Logger } from '../logger.ts';
import { requestIdFrom, withRequestId } from '../observability/log-context.ts';
import { httpToken, unauthorizedResponse, type AccessControl } from './auth.ts';

/** What the gate hands on to Yoga as server context. */
export interface GateContext {
  requestId: string;
  scope: AccessScope;
}

export type Gate = (req: IncomingMessage, res: ServerResponse, next: (context: GateContext) => unknown) => void;

export function createGate(access: AccessControl, logger: Logger): Gate {
  return (req, res, next) => {
    const requestId = requestIdFrom(req.headers['x-request-id']);
    res.setHeader('x-request-id', requestId);
    if (!access.guarded && !fromLoopbackName(req.headers.host)) {
      logger.warn({ requestId, host: req.headers.host }, 'refused a request for a non-loopback Host on a server without API_TOKENS');
      return send(res, 403, 'FORBIDDEN', 'this server has no API_TOKENS and answers only requests for localhost');
    }
    const token = httpToken(req);
    const scope = access.scopeOf(token);
    if (!scope) {
      logger.info(
        { requestId, remoteAddress: req.socket.remoteAddress, tokenPresented: token !== undefined },
        'refused a request without a valid access token',
      );
      const refusal = unauthorizedResponse(token !== undefined);
      res.writeHead(refusal.status, refusal.headers);
      res.end(refusal.body);
      return;
    }
    withRequestId(requestId, () => next({ requestId, scope }));
  };
}

/** A Host header naming loopback (or none, which no browser sends). */
export function fromLoopbackName(host: string | undefined): boolean {
  if (!host) return true;
  try {
    return isLoopbackHost(new URL(`http://${host}`).hostname);
  } catch {
    return false;
  }
}

function send(res: ServerResponse, status: number, code: string, message: string): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify({ errors: [{ message, extensions: { code } }] }));
}
