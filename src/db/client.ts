// The Prisma client, made for the provider DATABASE_URL names. Both generated
// clients have the same model API; the rest of the code is typed against the
// SQLite one.
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaClient } from '../generated/prisma/client.ts';
import { paced } from './paced.ts';
import { emitQuery } from './query-events.ts';
import type { DatabaseTarget } from './url.ts';

export type Db = PrismaClient;
export { Prisma } from '../generated/prisma/client.ts';

/** Statements are emitted as events so that observeQueries() can see them. */
const log = [{ emit: 'event', level: 'query' }] as const;

export async function createPrismaClient(target: DatabaseTarget): Promise<Db> {
  const client = await createClient(target);
  client.$on('query', emitQuery);
  return client as unknown as Db;
}

async function createClient(target: DatabaseTarget) {
  if (target.provider === 'sqlite') {
    return new PrismaClient({ adapter: paced(new PrismaBetterSQLite3({ url: target.file, timeout: 10_000 })), log: [...log] });
  }
  const [{ PrismaPg }, { PrismaClient: PostgresClient }] = await Promise.all([
    import('@prisma/adapter-pg'),
    import('../generated/prisma-postgres/client.ts'),
  ]);
  const adapter = new PrismaPg(
    { connectionString: target.connectionString, max: 10, connectionTimeoutMillis: 5_000 },
    { schema: target.schema },
  );
  return new PostgresClient({ adapter, log: [...log] }) as unknown as PrismaClient<'query'>;
}

/** Settings that make SQLite behave under concurrent readers and one writer. */
export async function tuneSqlite(db: Db): Promise<void> {
  await db.$queryRawUnsafe('PRAGMA journal_mode = WAL');
  await db.$executeRawUnsafe('PRAGMA synchronous = NORMAL');
  await db.$executeRawUnsafe('PRAGMA foreign_keys = ON');
}
