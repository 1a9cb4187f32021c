// The database of the test app (or the database) this test file opened, for
// assertions straight on the rows. The server itself has no such accessor: its
// database is passed in (services.db). A file with two apps open at once names
// the one it means (app.services.db); db() then refuses to guess.
import { afterAll, beforeAll } from 'vitest';
import { closeDatabase, openDatabase, type Db } from '../../src/db/index.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';

const open = new Set<Db>();
const opened = new Set<Db>();

/** The one database this test file has open. */
export function db(): Db {
  if (open.size !== 1) {
    throw new Error(`db(): ${open.size} test databases are open; use the app's services.db`);
  }
  return [...open][0]!;
}

/** Makes a database the one db() answers with, until forgotten. */
export function useDatabase(database: Db): Db {
  open.add(database);
  return database;
}

export function forgetDatabase(database: Db): void {
  open.delete(database);
}

/** Opens (and migrates) a test database outside an app; db() answers with it. */
export async function openTestDatabase(url: string): Promise<Db> {
  const database = await openDatabase(url);
  opened.add(database);
  return useDatabase(database);
}

/** Closes every database openTestDatabase() opened (none is fine: for an afterAll). */
export async function closeTestDatabases(): Promise<void> {
  for (const database of [...opened]) {
    opened.delete(database);
    forgetDatabase(database);
    await closeDatabase(database);
  }
}

/**
 * For a describe block whose tests share one fresh test database: created and
 * opened before its tests (db() answers with it), closed and dropped after.
 */
export function useTestDatabase(): void {
  let database: TestDatabase | undefined;
  beforeAll(async () => {
    database = await createTestDatabase();
    await openTestDatabase(database.url);
  });
  afterAll(async () => {
    await closeTestDatabases();
    await database?.drop();
  });
}
