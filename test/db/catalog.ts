// Describes a database's schema as plain text, so two databases can be
// compared: one built by the migration history, one straight from schema.prisma.
import Database from 'better-sqlite3';
import pg from 'pg';

/** Whitespace carries no meaning in SQL: SQLite keeps an ALTER TABLE … ADD COLUMN's text as " , col" where CREATE TABLE has ", col". */
const squash = (sql: string | null) =>
  (sql ?? '')
    .replace(/\s+/g, ' ')
    .replace(/ ([,)])/g, '$1')
    .trim();

export function sqliteCatalog(file: string): string[] {
  const db = new Database(file, { readonly: true });
  try {
    const rows = db
      .prepare(
        `SELECT type, name, tbl_name, sql FROM sqlite_master
         WHERE name NOT LIKE 'sqlite_%' AND tbl_name <> '_prisma_migrations' ORDER BY type, name`,
      )
      .all() as { type: string; name: string; tbl_name: string; sql: string | null }[];
    return rows.map((r) => `${r.type} ${r.name} on ${r.tbl_name}: ${squash(r.sql)}`);
  } finally {
    db.close();
  }
}

export async function postgresCatalog(url: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const columns = await client.query(
      `SELECT table_name, column_name, data_type, is_nullable, column_default
       FROM information_schema.columns
       WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'
       ORDER BY table_name, column_name`,
    );
    const indexes = await client.query(
      `SELECT indexname, indexdef FROM pg_indexes
       WHERE schemaname = 'public' AND tablename <> '_prisma_migrations' ORDER BY indexname`,
    );
    const constraints = await client.query(
      `SELECT c.conname, t.relname, pg_get_constraintdef(c.oid) AS def
       FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace
       WHERE n.nspname = 'public' AND t.relname <> '_prisma_migrations' ORDER BY t.relname, c.conname`,
    );
    return [
      ...columns.rows.map((r) => `column ${r.table_name}.${r.column_name} ${r.data_type} ${r.is_nullable} ${r.column_default ?? ''}`),
      ...indexes.rows.map((r) => `index ${r.indexname}: ${r.indexdef}`),
      ...constraints.rows.map((r) => `constraint ${r.relname}.${r.conname}: ${r.def}`),
    ];
  } finally {
    await client.end();
  }
}
