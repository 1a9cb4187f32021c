// Start-up as users run it (`npm start` as a child process): migrations apply
// once, a newer database is refused, and bad configuration gets one clear line.
import { rmSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, describe, expect, it } from 'vitest';
import { expectCleanExit, freePort, ROOT, spawnEntry } from '../helpers/process.ts';

const dir = path.join(ROOT, '.tmp/test', `startup-${process.pid}`);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function migrationRows(file: string): { migration_name: string; finished_at: unknown }[] {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare('SELECT migration_name, finished_at FROM _prisma_migrations').all() as never;
  } finally {
    db.close();
  }
}

/** Expects a failed start: non-zero exit, one line on stderr naming the cause, no stack. */
async function expectOneLineFailure(env: Record<string, string>, cause: RegExp) {
  const server = spawnEntry('src/main.ts', env);
  const code = await server.exited;
  const lines = server.output().trim().split('\n');
  expect(code).not.toBe(0);
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^broadsync: /);
  expect(lines[0]).toMatch(cause);
  expect(server.output()).not.toMatch(/\n\s+at /);
}

describe('a fresh SQLite database', () => {
  const file = path.join(dir, 'fresh', 'broadsync.db');

  it('starts, migrates, answers /health, GraphQL over HTTP and graphql-ws', async () => {
    const port = await freePort();
    const server = spawnEntry('src/main.ts', { DATABASE_URL: `file:${file}`, PORT: String(port) });
    try {
      await server.waitFor(/serving GraphQL/);
      const health = await fetch(`http://127.0.0.1:${port}/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: 'ok', database: 'ok' });

      const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ networks { id name } }' }),
      });
      expect(await response.json()).toEqual({ data: { networks: [] } });

      const client = createClient({ url: `ws://127.0.0.1:${port}/graphql`, webSocketImpl: WebSocket, retryAttempts: 0 });
      const result = await new Promise((resolve, reject) => {
        let value: unknown;
        client.subscribe({ query: '{ networks { name } }' }, { next: (v) => (value = v), error: reject, complete: () => resolve(value) });
      });
      await client.dispose();
      expect(result).toEqual({ data: { networks: [] } });
    } finally {
      await expectCleanExit(server);
    }
    expect(migrationRows(file).every((row) => row.finished_at !== null)).toBe(true);
  });

  it('starts again on the same database without re-applying migrations', async () => {
    const before = migrationRows(file);
    expect(before.length).toBeGreaterThan(0);
    const port = await freePort();
    const server = spawnEntry('src/main.ts', { DATABASE_URL: `file:${file}`, PORT: String(port) });
    await server.waitFor(/serving GraphQL/);
    expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);
    await server.kill();
    expect(migrationRows(file)).toEqual(before);
  });

  it('refuses a database migrated by a newer version, changing nothing', async () => {
    const db = new Database(file);
    db.prepare(
      `INSERT INTO _prisma_migrations (id, checksum, finished_at, migration_name, started_at, applied_steps_count)
       VALUES ('future', 'x', CURRENT_TIMESTAMP, '29990101000000_from_the_future', CURRENT_TIMESTAMP, 1)`,
    ).run();
    db.close();
    const before = migrationRows(file);
    await expectOneLineFailure({ DATABASE_URL: `file:${file}`, PORT: '0' }, /newer than this code.*29990101000000_from_the_future/);
    expect(migrationRows(file)).toEqual(before);
  });
});

describe('bad configuration stops start-up with one line', () => {
  it('a DATABASE_URL of an unknown kind', () =>
    expectOneLineFailure({ DATABASE_URL: 'mysql://root@localhost/x' }, /DATABASE_URL must start with "file:"/));

  it('an unreachable PostgreSQL', () =>
    expectOneLineFailure(
      { DATABASE_URL: 'postgresql://root@127.0.0.1:9/broadsync' },
      /cannot reach postgresql:\/\/root@127\.0\.0\.1:9\/broadsync.*ECONNREFUSED/,
    ));

  it('an unwritable SQLite path', () =>
    expectOneLineFailure(
      { DATABASE_URL: 'file:/etc/hostname/sub/broadsync.db' },
      /SQLite database at \/etc\/hostname\/sub\/broadsync\.db.*ENOTDIR/,
    ));

  it('a PORT that is not a port', () => expectOneLineFailure({ PORT: 'eighty' }, /PORT .*\(got "eighty"\)/));

  it('a LOG_LEVEL that is not a level', () => expectOneLineFailure({ LOG_LEVEL: 'loud' }, /LOG_LEVEL .*\(got "loud"\)/));

  it('a PostgreSQL password never appears in the error', async () => {
    const server = spawnEntry('src/main.ts', { DATABASE_URL: 'postgresql://root:hunter2@127.0.0.1:9/broadsync' });
    await server.exited;
    expect(server.output()).toMatch(/root:\*\*\*@/);
    expect(server.output()).not.toContain('hunter2');
  });
});
