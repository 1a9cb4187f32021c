// Cheaper reads for the hot list queries: a page of rows with their to-one
// parents as ONE hand-written JOIN, instead of Prisma's one statement per
// relation. Prisma costs about 0.7 ms of CPU per statement (query building,
// the query compiler, result mapping); a raw statement skips most of that,
// and the join folds the page's 4–5 statements into one.
//
// findPage() takes the very arguments the list resolvers give findMany
// (plugin-prisma's `include` tree, the where-clause, id order, take) and
// translates the small subset the lists use. Anything outside that subset —
// a select, a to-many include, OR, dates, a cursor, a name order, no order —
// goes to Prisma unchanged, so the answer is always Prisma's answer. On
// SQLite the statement runs on the file's own better-sqlite3 connection
// (sqlite-reader.ts) and its values are decoded here as Prisma decodes them;
// on PostgreSQL it goes through $queryRawUnsafe, which decodes them as
// Prisma's model reads do. Both report the statement to observeQueries().
// test/db/hot-reads.test.ts compares both paths' rows and served JSON on
// SQLite and PostgreSQL; useHotReads(false) turns the JOIN off.
import { getDatamodel } from '../generated/pothos-prisma-types.ts';
import { databaseTarget, type Db } from './index.ts';
import { emitQuery } from './query-events.ts';
import { sqliteReader, type SqliteReader } from './sqlite-reader.ts';

/** The models whose reads go through here (their Prisma delegate names). */
export type HotModel = 'network' | 'advertiser' | 'zone' | 'campaign' | 'advertisement' | 'placement' | 'syncError';

interface FieldInfo {
  name: string;
  kind: string;
  type: string;
  isList: boolean;
  isRequired: boolean;
  relationFromFields?: string[];
}

const MODELS = getDatamodel().datamodel.models as unknown as Record<string, { fields: FieldInfo[] }>;

/** Longest IN list written here; longer ones go to Prisma, which knows the bound-value limits. */
const MAX_IN_LIST = 500;

/**
 * The columns read of each joined parent (by relation name), and of its own
 * parents; null columns, or a relation not named, read the whole row. The
 * root's row is always whole. See src/graphql/parent-columns.ts.
 */
export interface ParentColumns {
  [relation: string]: { columns: readonly string[] | null; parents: ParentColumns };
}

/** A model in the join: its table alias, its scalar columns' positions in a result row, its joined parents. */
interface JoinNode {
  alias: string;
  columns: { field: string; at: number }[];
  idAt: number;
  parents: { field: string; node: JoinNode }[];
}

/** A statement being written: bound values and dialect. */
class Statement {
  readonly values: unknown[] = [];
  private tables = 0;
  private outputs = 0;
  constructor(
    readonly postgres: boolean,
    private readonly schema: string | undefined,
  ) {}
  bind(value: unknown): string {
    this.values.push(typeof value === 'boolean' && !this.postgres ? Number(value) : value);
    return this.postgres ? `$${this.values.length}` : '?';
  }
  table(model: string): string {
    return this.postgres ? `"${this.schema ?? 'public'}"."${model}"` : `"${model}"`;
  }
  nextTable(): string {
    return `t${this.tables++}`;
  }
  /** The position of the next output column (named c<position> in the SQL). */
  nextOutput(): number {
    return this.outputs++;
  }
}

/** Unsupported: this read goes to Prisma as it is. */
const PRISMA = null;

export interface FindArgs {
  where?: unknown;
  include?: unknown;
  orderBy?: unknown;
  take?: number;
  [key: string]: unknown;
}

const delegate = (db: Db, model: HotModel) =>
  db[model] as unknown as { findMany(args: object): Promise<unknown[]>; count(args: object): Promise<number> };

const modelName = (model: HotModel) => `${model.charAt(0).toUpperCase()}${model.slice(1)}`;

function statementFor(db: Db): Statement {
  const target = databaseTarget(db);
  return new Statement(target.provider === 'postgresql', target.provider === 'postgresql' ? target.schema : undefined);
}

let enabled = true;

