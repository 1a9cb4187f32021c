// A fresh, migrated database for one test file, on the provider the vitest
// project runs (TEST_DATABASE=sqlite|postgres).
import { randomBytes } from 'node:crypto';
import { copyFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { inject } from 'vitest';
import { adminQuery, postgresUrl } from './postgres.ts';

export const TEST_PROVIDER: 'sqlite' | 'postgres' = process.env.TEST_DATABASE === 'postgres' ? 'postgres' : 'sqlite';

/** Why database tests cannot run here, or '' when they can. */
export function databaseSkipReason(): string {
  return TEST_PROVIDER === 'postgres' ? inject('postgresSkipReason') : '';
}

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const suffix = `${process.pid}_${randomBytes(4).toString('hex')}`;
  if (TEST_PROVIDER === 'sqlite') {
    const file = path.resolve('.tmp/test', `db-${suffix}.db`);
    copyFileSync(inject('sqliteTemplate'), file);
    return {
      url: `file:${file}`,
      async drop() {
        for (const ext of ['', '-wal', '-shm']) rmSync(`${file}${ext}`, { force: true });
      },
    };
  }
  const template = inject('postgresTemplate');
  if (!template) throw new Error(inject('postgresSkipReason'));
  const name = `broadsync_test_${suffix}`;
  await adminQuery(`CREATE DATABASE ${name} TEMPLATE ${template}`);
  return {
    url: postgresUrl(name),
    async drop() {
      await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}
