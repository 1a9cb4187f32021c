// Each provider's migration history must produce exactly what schema.prisma
// describes, and the PostgreSQL schema must be the one derived from it.
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectedPostgresSchema, postgresSchemaPath } from '../../scripts/prisma-schemas.mjs';
import { runMigrateDeploy } from '../../src/db/migrate.ts';
import { parseDatabaseUrl } from '../../src/db/url.ts';
import { ROOT } from '../helpers/process.ts';
import { adminQuery, postgresReachable, postgresUrl } from '../helpers/postgres.ts';
import { postgresCatalog, sqliteCatalog } from './catalog.ts';

/** The SQL that creates schema.prisma's tables from nothing, per provider. */
function schemaScript(provider: 'sqlite' | 'postgresql', databaseUrl: string): string {
  const schema = provider === 'sqlite' ? 'prisma/schema.prisma' : 'prisma/postgres/schema.prisma';
  return execFileSync(
    process.execPath,
    ['node_modules/prisma/build/index.js', 'migrate', 'diff', '--from-empty', '--to-schema-datamodel', schema, '--script'],
    {
      cwd: ROOT,
      encoding: 'utf8',
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl,
        CHECKPOINT_DISABLE: '1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
}

it('prisma/postgres/schema.prisma is derived from prisma/schema.prisma (npm run db:generate)', () => {
  expect(readFileSync(postgresSchemaPath, 'utf8')).toBe(expectedPostgresSchema());
});

describe('SQLite migration history', () => {
  const dir = path.join(ROOT, '.tmp/test');
  const migrated = path.join(dir, `history-${process.pid}.db`);
  const direct = path.join(dir, `direct-${process.pid}.db`);
  afterAll(() => {
    for (const file of [migrated, direct]) rmSync(file, { force: true });
  });

  it('produces exactly the tables, columns and indexes of schema.prisma', async () => {
    await runMigrateDeploy(parseDatabaseUrl(`file:${migrated}`));
    const db = new Database(direct);
    db.exec(schemaScript('sqlite', `file:${direct}`));
    db.close();
    const fromHistory = sqliteCatalog(migrated);
    expect(fromHistory.length).toBeGreaterThan(20);
    expect(fromHistory).toEqual(sqliteCatalog(direct));
  });
});

describe('PostgreSQL migration history', async () => {
  const unreachable = await postgresReachable();
  if (unreachable && process.env.CI === 'true') throw new Error(`${unreachable}; CI=true requires it`);
  if (unreachable) console.warn(`skipped: ${unreachable}`);
  const names = [`broadsync_hist_${process.pid}`, `broadsync_direct_${process.pid}`];

  beforeAll(async () => {
    if (unreachable) return;
    for (const name of names) {
      await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await adminQuery(`CREATE DATABASE ${name}`);
    }
  });
  afterAll(async () => {
    if (unreachable) return;
    for (const name of names) await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  });

  it.skipIf(!!unreachable)('produces exactly the tables, columns, indexes and constraints of schema.prisma', async () => {
    const [historyDb, directDb] = names.map(postgresUrl) as [string, string];
    await runMigrateDeploy(parseDatabaseUrl(historyDb));
    const script = schemaScript('postgresql', directDb);
    const client = new pg.Client({ connectionString: directDb });
    await client.connect();
    try {
      await client.query(script);
    } finally {
      await client.end();
    }
    const fromHistory = await postgresCatalog(historyDb);
    expect(fromHistory.length).toBeGreaterThan(50);
    expect(fromHistory).toEqual(await postgresCatalog(directDb));
  });
});
