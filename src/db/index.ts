// The database: one Prisma client per process (a module singleton, as the
// services import it), connected and migrated by openDatabase().
import { createPrismaClient, tuneSqlite, type Db } from './client.ts';
import { DatabaseError, needsMigration, prepareSqliteFile, runMigrateDeploy } from './migrate.ts';
import { parseDatabaseUrl, redactDatabaseUrl, type DatabaseTarget } from './url.ts';

export type { Db } from './client.ts';
export { Prisma } from './client.ts';
export { DatabaseError } from './migrate.ts';

let current: { db: Db; target: DatabaseTarget } | undefined;

/** The process's Prisma client; openDatabase() must have run. */
export function db(): Db {
  if (!current) throw new Error('the database is not open (openDatabase() was not called)');
  return current.db;
}

export function databaseTarget(): DatabaseTarget {
  if (!current) throw new Error('the database is not open (openDatabase() was not called)');
  return current.target;
}

/** Connects, checks reachability and applies pending migrations. */
export async function openDatabase(url: string): Promise<Db> {
  if (current) return current.db;
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
  current = { db: client, target };
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

export async function closeDatabase(): Promise<void> {
  const open = current;
  current = undefined;
  await open?.db.$disconnect();
}

/** Is the database answering? For /health and /ready. */
export async function pingDatabase(): Promise<boolean> {
  try {
    await db().$queryRawUnsafe('SELECT 1');
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
