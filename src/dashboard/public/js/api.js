// @ts-check
// Talking to the server: GraphQL over fetch (POST, application/json, which the
// CSRF prevention of the API accepts) and a graphql-ws client for
// subscriptions, both carrying the access token when one is set.
import { createClient } from '/dashboard/vendor/graphql-ws/client.js';
import { sendRetryingBusy } from './busy-retry.js';

const TOKEN_KEY = 'broadsync.token';
const ENDPOINT = '/graphql';

/** A request the server refused for want of a (sufficient) token. */
export class AuthError extends Error {
  /** @param {string} message @param {'missing' | 'forbidden'} kind */
  constructor(message, kind) {
    super(message);
    this.name = 'AuthError';
    this.kind = kind;
  }
}

/** @type {Set<() => void>} */
const tokenListeners = new Set();

export const token = {
  /** The token in use: this tab's, else the remembered one. @returns {string} */
  get() {
    return sessionStorage.getItem(TOKEN_KEY) ?? localStorage.getItem(TOKEN_KEY) ?? '';
  },
  /** @param {string} value @param {boolean} remember */
  set(value, remember) {
    sessionStorage.setItem(TOKEN_KEY, value);
    if (remember) localStorage.setItem(TOKEN_KEY, value);
    else localStorage.removeItem(TOKEN_KEY);
    changed();
  },
  clear() {
    sessionStorage.removeItem(TOKEN_KEY);
    localStorage.removeItem(TOKEN_KEY);
    changed();
  },
  remembered() {
    return localStorage.getItem(TOKEN_KEY) !== null;
  },
  /** @param {() => void} listener */
  onChange(listener) {
    tokenListeners.add(listener);
  },
};

function changed() {
  // The WebSocket authenticates once, in connection_init: a new token needs a new connection.
  void client?.dispose();
  client = undefined;
  for (const listener of tokenListeners) listener();
}

const AUTH_CODES = { UNAUTHENTICATED: 'missing', UNAUTHORIZED: 'missing', FORBIDDEN: 'forbidden' };

/**
 * Runs one query or mutation and returns its data. Throws AuthError when the
 * server wants a token (401, or an UNAUTHENTICATED/FORBIDDEN error), Error
 * with the server's messages otherwise. A query refused as busy is retried
 * after the server's Retry-After; a mutation never is.
 * @param {string} query
 * @param {Record<string, unknown>} [variables]
 * @returns {Promise<any>}
 */
export async function graphql(query, variables = {}) {
  const current = token.get();
  return answer(await sendRetryingBusy(query, () => post(query, variables, current)), current);
}

/**
 * @param {string} query
 * @param {Record<string, unknown>} variables
 * @param {string} current
 * @returns {Promise<Response>}
 */
async function post(query, variables, current) {
  try {
    return await fetch(ENDPOINT, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json, application/json',
        ...(current ? { authorization: `Bearer ${current}` } : {}),
      },
      body: JSON.stringify({ query, variables }),
    });
  } catch (error) {
    throw new Error(`the server did not answer (${/** @type {Error} */ (error).message})`);
  }
}

/**
 * @param {Response} response
 * @param {string} current
 * @returns {Promise<any>}
 */
async function answer(response, current) {
  if (response.status === 401) throw new AuthError(authMessage('missing', current), 'missing');
  /** @type {{ data?: any, errors?: { message: string, extensions?: { code?: string } }[] }} */
  let body;
  try {
    body = await response.json();
  } catch {
    if (response.status === 403) throw new AuthError(authMessage('forbidden', current), 'forbidden');
    throw new Error(`the server answered ${response.status} ${response.statusText} without a GraphQL result`);
  }
  const authCode = body.errors?.map((e) => e.extensions?.code).find((code) => code && code in AUTH_CODES);
  if (authCode || response.status === 403) {
    const kind = authCode ? AUTH_CODES[/** @type {keyof typeof AUTH_CODES} */ (authCode)] : 'forbidden';
    throw new AuthError(authMessage(/** @type {'missing' | 'forbidden'} */ (kind), current), /** @type {'missing' | 'forbidden'} */ (kind));
  }
  if (body.errors?.length) throw new Error(body.errors.map((e) => e.message).join('; '));
  if (!response.ok) throw new Error(`the server answered ${response.status} ${response.statusText}`);
  return body.data;
}

/** @param {'missing' | 'forbidden'} kind @param {string} current */
export function authMessage(kind, current) {
  if (kind === 'forbidden') {
    return current
      ? 'Your access token may not do this: starting or cancelling syncs needs a token with write access.'
      : 'The server refused this request: enter an access token.';
  }
  return current
    ? 'The server did not accept your access token (401): enter a valid one.'
    : 'This server needs an access token (401): enter one to continue.';
}

/** @type {import('/dashboard/vendor/graphql-ws/client.js').Client | undefined} */
let client;

/** The page's graphql-ws client, opened on first use; reconnects are the caller's (see follow.js). */
export function wsClient() {
  client ??= createClient({
    url: `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}${ENDPOINT}`,
    // The agreed connection_init payload: the same Bearer value as the HTTP header.
    connectionParams: () => {
      const current = token.get();
      return current ? { authorization: `Bearer ${current}` } : {};
    },
    lazy: true,
    lazyCloseTimeout: 2_000,
    // follow.js resubscribes itself, with afterSeq at the last event it saw.
    retryAttempts: 0,
  });
  return client;
}
