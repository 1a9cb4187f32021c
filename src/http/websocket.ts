// Access over graphql-ws: the token is checked once, at connection_init; a
// missing or wrong one closes the socket with 4403 before any operation.
import type { IncomingMessage } from 'node:http';
import type { AccessScope } from '../graphql/context.ts';
import type { Logger } from '../logger.ts';
import { websocketToken, type AccessControl } from './auth.ts';
import { fromLoopbackName } from './gate.ts';

/** What this module keeps on graphql-ws's per-connection `extra`. */
export type ConnectionAccess = {
  scope?: AccessScope;
};

interface ConnectContext {
  connectionParams?: Readonly<Record<string, unknown>>;
  extra: { request: IncomingMessage } & ConnectionAccess;
}

/** graphql-ws onConnect: false (→ close 4403 Forbidden) without a valid token. */
export function acceptConnection(access: AccessControl, logger: Logger) {
  return (ctx: ConnectContext): boolean => {
    const token = websocketToken(ctx.connectionParams, ctx.extra.request);
    const scope = access.scopeOf(token);
    if (!scope) {
      logger.info(
        { remoteAddress: ctx.extra.request.socket.remoteAddress, tokenPresented: token !== undefined },
        'refused a WebSocket connection without a valid access token',
      );
      return false;
    }
    ctx.extra.scope = scope;
    return true;
  };
}

/**
 * The upgrade itself. Without tokens the server is loopback-only: browsers
 * send an Origin on every WebSocket, and one from another site (cross-site
 * WebSocket hijacking) or a foreign Host (DNS rebinding) is refused with 403.
 */
export function verifyUpgrade(access: AccessControl) {
  return (info: { origin: string; req: IncomingMessage }, done: (accept: boolean, status?: number, message?: string) => void): void => {
    const allowed = access.guarded || (fromLoopbackName(info.req.headers.host) && (!info.origin || fromLoopbackOrigin(info.origin)));
    done(allowed, allowed ? undefined : 403, allowed ? undefined : 'Forbidden');
  };
}

/**
 * Only an http(s) page served from a loopback name. `file://` pages have an
 * empty host, which fromLoopbackName would take for "no Host header": they are
 * refused, like `null` origins (sandboxed frames, local files in some browsers).
 */
function fromLoopbackOrigin(origin: string): boolean {
  try {
    const url = new URL(origin);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.host !== '' && fromLoopbackName(url.host);
  } catch {
    return false;
  }
}