/** Sends every read to Prisma (off) or lets the JOIN take those it can (on, the default): both paths' answers are compared in tests. */
export function useHotReads(on: boolean): void {
  enabled = on;
}

/** findMany(args) on `model`: one JOIN when the arguments allow it, Prisma's findMany otherwise. */
export async function findPage<T>(db: Db, model: HotModel, args: FindArgs, parentColumns?: ParentColumns): Promise<T[]> {
  const plan = enabled ? pageSql(statementFor(db), modelName(model), args, parentColumns ?? {}) : PRISMA;
  if (plan === PRISMA) return delegate(db, model).findMany(args) as Promise<T[]>;
  const rows = await select(db, plan.sql, plan.values, plan.width);
  const page = rows.map((row) => nest(plan.root, row)!);
  return (plan.reversed ? page.reverse() : page) as T[];
}

/** count({ where }) on `model`: one raw COUNT when the where-clause allows it. */
export async function countRows(db: Db, model: HotModel, where: unknown): Promise<number> {
  const statement = statementFor(db);
  const name = modelName(model);
  const condition = enabled ? whereSql(statement, name, 't0', where) : PRISMA;
  if (condition === PRISMA) return delegate(db, model).count({ where });
  const sql = `SELECT COUNT(*) AS "n" FROM ${statement.table(name)} AS t0${condition ? ` WHERE ${condition}` : ''}`;
  const [row] = await select(db, sql, statement.values, 1);
  return Number(row![0]);
}

/**
 * Runs a SELECT whose output columns are named c0…c<width-1> (or one column),
 * each row as an array of values decoded as Prisma decodes them. On SQLite
 * through the file's own reader connection, reported to observeQueries like
 * Prisma's statements; on PostgreSQL through Prisma's raw query.
 */
async function select(db: Db, sql: string, values: unknown[], width: number): Promise<unknown[][]> {
  const target = databaseTarget(db);
  const reader = target.provider === 'sqlite' ? sqliteReader(target.file) : null;
  if (reader) return readSqlite(reader, sql, values);
  const rows = await db.$queryRawUnsafe<Record<string, unknown>[]>(sql, ...values);
  if (width === 1) return rows.map((row) => Object.values(row));
  return rows.map((row) => Array.from({ length: width }, (_, i) => row[`c${i}`]));
}

function readSqlite(reader: SqliteReader, sql: string, values: unknown[]): unknown[][] {
  const started = performance.now();
  const { types, rows } = reader.all(sql, values);
  emitQuery({ query: sql, params: JSON.stringify(values), duration: performance.now() - started });
  const decoders = types.map((type) => (type ? SQLITE_DECODERS[type] : undefined));
  for (const row of rows) {
    for (let i = 0; i < row.length; i++) {
      const decode = decoders[i];
      if (decode && row[i] !== null) row[i] = decode(row[i]);
    }
  }
  return rows;
}

/**
 * What Prisma's SQLite adapter and client make of a stored value, by the
 * column's declared type (see the migrations): DateTime is ISO-8601 text (or
 * milliseconds, which the adapter also accepts), Boolean 0/1, Json text.
 * Integers, reals and text are returned as stored.
 */
const SQLITE_DECODERS: Record<string, (value: unknown) => unknown> = {
  DATETIME: (value) => (typeof value === 'string' ? sqliteDate(value) : new Date(Number(value))),
  BOOLEAN: (value) => Boolean(value),
  JSONB: (value) => (typeof value === 'string' ? JSON.parse(value) : value),
  INTEGER: (value) => (typeof value === 'number' && !Number.isInteger(value) ? Math.trunc(value) : value),
};

const ZONED = /(?:Z|[+-]\d\d:?\d\d)$/i;
const DATE_ONLY = /^\d{4}-\d\d-\d\d$/;

/**
 * Stored date text as Prisma reads it: in UTC when it names no zone, as
 * CURRENT_TIMESTAMP (a column default) writes it ("2026-01-02 03:04:05");
 * Date would take that text as local time.
 */
function sqliteDate(text: string): Date {
  return new Date(ZONED.test(text) || DATE_ONLY.test(text) ? text : `${text.replace(' ', 'T')}Z`);
}

