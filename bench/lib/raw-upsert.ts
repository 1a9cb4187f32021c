// The baseline for import write speed: the same rows an import wrote, upserted
// with the driver directly — prepared statements, one transaction — the
// fastest a Node.js program can write them: better-sqlite3 for SQLite, pg for
// PostgreSQL.
import Database from 'better-sqlite3';
import pg from 'pg';

/** Tables in dependency order, each with the unique key an import matches by. */
const TABLES: [table: string, key: string[]][] = [
  ['Network', ['broadstreetId']],
  ['Advertiser', ['networkId', 'broadstreetId']],
  ['Zone', ['networkId', 'broadstreetId']],
  ['Advertisement', ['networkId', 'broadstreetId']],
  ['Campaign', ['networkId', 'broadstreetId']],
  ['Placement', ['campaignId', 'advertisementId', 'zoneId']],
];

export type RowsByTable = Map<string, Record<string, unknown>[]>;

/** Every entity row of a database, as stored (untimed: this is the input). */
export function readEntityRows(file: string): RowsByTable {
  const db = new Database(file, { readonly: true });
  try {
    return new Map(TABLES.map(([table]) => [table, db.prepare(`SELECT * FROM "${table}" ORDER BY id`).all() as Record<string, unknown>[]]));
  } finally {
    db.close();
  }
}

export const rowCount = (rows: RowsByTable): number => [...rows.values()].reduce((n, r) => n + r.length, 0);

function upsertSql(table: string, key: string[], columns: string[], placeholder: (i: number) => string): string {
  const set = columns.filter((c) => c !== 'id' && !key.includes(c)).map((c) => `"${c}" = excluded."${c}"`);
  return `INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) VALUES (${columns.map((_, i) => placeholder(i)).join(', ')})
           ON CONFLICT (${key.map((c) => `"${c}"`).join(', ')}) DO UPDATE SET ${set.join(', ')}`;
}

/** Upserts every row into the database at `file`; returns the time the writing took. */
export function rawUpsert(file: string, rows: RowsByTable): number {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  try {
    const started = performance.now();
    db.transaction(() => {
      for (const [table, key] of TABLES) {
        const list = rows.get(table) ?? [];
        if (list.length === 0) continue;
        const columns = Object.keys(list[0]!);
        const statement = db.prepare(upsertSql(table, key, columns, () => '?'));
        for (const row of list) statement.run(columns.map((c) => row[c] as never));
      }
    })();
    return performance.now() - started;
  } finally {
    db.close();
  }
}

/** Every entity row of a PostgreSQL database, as stored (untimed: this is the input). */
export async function readEntityRowsPg(url: string): Promise<RowsByTable> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const rows: RowsByTable = new Map();
    for (const [table] of TABLES) rows.set(table, (await client.query(`SELECT * FROM "${table}" ORDER BY id`)).rows);
    return rows;
  } finally {
    await client.end();
  }
}

/** A value as pg should send it: Json columns come back parsed, and pg would send an array as a PostgreSQL array. */
const pgParam = (value: unknown) =>
  value !== null && typeof value === 'object' && !(value instanceof Date) ? JSON.stringify(value) : value;

/** Upserts every row into the PostgreSQL database at `url`, one connection, one transaction; returns the time the writing took. */
export async function rawUpsertPg(url: string, rows: RowsByTable): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const started = performance.now();
    await client.query('BEGIN');
    for (const [table, key] of TABLES) {
      const list = rows.get(table) ?? [];
      if (list.length === 0) continue;
      const columns = Object.keys(list[0]!);
      const text = upsertSql(table, key, columns, (i) => `$${i + 1}`);
      for (const row of list) await client.query({ name: `upsert-${table}`, text, values: columns.map((c) => pgParam(row[c])) });
    }
    await client.query('COMMIT');
    return performance.now() - started;
  } finally {
    await client.end();
  }
}
