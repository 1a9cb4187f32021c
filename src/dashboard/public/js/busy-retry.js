// One rule for the dashboard and the CLI (which imports this file): a query the
// server refused as busy (503 SERVER_BUSY with Retry-After, its operation cap)
// is sent again after its Retry-After, a few times at most; a mutation never is.

const BUSY_TRIES = 4;
const MAX_BUSY_WAIT_S = 5;

/**
 * Sends `query` through `send`, again while the answer is a busy refusal and
 * the operation is a query (written `query …` or `{ … }`); returns the last answer.
 * @param {string} query
 * @param {() => Promise<Response>} send
 * @returns {Promise<Response>}
 */
export async function sendRetryingBusy(query, send) {
  const retriable = /^\s*(query\b|\{)/.test(query);
  for (let tries = 1; ; tries++) {
    const response = await send();
    const wait = busyWait(response);
    if (!retriable || wait === null || tries >= BUSY_TRIES) return response;
    await response.body?.cancel();
    await new Promise((resolve) => setTimeout(resolve, wait * 1000));
  }
}

/**
 * Seconds to wait before retrying a 503 with Retry-After (capped), or null for any other answer.
 * @param {Response} response
 * @returns {number | null}
 */
function busyWait(response) {
  const header = response.headers.get('retry-after');
  if (response.status !== 503 || header === null) return null;
  const after = Number(header);
  return Number.isFinite(after) && after >= 0 ? Math.min(after, MAX_BUSY_WAIT_S) : null;
}
