// @ts-check
// Follows one run's syncProgress subscription to its end. When the socket
// drops, it subscribes again with afterSeq = the last event it delivered: the
// server replays what was missed, and nothing is shown twice.
import { AuthError, authMessage, token, wsClient } from './api.js';
import { SYNC_PROGRESS } from './queries.js';

// graphql-ws closes a socket whose connection_init was refused with 4403
// (Forbidden); 4401 is the Unauthorized code of the same protocol.
const AUTH_CLOSE_CODES = [4401, 4403];
const MAX_BACKOFF_MS = 10_000;

/**
 * @typedef {object} FollowHandlers
 * @property {(event: any) => void} onEvent each new event, in seq order
 * @property {() => void} onEnd the subscription completed (the run ended)
 * @property {(error: Error) => void} onError a failure retrying cannot fix
 * @property {(state: 'live' | 'reconnecting') => void} [onConnection]
 */

/**
 * @param {string} runId
 * @param {FollowHandlers} handlers
 * @param {number} [afterSeq]
 * @returns {() => void} stops following
 */
export function followRun(runId, handlers, afterSeq = 0) {
  let last = afterSeq;
  let stopped = false;
  let failures = 0;
  /** @type {(() => void) | undefined} */
  let unsubscribe;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;

  const subscribe = () => {
    unsubscribe = wsClient().subscribe(
      { query: SYNC_PROGRESS, variables: { runId, afterSeq: last } },
      {
        next: (result) => {
          if (stopped) return;
          if (result.errors?.length) return fail(new Error(result.errors.map((e) => e.message).join('; ')));
          const event = /** @type {any} */ (result.data)?.syncProgress;
          if (!event || event.seq <= last) return;
          last = event.seq;
          failures = 0;
          handlers.onConnection?.('live');
          handlers.onEvent(event);
        },
        error: (error) => {
          if (stopped) return;
          const code = /** @type {{ code?: number }} */ (error)?.code;
          if (typeof code === 'number' && AUTH_CLOSE_CODES.includes(code)) {
            // Refused at connection_init: no token, or one the server does not accept.
            return fail(new AuthError(authMessage('missing', token.get()), 'missing'));
          }
          if (Array.isArray(error)) return fail(new Error(error.map((e) => e.message).join('; ')));
          // A dropped socket or a server restart: try again, resuming after the last event.
          handlers.onConnection?.('reconnecting');
          timer = setTimeout(subscribe, Math.min(MAX_BACKOFF_MS, 500 * 2 ** failures++));
        },
        complete: () => {
          if (!stopped) handlers.onEnd();
        },
      },
    );
    handlers.onConnection?.('live');
  };

  /** @param {Error} error */
  const fail = (error) => {
    stop();
    handlers.onError(error);
  };

  const stop = () => {
    stopped = true;
    clearTimeout(timer);
    unsubscribe?.();
  };

  subscribe();
  return stop;
}
