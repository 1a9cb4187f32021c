// What the current work is for — a request, a sync run — wherever it runs
// (resolvers, services, the Broadstreet client, Yoga's own error logging):
// every log line written on its behalf carries the ids, without passing a
// logger around.
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

export interface LogContext {
  requestId?: string;
  runId?: number;
}

const storage = new AsyncLocalStorage<LogContext>();

export function withLogContext<T>(fields: LogContext, work: () => T): T {
  return storage.run(fields, work);
}

export function withRequestId<T>(requestId: string, work: () => T): T {
  return withLogContext({ requestId }, work);
}

export function currentRequestId(): string | undefined {
  return storage.getStore()?.requestId;
}

/** Fields pino adds to every line (a log call's own fields win). A copy: pino merges into it. */
export function logContextFields(): LogContext {
  const store = storage.getStore();
  return store ? { ...store } : {};
}

/** The client's X-Request-Id when it is a plausible id, else a fresh one. */
export function requestIdFrom(header: string | string[] | undefined): string {
  return (typeof header === 'string' && /^[\w.-]{1,64}$/.test(header) && header) || randomUUID();
}
