// A cap on GraphQL queries executing at once over HTTP. In embedded mode a
// sync run shares this process's event loop with every operation. A query on
// SQLite is mostly promise callbacks, so the requests that arrive in one poll
// phase ran back to back in it: with 50 clients, most of a second in which a
// run's responses and timers waited (an import of 500 entities went from 2 s
// to over 190 s). Here queries start at most one per turn of the loop, at most
// GRAPHQL_MAX_CONCURRENT_OPERATIONS at once; the rest wait in a queue, costing
// nothing (identical ones share one execution), and while a sync run executes
// here and the loop is mostly busy, the next waits a few milliseconds more. Past
// GRAPHQL_MAX_QUEUED_OPERATIONS they are refused at once with 503 and
// Retry-After, which a client can act on, rather than waiting without bound.
// Mutations (a person's action: starting a run, an edit), subscriptions
// (which stream for as long as a client listens) and anything over WebSocket
// stay out of it, as do /health and the other plain endpoints, which never
// reach GraphQL.
import { performance } from 'node:perf_hooks';
import { getOperationAST, GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';

export interface OperationCap {
  /** Operations executing at once. */
  concurrency: number;
  /** Operations waiting for a slot; one more is refused. */
  queue: number;
  /** Whether identical queries waiting for a slot share one execution (default true). */
  share?: boolean;
  /** Whether other work has the event loop first (a sync run executing here): then a busy loop paces the queue. */
  yieldTo?: () => boolean;
}

/** What a refused operation's client is told to wait, in seconds. */
export const BUSY_RETRY_AFTER_S = 1;

export const SERVER_BUSY = 'SERVER_BUSY';

/**
 * Slots and a first-come queue: `acquire` resolves to a release function, or
 * to null when the queue is full. At most one operation starts per turn of
 * the event loop: an operation on SQLite is mostly promise callbacks, so the
 * requests that arrive in one poll phase would otherwise run back to back in
 * it (fifty of them: most of a second) before a sync run's responses and
 * timers get their next turn. Queued operations start from setImmediate, one
 * per turn, each after the loop has polled for I/O again.
 */
/**
 * Event-loop utilization above which, while a sync run executes in this
 * process, queued queries wait SATURATED_PAUSE_MS before the next starts,
 * over windows of ELU_WINDOW_MS: the run gets the loop's turns before a queue
 * of readers does (without a run, queries keep the whole loop) (`read-load`:
 * at 0.75 an import under 50 readers took 1.80× its unloaded time, at 0.5
 * 1.53× with a lower query p99, at 0.3 1.44× with a higher one).
 */
const SATURATED = 0.5;
const ELU_WINDOW_MS = 100;
export const SATURATED_PAUSE_MS = 5;

/** Whether the event loop was busy more than SATURATED of the last window (performance.eventLoopUtilization). */
function loopSaturation(): () => boolean {
  let mark = performance.eventLoopUtilization();
  let markedAt = performance.now();
  let last = 0;
  return () => {
    const now = performance.now();
    if (now - markedAt >= ELU_WINDOW_MS) {
      const current = performance.eventLoopUtilization();
      last = performance.eventLoopUtilization(current, mark).utilization;
      mark = current;
      markedAt = now;
    }
    return last > SATURATED;
  };
}

/** Saturation that counts only while `yieldTo` says other work comes first (always, without it). */
function busyFor(yieldTo?: () => boolean): () => boolean {
  const saturated = loopSaturation();
  return () => saturated() && (yieldTo?.() ?? true);
}

export function createSlots({ concurrency, queue, yieldTo }: OperationCap, saturated: () => boolean = busyFor(yieldTo)) {
  let running = 0;
  let startedThisTurn = false;
  let drainScheduled = false;
  const waiting: ((release: () => void) => void)[] = [];
  const start = (): (() => void) => {
    running++;
    startedThisTurn = true;
    setImmediate(endTurn);
    return once(release);
  };
  function endTurn() {
    startedThisTurn = false;
  }
  function release() {
    running--;
    scheduleDrain();
  }
  function scheduleDrain() {
    if (drainScheduled || waiting.length === 0) return;
    drainScheduled = true;
    setImmediate(drain, false);
  }
  function drain(paused = false) {
    drainScheduled = false;
    if (running < concurrency && !startedThisTurn) {
      if (!paused && saturated()) {
        // The loop was busy for most of the last moment: the queue waits a little, so a run's work gets its turns.
        drainScheduled = true;
        setTimeout(drain, SATURATED_PAUSE_MS, true);
        return;
      }
      waiting.shift()?.(start());
    }
    // Whatever is left waits for the next turn (a setImmediate set now runs in the next check phase).
    scheduleDrain();
  }
  return {
    acquire(): Promise<(() => void) | null> | (() => void) | null {
      if (running < concurrency && !startedThisTurn && waiting.length === 0) return start();
      // Those in line for a slot that is free (waiting only for the next turn) do not count against the queue.
      if (waiting.length >= queue + Math.max(0, concurrency - running)) return null;
      const slot = new Promise<() => void>((resolve) => waiting.push(resolve));
      scheduleDrain();
      return slot;
    },
    get running() {
      return running;
    },
    get waiting() {
      return waiting.length;
    },
  };
}

function once(fn: () => void): () => void {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    fn();
  };
}