interface PagePlan {
  sql: string;
  values: unknown[];
  root: JoinNode;
  /** Output columns. */
  width: number;
  /** A negative take reads the last rows: in reverse, then turned back. */
  reversed: boolean;
}

function pageSql(statement: Statement, model: string, args: FindArgs, parentColumns: ParentColumns): PagePlan | null {
  const { where, include, orderBy, take, ...rest } = args;
  if (Object.values(rest).some((v) => v !== undefined && v !== 0)) return PRISMA; // skip, cursor, select, distinct
  if (take !== undefined && !Number.isInteger(take)) return PRISMA;
  const direction = idDirection(orderBy);
  if (direction === PRISMA) return PRISMA;
  const joins: string[] = [];
  const root = joinNode(statement, model, statement.nextTable(), include ?? {}, joins, null, parentColumns);
  if (root === PRISMA) return PRISMA;
  const condition = whereSql(statement, model, root.alias, where);
  if (condition === PRISMA) return PRISMA;
  const reversed = take !== undefined && take < 0;
  const order = (direction === 'asc') !== reversed ? 'ASC' : 'DESC';
  const limit = take === undefined ? '' : ` LIMIT ${statement.bind(Math.abs(take))}`;
  const sql =
    `SELECT ${selectList(root).join(', ')} FROM ${statement.table(model)} AS ${root.alias}${joins.join('')}` +
    `${condition ? ` WHERE ${condition}` : ''} ORDER BY ${root.alias}."id" ${order}${limit}`;
  return { sql, values: statement.values, root, width: statement.nextOutput(), reversed };
}

/** The lists are in id order (creation order); any other order, or none (unspecified), goes to Prisma. */
function idDirection(orderBy: unknown): 'asc' | 'desc' | null {
  const entry = (Array.isArray(orderBy) && orderBy.length === 1 ? orderBy[0] : orderBy) as Record<string, unknown> | undefined;
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return PRISMA;
  const keys = Object.keys(entry);
  if (keys.length !== 1 || keys[0] !== 'id' || (entry.id !== 'asc' && entry.id !== 'desc')) return PRISMA;
  return entry.id;
}

/**
 * The model's table with every parent `include` names LEFT JOINed in (only
 * to-one relations this side holds): `only` of its columns (null: all), its
 * parents' columns as `parentColumns` says.
 */
function joinNode(
  statement: Statement,
  model: string,
  alias: string,
  include: unknown,
  joins: string[],
  only: readonly string[] | null,
  parentColumns: ParentColumns,
): JoinNode | null {
  const fields = MODELS[model]?.fields;
  if (!fields || typeof include !== 'object' || include === null) return PRISMA;
  const columns = fields
    .filter((f) => (f.kind === 'scalar' || f.kind === 'enum') && (only === null || f.name === 'id' || only.includes(f.name)))
    .map((f) => ({ field: f.name, at: statement.nextOutput() }));
  const node: JoinNode = { alias, columns, idAt: columns.find((c) => c.field === 'id')!.at, parents: [] };
  for (const [name, value] of Object.entries(include)) {
    if (value === undefined || value === false) continue;
    const relation = fields.find((f) => f.name === name);
    if (relation?.kind !== 'object' || relation.isList || relation.relationFromFields?.length !== 1) return PRISMA;
    const nested = value === true ? {} : onlyInclude(value);
    if (nested === PRISMA) return PRISMA;
    const parentAlias = statement.nextTable();
    joins.push(
      ` LEFT JOIN ${statement.table(relation.type)} AS ${parentAlias} ON ${parentAlias}."id" = ${alias}."${relation.relationFromFields[0]}"`,
    );
    const read = Object.hasOwn(parentColumns, name) ? parentColumns[name] : undefined;
    const parent = joinNode(statement, relation.type, parentAlias, nested, joins, read?.columns ?? null, read?.parents ?? {});
    if (parent === PRISMA) return PRISMA;
    node.parents.push({ field: name, node: parent });
  }
  return node;
}

