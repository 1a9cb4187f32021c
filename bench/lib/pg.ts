// Fresh, migrated PostgreSQL databases for benchmark runs, on the server the
// tests use (PG_TEST_URL, default postgresql://root@127.0.0.1:5432/postgres):
// one template migrated per process, then CREATE DATABASE … TEMPLATE per run.
import pg from 'pg';
import { runMigrateDeploy } from '../../src/db/migrate.ts';
import { parseDatabaseUrl } from '../../src/db/url.ts';

const ADMIN_URL = process.env.PG_TEST_URL ?? 'postgresql://root@127.0.0.1:5432/postgres';

export interface PgBenchDb {
  url: string;
  drop(): Promise<void>;
}

function urlOf(database: string): string {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${database}`;
  return url.toString();
}

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 3_000 });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Why PostgreSQL benchmarks cannot run here, or null when they can. */
export async function pgUnavailable(): Promise<string | null> {
  try {
    await admin('SELECT 1');
    return null;
  } catch (error) {
    return `PostgreSQL at ${new URL(ADMIN_URL).host} is unreachable (${(error as Error).message})`;
  }
}

let template: Promise<string> | undefined;
let counter = 0;

function migratedTemplate(): Promise<string> {
  template ??= (async () => {
    const name = `broadsync_bench_template_${process.pid}`;
    await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin(`CREATE DATABASE ${name}`);
    await runMigrateDeploy(parseDatabaseUrl(urlOf(name)));
    return name;
  })();
  return template;
}

export async function freshPgDb(label: string): Promise<PgBenchDb> {
  const source = await migratedTemplate();
  const name = `broadsync_bench_${label}_${process.pid}_${++counter}`;
  await admin(`CREATE DATABASE ${name} TEMPLATE ${source}`);
  return { url: urlOf(name), drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

/** Drops the template; call once the benchmark is done with PostgreSQL. */
export async function dropPgTemplate(): Promise<void> {
  if (!template) return;
  const name = await template.catch(() => undefined);
  template = undefined;
  if (name) await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
}
