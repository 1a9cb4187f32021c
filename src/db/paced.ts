// better-sqlite3 runs each statement synchronously, so a Prisma query over it
// settles in microtasks: a chain of awaited queries (an import's lookups and
// writes, several runs' read-aheads) never hands the event loop back, and
// held it 50–150 ms at a time in a 10,000-entity import (issue 18). The
// adapter made here lets the event loop turn before a statement once the
// last turn it gave is PACE_MS old — one setImmediate per PACE_MS at most,
// nothing for statements that are apart anyway. Not inside a transaction:
// what else is queued would run on its connection, inside it.
import type { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { yieldToEventLoop } from '../domain/slices.ts';

/** The longest a chain of SQLite statements runs before the event loop gets a turn. */
export const PACE_MS = 10;

type Adapter = Awaited<ReturnType<PrismaBetterSQLite3['connect']>>;

let lastTurn = 0;

/** Resolves at once when the loop had a turn in the last PACE_MS; else after one. */
export async function turnIfDue(): Promise<void> {
  const now = performance.now();
  if (now - lastTurn < PACE_MS) return;
  await yieldToEventLoop();
  lastTurn = performance.now();
}

/** The factory, whose adapters' statements outside transactions wait for turnIfDue first. */
export function paced(factory: PrismaBetterSQLite3): PrismaBetterSQLite3 {
  const connect = factory.connect.bind(factory);
  factory.connect = async () => pace(await connect());
  return factory;
}

function pace(adapter: Adapter): Adapter {
  const queryRaw = adapter.queryRaw.bind(adapter);
  const executeRaw = adapter.executeRaw.bind(adapter);
  adapter.queryRaw = async (query) => {
    await turnIfDue();
    return queryRaw(query);
  };
  adapter.executeRaw = async (query) => {
    await turnIfDue();
    return executeRaw(query);
  };
  return adapter;
}
