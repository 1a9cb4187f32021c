// Fresh, migrated PostgreSQL databases for benchmark runs, on the server the
// tests use (PG_TEST_URL; test/helpers/postgres.ts): one template migrated per
// process, then CREATE DATABASE … TEMPLATE per run.
import { runMigrateDeploy } from '../../src/db/migrate.ts';
import { parseDatabaseUrl } from '../../src/db/url.ts';
import { adminQuery, postgresReachable, postgresUrl } from '../../test/helpers/postgres.ts';

export interface PgBenchDb {
  url: string;
  drop(): Promise<void>;
}

/** Why PostgreSQL benchmarks cannot run here, or null when they can. */
export const pgUnavailable = postgresReachable;

let template: Promise<string> | undefined;
let counter = 0;

function migratedTemplate(): Promise<string> {
  template ??= (async () => {
    const name = `broadsync_bench_template_${process.pid}`;
    await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await adminQuery(`CREATE DATABASE ${name}`);
    await runMigrateDeploy(parseDatabaseUrl(postgresUrl(name)));
    return name;
  })();
  return template;
}

export async function freshPgDb(label: string): Promise<PgBenchDb> {
  const source = await migratedTemplate();
  const name = `broadsync_bench_${label}_${process.pid}_${++counter}`;
  await adminQuery(`CREATE DATABASE ${name} TEMPLATE ${source}`);
  return { url: postgresUrl(name), drop: async () => void (await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)) };
}

/** Drops the template; call once the benchmark is done with PostgreSQL. */
export async function dropPgTemplate(): Promise<void> {
  if (!template) return;
  const name = await template.catch(() => undefined);
  template = undefined;
  if (name) await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
}
