// A second better-sqlite3 connection to an open SQLite database, for the
// hand-written hot reads (hot-reads.ts) only: they skip Prisma's client and
// driver adapter altogether (about half the CPU a raw statement costs through
// Prisma), and reuse their prepared statements. It only ever runs SELECTs,
// outside any transaction; in WAL mode each statement reads the latest
// committed state, as Prisma's own connection does.
import Database from 'better-sqlite3';

export interface SqliteResult {
  /** Each column's declared type (DATETIME, JSONB, …), or null for an expression. */
  types: (string | null)[];
  rows: unknown[][];
}

export interface SqliteReader {
  all(sql: string, values: readonly unknown[]): SqliteResult;
}

/** Prepared statements kept per connection; the hot reads write a handful of distinct statements. */
const MAX_STATEMENTS = 200;

const readers = new Map<string, SqliteReader & { close(): void }>();

/** The reader of a database file, opened on first use; null for an in-memory database (a second connection would be another database). */
export function sqliteReader(file: string): SqliteReader | null {
  if (file === ':memory:') return null;
  let reader = readers.get(file);
  if (!reader) {
    reader = openReader(file);
    readers.set(file, reader);
  }
  return reader;
}

/** Closes the file's reader, if one was opened (when Prisma's client of that file closes). */
export function closeSqliteReader(file: string): void {
  readers.get(file)?.close();
  readers.delete(file);
}

function openReader(file: string): SqliteReader & { close(): void } {
  const connection = new Database(file, { fileMustExist: true, timeout: 10_000 });
  const statements = new Map<string, { statement: Database.Statement; types: (string | null)[] }>();
  const prepared = (sql: string) => {
    let entry = statements.get(sql);
    if (!entry) {
      if (statements.size >= MAX_STATEMENTS) statements.clear();
      const statement = connection.prepare(sql).raw(true);
      entry = { statement, types: statement.columns().map((c) => c.type?.toUpperCase() ?? null) };
      statements.set(sql, entry);
    }
    return entry;
  };
  return {
    all(sql, values) {
      const { statement, types } = prepared(sql);
      return { types, rows: statement.all(...values) as unknown[][] };
    },
    close: () => connection.close(),
  };
}
