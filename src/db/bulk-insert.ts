// Multi-row INSERTs for the rows an import creates. Prisma's createMany
// builds and validates every row in JavaScript before it reaches the driver
// (about 0.25 ms a row; most of a 100,000-entity import's CPU went there),
// so the import writes its new rows as one raw INSERT per chunk instead,
// with every value encoded the way Prisma itself stores it — a test reads
// rows written both ways back through Prisma and compares them.
//
// Only for plain columns: ids come from the database, and columns a row
// leaves out get their database default, as with createMany.
import { databaseTarget, type Db } from './index.ts';

export type BulkTable = 'Advertiser' | 'Zone' | 'Advertisement' | 'Campaign' | 'Placement';

type Row = Record<string, unknown>;

/** Bound values per statement: under SQLite's limit (32,766) and PostgreSQL's (65,535). */
const MAX_VALUES = 32_000;

/**
 * Inserts the rows into `table` with createdAt/updatedAt set to `now` (what
 * @default(now()) and @updatedAt would give). Rows with different column sets
 * go in separate statements, and so do rows past MAX_VALUES bound values
 * (each statement is atomic; several are not one transaction). Returns the
 * number of rows inserted.
 */
export async function insertRows(db: Db, table: BulkTable, rows: readonly Row[], now = new Date()): Promise<number> {
  const target = databaseTarget(db);
  const postgres = target.provider === 'postgresql';
  const qualified = postgres ? `"${target.schema ?? 'public'}"."${table}"` : `"${table}"`;
  const encode = postgres ? toPostgres : toSqlite;
  const stamp = encode(now);
  let inserted = 0;
  for (const group of byColumns(rows)) {
    const given = Object.keys(group[0]!);
    const columns = [...given, 'createdAt', 'updatedAt'];
    const perStatement = Math.floor(MAX_VALUES / columns.length);
    for (let start = 0; start < group.length; start += perStatement) {
      const values: unknown[] = [];
      /** Binds a value; its placeholder ($n on PostgreSQL, with a jsonb cast for JSON; ? on SQLite). */
      const bind = (value: unknown, json = false) => {
        values.push(value);
        return postgres ? `$${values.length}${json ? '::jsonb' : ''}` : '?';
      };
      const tuples = group.slice(start, start + perStatement).map((row) => {
        const slots = given.map((column) => bind(encode(row[column]), isJson(row[column])));
        return `(${[...slots, bind(stamp), bind(stamp)].join(', ')})`;
      });
      const sql = `INSERT INTO ${qualified} (${columns.map((c) => `"${c}"`).join(', ')}) VALUES ${tuples.join(', ')}`;
      inserted += await db.$executeRawUnsafe(sql, ...values);
    }
  }
  return inserted;
}

/** The rows grouped by their set of columns (an import's rows of one table share one). */
function byColumns(rows: readonly Row[]): Row[][] {
  const groups = new Map<string, Row[]>();
  for (const row of rows) {
    if ('createdAt' in row || 'updatedAt' in row || 'id' in row) throw new Error('insertRows sets id, createdAt and updatedAt itself');
    const key = Object.keys(row).join('\0');
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  return [...groups.values()];
}

const isJson = (value: unknown): value is object => typeof value === 'object' && value !== null && !(value instanceof Date);

/** As the better-sqlite3 adapter stores values: ISO dates with "+00:00", 0/1 booleans, JSON as text. */
function toSqlite(value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (value instanceof Date) return value.toISOString().replace('Z', '+00:00');
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (isJson(value)) return JSON.stringify(value);
  return value;
}

/** For PostgreSQL: timestamp(3) columns take the UTC ISO text, jsonb the JSON text (cast in the SQL). */
function toPostgres(value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (value instanceof Date) return value.toISOString();
  if (isJson(value)) return JSON.stringify(value);
  return value;
}