export function busyError(): GraphQLError {
  return new GraphQLError('The server is busy: too many operations are waiting. Retry after the Retry-After header.', {
    extensions: { code: SERVER_BUSY, http: { status: 503, headers: { 'Retry-After': String(BUSY_RETRY_AFTER_S) } } },
  });
}

/** Over graphql-ws the initial context carries the socket (see app.ts); over HTTP it does not. */
const overWebSocket = (context: object) => 'socket' in context && (context as { socket?: unknown }).socket !== undefined;

/** A query waiting for a slot: identical ones that arrive meanwhile are answered from its execution. */
interface Pending {
  result: Promise<unknown>;
  /** The first call counts. */
  settle(result: Promise<unknown>): void;
}

function pendingAnswer(): Pending {
  let settle!: (result: Promise<unknown>) => void;
  const result = new Promise<unknown>((resolve) => {
    settle = resolve;
  });
  // A failed execution is its own request's error; those sharing it run their own (see useOperationCap).
  result.catch(() => {});
  return { result, settle };
}

/**
 * What makes two queries the same: one parsed document (yoga caches the parse
 * of a query text), its operation, its variables, and the caller's access
 * scope (the only part of the context an answer depends on).
 */
function sameness() {
  const documents = new WeakMap<object, number>();
  let next = 0;
  return (args: { document: object; operationName?: string | null; variableValues?: unknown; contextValue: unknown }): string => {
    let id = documents.get(args.document);
    if (id === undefined) documents.set(args.document, (id = next++));
    const scope = (args.contextValue as { scope?: string }).scope ?? '';
    return `${id}\u0000${args.operationName ?? ''}\u0000${scope}\u0000${JSON.stringify(args.variableValues ?? {})}`;
  };
}

const isAsyncIterable = (value: unknown): boolean =>
  typeof value === 'object' && value !== null && Symbol.asyncIterator in (value as object);

export function useOperationCap(cap: OperationCap): Plugin {
  const slots = createSlots(cap);
  const keyOf = sameness();
  // Queries in the queue, by sameness, until their execution starts.
  const pending = new Map<string, Pending>();
  return {
    async onExecute({ args, executeFn, setExecuteFn, setResultAndStopExecution }) {
      if (overWebSocket(args.contextValue as object)) return;
      // Queries only: a mutation (starting or cancelling a run, an edit) is a person's action, rare and never refused.
      if (getOperationAST(args.document, args.operationName ?? undefined)?.operation !== 'query') return;
      const key = cap.share === false ? null : keyOf(args);
      // The same query is waiting already: it has not started, so its answer is as fresh as one of our own
      // would be. Fifty dashboards sending the same five lists cost five executions, not fifty.
      const same = key === null ? undefined : pending.get(key);
      if (same) {
        setExecuteFn(async (executeArgs) => {
          const shared = await same.result.catch(() => undefined);
          // Its own execution (unheld) when there is nothing to share: that one failed, or streams (@defer) per client.
          return shared === undefined || isAsyncIterable(shared) ? executeFn(executeArgs) : shared;
        });
        return;
      }
      const slot = slots.acquire();
      if (!slot) {
        setResultAndStopExecution({ errors: [busyError()] });
        return;
      }
      let waiting: Pending | undefined;
      let release = slot as () => void;
      if (slot instanceof Promise) {
        if (key !== null) {
          waiting = pendingAnswer();
          pending.set(key, waiting);
        }
        try {
          release = (await slot)!;
        } finally {
          if (key !== null) pending.delete(key);
        }
      }
      // Released however execution ends: a rejected execution (a client gone mid-query) must not keep its slot.
      // A streamed result (@defer) holds its slot only until its first part: the rest is the client's pace.
      setExecuteFn(async (executeArgs) => {
        try {
          // A synchronous throw too becomes the rejection those waiting on it see.
          const executed = (async () => executeFn(executeArgs))();
          waiting?.settle(executed);
          return await executed;
        } finally {
          release();
        }
      });
      // Should a later plugin answer instead of executing, those waiting on this query get that answer.
      return waiting && { onExecuteDone: ({ result }) => waiting.settle(Promise.resolve(result)) };
    },
  };
}
