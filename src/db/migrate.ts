// Brings the database to the schema this code was built for, with Prisma
// Migrate (the CLI, run as a child process, only when something is pending).
import { spawn } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Db } from './client.ts';
import { redactDatabaseUrl, type DatabaseTarget } from './url.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));

export class DatabaseError extends Error {
  override name = 'DatabaseError';
}

export function migrationsDir(provider: DatabaseTarget['provider']): string {
  return path.join(root, 'prisma', provider === 'sqlite' ? 'migrations' : 'postgres/migrations');
}

export function localMigrations(provider: DatabaseTarget['provider']): string[] {
  return readdirSync(migrationsDir(provider), { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(path.join(migrationsDir(provider), d.name, 'migration.sql')))
    .map((d) => d.name)
    .sort();
}

/** Creates the SQLite file's directory; fails early, with the cause, when it cannot be written. */
export function prepareSqliteFile(target: DatabaseTarget): void {
  if (target.provider !== 'sqlite' || target.file === ':memory:') return;
  try {
    mkdirSync(path.dirname(target.file), { recursive: true });
  } catch (error) {
    throw new DatabaseError(
      `cannot create the directory of the SQLite database at ${target.file}: ${(error as NodeJS.ErrnoException).code ?? error}`,
    );
  }
  const probe = existsSync(target.file) ? target.file : path.dirname(target.file);
  try {
    accessSync(probe, constants.W_OK);
  } catch {
    throw new DatabaseError(`cannot write the SQLite database at ${target.file} (${probe} is not writable)`);
  }
}

interface AppliedMigration {
  migration_name: string;
  finished_at: unknown;
  rolled_back_at: unknown;
}

async function appliedMigrations(db: Db, target: DatabaseTarget): Promise<AppliedMigration[] | null> {
  const exists =
    target.provider === 'sqlite'
      ? await db.$queryRawUnsafe<unknown[]>(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_prisma_migrations'`)
      : await db.$queryRawUnsafe<unknown[]>(
          `SELECT 1 FROM information_schema.tables WHERE table_name = '_prisma_migrations' AND table_schema = current_schema()`,
        );
  if (exists.length === 0) return null;
  return db.$queryRawUnsafe<AppliedMigration[]>('SELECT migration_name, finished_at, rolled_back_at FROM _prisma_migrations');
}

/**
 * Whether migrations are pending. Refuses a database that holds migrations
 * this code does not know (it was migrated by a newer version) or a failed one.
 */
export async function needsMigration(db: Db, target: DatabaseTarget): Promise<boolean> {
  const local = localMigrations(target.provider);
  const applied = (await appliedMigrations(db, target)) ?? [];
  const live = applied.filter((m) => m.rolled_back_at == null);
  const unknown = live.map((m) => m.migration_name).filter((name) => !local.includes(name));
  if (unknown.length > 0) {
    throw new DatabaseError(
      `the database is newer than this code: it has migration(s) ${unknown.join(', ')} that this version ` +
        `of Broadsync does not know; upgrade Broadsync or use another DATABASE_URL`,
    );
  }
  const failed = live.filter((m) => m.finished_at == null).map((m) => m.migration_name);
  if (failed.length > 0) {
    throw new DatabaseError(`migration ${failed.join(', ')} failed earlier and must be resolved by hand (prisma migrate resolve)`);
  }
  const done = new Set(live.map((m) => m.migration_name));
  return !local.every((name) => done.has(name));
}

/** Applies pending migrations with `prisma migrate deploy`. */
export function runMigrateDeploy(target: DatabaseTarget): Promise<void> {
  const cli = path.join(root, 'node_modules/prisma/build/index.js');
  const preload = path.join(root, 'scripts/unref-long-timers.cjs');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--require', preload, cli, 'migrate', 'deploy'], {
      cwd: root,
      // Only what the CLI needs: the server's environment (tokens among it) stays with the server.
      env: {
        DATABASE_URL: target.url,
        PRISMA_HIDE_UPDATE_MESSAGE: '1',
        CHECKPOINT_DISABLE: '1',
        NODE_OPTIONS: '',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', (error) => reject(new DatabaseError(`cannot run prisma migrate deploy: ${error.message}`)));
    child.on('close', (code) => {
      if (code === 0) return resolve();
      const cause = output
        .split('\n')
        .map((line) => line.trim())
        .filter((line) => /error|failed|P\d{4}/i.test(line))
        .slice(0, 3)
        .join(' ');
      reject(
        new DatabaseError(`migrating ${redactDatabaseUrl(target.url)} failed: ${cause || `prisma migrate deploy exited with ${code}`}`),
      );
    });
  });
}
