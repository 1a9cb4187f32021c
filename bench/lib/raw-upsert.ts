// The baseline for import write speed: the same rows an import wrote, upserted
// with better-sqlite3 directly — prepared statements, one transaction — the
// fastest a Node.js program can write them to SQLite.
import Database from 'better-sqlite3';

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
        const set = columns.filter((c) => c !== 'id' && !key.includes(c)).map((c) => `"${c}" = excluded."${c}"`);
        const statement = db.prepare(
          `INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})
           ON CONFLICT (${key.map((c) => `"${c}"`).join(', ')}) DO UPDATE SET ${set.join(', ')}`,
        );
        for (const row of list) statement.run(columns.map((c) => row[c] as never));
      }
    })();
    return performance.now() - started;
  } finally {
    db.close();
  }
}
