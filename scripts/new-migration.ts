// `npm run db:migration -- <name>`: writes a migration for what changed in
// prisma/schema.prisma since the last one into both providers' histories
// (prisma/migrations and prisma/postgres/migrations), with `prisma migrate
// diff` from the schema the histories end at (prisma/migrated.prisma) to the
// current one. Needs no database. The migration tests then check that each
// history produces exactly schema.prisma.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { postgresSchemaFrom } from './prisma-schemas.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface MigrationPaths {
  /** The folder holding schema.prisma, migrated.prisma, migrations/ and postgres/. */
  prismaDir: string;
  /** Scratch space for the schemas compared. */
  tmpDir: string;
}

/**
 * The CLI's driver adapter opens a database even to compare two schema files:
 * a scratch SQLite file, and a PostgreSQL server (nothing is written to it).
 */
const POSTGRES_URL = process.env.MIGRATION_POSTGRES_URL ?? `postgresql://${userInfo().username}@127.0.0.1:5432/postgres`;

const PROVIDERS = [
  {
    name: 'sqlite',
    history: 'migrations',
    url: (tmp: string) => `file:${path.join(tmp, 'diff.db')}`,
    schemaOf: (sqlite: string) => sqlite,
  },
  { name: 'postgresql', history: 'postgres/migrations', url: () => POSTGRES_URL, schemaOf: postgresSchemaFrom },
] as const;

export class MigrationError extends Error {
  override name = 'MigrationError';
}

/** Writes `<timestamp>_<name>/migration.sql` into both histories; returns the folders written. */
export function newMigration(name: string, paths: MigrationPaths, now = new Date()): string[] {
  if (!/^[a-z][a-z0-9_]{0,60}$/.test(name))
    throw new MigrationError('name the migration in lower_snake_case, e.g. npm run db:migration -- add_zone_width');
  const schemaFile = path.join(paths.prismaDir, 'schema.prisma');
  const snapshotFile = path.join(paths.prismaDir, 'migrated.prisma');
  if (!existsSync(snapshotFile)) throw new MigrationError(`${snapshotFile} is missing: it records the schema the histories end at`);
  const current = readFileSync(schemaFile, 'utf8');
  const previous = readFileSync(snapshotFile, 'utf8');
  if (current === previous) throw new MigrationError('prisma/schema.prisma has not changed since the last migration');
  const folder = `${now.toISOString().replace(/\D/g, '').slice(0, 14)}_${name}`;
  const scripts = PROVIDERS.map((provider) => ({
    provider,
    sql: diff(provider, provider.schemaOf(previous), provider.schemaOf(current), paths),
  }));
  if (scripts.every(({ sql }) => !/^\s*[A-Z]/m.test(sql))) {
    throw new MigrationError('the change to prisma/schema.prisma needs no SQL (comments or formatting only): nothing written');
  }
  const written = scripts.map(({ provider, sql }) => {
    const dir = path.join(paths.prismaDir, provider.history, folder);
    if (existsSync(dir)) throw new MigrationError(`${dir} exists already`);
    return { dir, sql };
  });
  for (const { dir, sql } of written) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'migration.sql'), sql);
  }
  writeFileSync(snapshotFile, current);
  return written.map(({ dir }) => dir);
}

function diff(provider: (typeof PROVIDERS)[number], from: string, to: string, paths: MigrationPaths): string {
  mkdirSync(paths.tmpDir, { recursive: true });
  const fromFile = path.join(paths.tmpDir, `from-${provider.name}.prisma`);
  const toFile = path.join(paths.tmpDir, `to-${provider.name}.prisma`);
  writeFileSync(fromFile, from);
  writeFileSync(toFile, to);
  try {
    return run(provider, fromFile, toFile, paths);
  } catch (error) {
    const detail = String((error as { stderr?: string }).stderr ?? '')
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .pop();
    throw new MigrationError(`prisma migrate diff failed for ${provider.name}: ${detail ?? 'no output'}`);
  }
}

function run(provider: (typeof PROVIDERS)[number], fromFile: string, toFile: string, paths: MigrationPaths): string {
  return execFileSync(
    process.execPath,
    [
      path.join(ROOT, 'node_modules/prisma/build/index.js'),
      'migrate',
      'diff',
      '--from-schema-datamodel',
      fromFile,
      '--to-schema-datamodel',
      toFile,
      '--script',
    ],
    {
      cwd: ROOT,
      encoding: 'utf8',
      env: { PATH: process.env.PATH, DATABASE_URL: provider.url(paths.tmpDir), CHECKPOINT_DISABLE: '1', PRISMA_HIDE_UPDATE_MESSAGE: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
}

if (process.argv[1] && import.meta.url.endsWith(path.basename(process.argv[1]))) {
  try {
    const written = newMigration(process.argv[2] ?? '', {
      prismaDir: path.join(ROOT, 'prisma'),
      tmpDir: path.join(ROOT, '.tmp/migration'),
    });
    for (const dir of written) console.log(`wrote ${path.relative(ROOT, dir)}/migration.sql`);
    console.log('next: npm run db:generate (clients), then npm test (the migration tests check both histories)');
  } catch (error) {
    if (!(error instanceof MigrationError)) throw error;
    console.error(`broadsync: ${error.message}`);
    process.exit(1);
  }
}
