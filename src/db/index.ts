// The database: one Prisma client per database URL, connected and migrated
// by openDatabase() and passed in (services.db) to whatever needs it. Two
// apps in one process may use two databases; opening one URL twice shares the
// client until both have closed it.
import { createPrismaClient, tuneSqlite, type Db } from './client.ts';
import { DatabaseError, needsMigration, prepareSqliteFile, runMigrateDeploy } from './migrate.ts';
import { closeSqliteReader } from './sqlite-reader.ts';
import { parseDatabaseUrl, redactDatabaseUrl, type DatabaseTarget } from './url.ts';

export type { Db } from './client.ts';
export { Prisma } from './client.ts';
export { DatabaseError } from './migrate.ts';

interface OpenDatabase {
  opening: Promise<Db>;
  users: number;
}

/** The databases open in this process, by URL (a registry, not a "current" database). */
const open = new Map<string, OpenDatabase>();
/** Each open client's target (provider, file or schema). */
const targets = new WeakMap<Db, DatabaseTarget>();

/** Where a client opened by openDatabase() points: its provider, file or schema. */
export function databaseTarget(db: Db): DatabaseTarget {
  const target = targets.get(db);
  if (!target) throw new Error('this Prisma client was not opened by openDatabase()');
  return target;
}

/** Connects, checks reachability and applies pending migrations; the same URL again shares the client. */
export async function openDatabase(url: string): Promise<Db> {
  const existing = open.get(url);
  if (existing) {
    existing.users += 1;
    return existing.opening;
  }
  const entry: OpenDatabase = { opening: connectAndMigrate(url), users: 1 };
  open.set(url, entry);
  entry.opening.catch(() => {
    if (open.get(url) === entry) open.delete(url);
  });
  return entry.opening;
}

async function connectAndMigrate(url: string): Promise<Db> {
  const target = parseDatabaseUrl(url);
  prepareSqliteFile(target);
  let client = await connect(target);
  try {
    if (await needsMigration(client, target)) {
      // The CLI migrates through its own connection; SQLite wants ours closed.
      await client.$disconnect();
      await runMigrateDeploy(target);
      client = await connect(target);
    }
    if (target.provider === 'sqlite') await tuneSqlite(client);
  } catch (error) {
    await client.$disconnect().catch(() => {});
    throw describeConnectError(error, target);
  }
  targets.set(client, target);
  return client;
}

async function connect(target: DatabaseTarget): Promise<Db> {
  const client = await createPrismaClient(target);
  try {
    await client.$connect();
    await client.$queryRawUnsafe('SELECT 1');
    return client;
  } catch (error) {
    await client.$disconnect().catch(() => {});
    throw describeConnectError(error, target);
  }
}

/** Closes a client openDatabase() returned, once every opener of its URL has closed it. */
export async function closeDatabase(db: Db): Promise<void> {
  for (const [url, entry] of open) {
    if ((await entry.opening.catch(() => undefined)) !== db) continue;
    entry.users -= 1;
    if (entry.users > 0) return;
    open.delete(url);
    const target = targets.get(db);
    if (target?.provider === 'sqlite') closeSqliteReader(target.file);
    await db.$disconnect();
    return;
  }
}

/** Is the database answering? For /health and /ready. */
export async function pingDatabase(db: Db): Promise<boolean> {
  try {
    await db.$queryRawUnsafe('SELECT 1');
    return true;
  } catch {
    return false;
  }
}

function describeConnectError(error: unknown, target: DatabaseTarget): Error {
  if (error instanceof DatabaseError) return error;
  const where = target.provider === 'sqlite' ? `the SQLite database at ${target.file}` : redactDatabaseUrl(target.url);
  const cause = (error as { meta?: { driverAdapterError?: { cause?: AdapterCause } } })?.meta?.driverAdapterError?.cause;
  if (cause?.kind === 'DatabaseNotReachable') {
    return new DatabaseError(`cannot reach ${where}: no server answers at ${cause.host}:${cause.port} (ECONNREFUSED)`);
  }
  if (cause?.originalMessage) return new DatabaseError(`cannot use ${where}: ${cause.originalMessage}`);
  if (cause?.kind) return new DatabaseError(`cannot use ${where}: ${cause.kind}`);
  const text = String((error as { message?: unknown })?.message ?? error);
  const line =
    text
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .pop() ?? 'unknown error';
  return new DatabaseError(`cannot use ${where}: ${line}`);
}

interface AdapterCause {
  kind?: string;
  host?: string;
  port?: number;
  originalMessage?: string;
}