/** `{ include: {...} }` (or `{}`) of a relation; a select, where or _count is not for here. */
function onlyInclude(value: unknown): object | null {
  if (typeof value !== 'object' || value === null) return PRISMA;
  const { include, ...rest } = value as { include?: unknown };
  if (Object.keys(rest).length > 0) return PRISMA;
  return include === undefined ? {} : typeof include === 'object' && include !== null ? include : PRISMA;
}

function selectList(node: JoinNode): string[] {
  return [...node.columns.map((c) => `${node.alias}."${c.field}" AS "c${c.at}"`), ...node.parents.flatMap((p) => selectList(p.node))];
}

/** A result row's columns as Prisma's nested row: a parent the LEFT JOIN did not find is null. */
function nest(node: JoinNode, row: unknown[]): Record<string, unknown> | null {
  if (row[node.idAt] === null || row[node.idAt] === undefined) return null;
  const out: Record<string, unknown> = {};
  for (const c of node.columns) out[c.field] = row[c.at];
  for (const p of node.parents) out[p.field] = nest(p.node, row);
  return out;
}

type Scalar = string | number | boolean;
const isScalar = (v: unknown): v is Scalar => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';

/**
 * The SQL of a Prisma where-clause on one table, for the operators the lists
 * use: equality, null / not null, id bounds and id lists, AND. '' is no
 * condition; null means "let Prisma do it" (OR, NOT, dates, relations, text
 * search, comparisons on nullable columns).
 */
function whereSql(statement: Statement, model: string, alias: string, where: unknown): string | null {
  if (where === undefined) return '';
  if (typeof where !== 'object' || where === null || Array.isArray(where)) return PRISMA;
  const fields = MODELS[model]!.fields;
  const parts: string[] = [];
  for (const [key, value] of Object.entries(where)) {
    if (value === undefined) continue;
    if (key === 'AND') {
      for (const clause of Array.isArray(value) ? value : [value]) {
        const sql = whereSql(statement, model, alias, clause);
        if (sql === PRISMA) return PRISMA;
        if (sql) parts.push(`(${sql})`);
      }
      continue;
    }
    const field = fields.find((f) => f.name === key);
    if (!field || (field.kind !== 'scalar' && field.kind !== 'enum') || field.isList) return PRISMA;
    const sql = fieldSql(statement, `${alias}."${key}"`, field, value);
    if (sql === PRISMA) return PRISMA;
    parts.push(...sql);
  }
  return parts.join(' AND ');
}

function fieldSql(statement: Statement, column: string, field: FieldInfo, value: unknown): string[] | null {
  if (value === null) return [`${column} IS NULL`];
  if (isScalar(value)) return [`${column} = ${statement.bind(value)}`];
  if (typeof value !== 'object' || value instanceof Date) return PRISMA;
  const parts: string[] = [];
  for (const [op, operand] of Object.entries(value)) {
    if (operand === undefined) continue;
    if (op === 'not' && operand === null) parts.push(`${column} IS NOT NULL`);
    else if (op === 'equals' && (operand === null || isScalar(operand))) {
      parts.push(operand === null ? `${column} IS NULL` : `${column} = ${statement.bind(operand)}`);
    } else if (op === 'in' && inList(operand)) {
      // SQL's IN never matches NULL, as Prisma's; an empty list matches nothing.
      parts.push(operand.length === 0 ? '1 = 0' : `${column} IN (${operand.map((v) => statement.bind(v)).join(', ')})`);
    } else if (!field.isRequired)
      return PRISMA; // NOT IN and bounds on NULL: left to Prisma
    else if (op in BOUNDS && typeof operand === 'number') parts.push(`${column} ${BOUNDS[op]} ${statement.bind(operand)}`);
    else if (op === 'notIn' && inList(operand)) {
      parts.push(operand.length === 0 ? '1 = 1' : `${column} NOT IN (${operand.map((v) => statement.bind(v)).join(', ')})`);
    } else return PRISMA;
  }
  return parts;
}

const inList = (operand: unknown): operand is Scalar[] =>
  Array.isArray(operand) && operand.length <= MAX_IN_LIST && operand.every(isScalar);

const BOUNDS: Record<string, string> = { gt: '>', gte: '>=', lt: '<', lte: '<=' };
