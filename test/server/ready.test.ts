// GET /ready: 200 when the database answers, its migrations are current and
// Redis (when configured) answers; 503 naming what fails otherwise.
// Broadstreet reachability is reported, never fatal.
import { rmSync, writeFileSync } from 'node:fs';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { db } from '../helpers/db.ts';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.ts';
import { closedPort } from '../broadstreet/helpers.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { databaseSkipReason, TEST_PROVIDER } from '../helpers/database.ts';
import { adminQuery } from '../helpers/postgres.ts';

const skip = databaseSkipReason();
if (skip) console.warn(`skipped: ${skip}`);

const REDIS_URL = process.env.REDIS_TEST_URL ?? 'redis://127.0.0.1:6379';

async function ready(t: TestApp): Promise<{ status: number; body: any }> {
  const response = await fetch(`${t.url}/ready`);
  return { status: response.status, body: await response.json() };
}

async function redisSkipReason(): Promise<string> {
  const probe = new Redis(REDIS_URL, { lazyConnect: true, connectTimeout: 1000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  probe.on('error', () => {});
  try {
    await probe.connect();
    await probe.ping();
    return '';
  } catch (error) {
    const reason = `Redis at ${REDIS_URL} is unreachable (${(error as Error).message})`;
    if (process.env.CI === 'true') throw new Error(`${reason}; CI=true requires it`);
    return reason;
  } finally {
    probe.disconnect();
  }
}

describe.skipIf(!!skip)(`/ready on ${TEST_PROVIDER}`, () => {
  let emulator: RunningEmulator;
  let t: TestApp | undefined;
  beforeAll(async () => {
    emulator = await startEmulator({ size: 'tiny' });
  });
  afterEach(async () => {
    await t?.stop();
    t = undefined;
  });
  afterAll(() => emulator?.stop());

  it('is ready when the database answers and is migrated; Broadstreet is reported reachable', async () => {
    t = await startTestApp({ BROADSTREET_API_BASE_URL: emulator.url, BROADSTREET_API_TOKEN: emulator.config.token });
    expect(await ready(t)).toEqual({
      status: 200,
      body: {
        status: 'ready',
        checks: {
          database: { status: 'ok' },
          migrations: { status: 'ok' },
          redis: { status: 'skipped', detail: 'REDIS_URL is not set' },
          broadstreet: { status: 'ok', detail: expect.stringMatching(/^reachable \(HTTP \d{3}\)$/), fatal: false },
        },
      },
    });
  });

  it('stays ready when Broadstreet is unreachable, and says so', async () => {
    t = await startTestApp({ BROADSTREET_API_BASE_URL: `http://127.0.0.1:${await closedPort()}/api/1` });
    const { status, body } = await ready(t);
    expect(status).toBe(200);
    expect(body.checks.broadstreet).toEqual({ status: 'failing', detail: 'unreachable (ECONNREFUSED)', fatal: false });
  });

  it('is not ready while migrations are pending', async () => {
    t = await startTestApp();
    const [latest] = await db().$queryRawUnsafe<{ migration_name: string }[]>(
      'SELECT migration_name FROM _prisma_migrations ORDER BY migration_name DESC LIMIT 1',
    );
    await db().$executeRawUnsafe(`DELETE FROM _prisma_migrations WHERE migration_name = '${latest!.migration_name}'`);
    const { status, body } = await ready(t);
    expect(status).toBe(503);
    expect(body.status).toBe('not ready');
    expect(body.checks.database).toEqual({ status: 'ok' });
    expect(body.checks.migrations).toEqual({ status: 'failing', detail: 'migrations are pending' });
  });

  it('checks Redis when REDIS_URL is set: ok when it answers, not ready when it does not', async (ctx) => {
    const reason = await redisSkipReason();
    if (reason) return ctx.skip(reason);
    t = await startTestApp({ REDIS_URL });
    expect((await ready(t)).body.checks.redis).toEqual({ status: 'ok' });
    const ours = async () => {
      const probe = new Redis(REDIS_URL);
      try {
        const list = String(await probe.client('LIST'));
        return [...list.matchAll(/ name=(broadsync:[\w-]+):(\d+) /g)].filter((m) => m[2] === String(process.pid)).map((m) => m[1]);
      } finally {
        probe.disconnect();
      }
    };
    expect(await ours()).toEqual(
      expect.arrayContaining(['broadsync:queue', 'broadsync:worker', 'broadsync:schedules', 'broadsync:publish']),
    );
    await t.stop();
    // Stopping closes every connection the server opened, BullMQ's included (it leaves the ones it is handed open).
    await expect.poll(ours, { timeout: 3_000 }).toEqual([]);
    t = await startTestApp({ REDIS_URL: 'redis://127.0.0.1:1' });
    const { status, body } = await ready(t);
    expect(status).toBe(503);
    expect(body.checks.redis).toEqual({ status: 'failing', detail: expect.stringMatching(/^Redis does not answer: /) });
    expect(body.checks.database).toEqual({ status: 'ok' });
  });

  it('is not ready when the database is gone, while /health still answers', async () => {
    t = await startTestApp();
    expect((await ready(t)).status).toBe(200);
    if (TEST_PROVIDER === 'postgres') {
      const name = new URL(t.database.url).pathname.slice(1);
      await adminQuery(`DROP DATABASE ${name} WITH (FORCE)`);
    } else {
      // A SQLite file stays readable through an open handle even when deleted: close the connection
      // (Prisma reconnects on the next query) and put something that is no database in the file's place.
      await t.services.db.$disconnect();
      const file = t.database.url.replace(/^file:/, '');
      for (const ext of ['-wal', '-shm']) rmSync(`${file}${ext}`, { force: true });
      writeFileSync(file, 'this is not a database');
    }
    const { status, body } = await ready(t);
    expect(status).toBe(503);
    expect(body.status).toBe('not ready');
    expect(body.checks.database).toEqual({ status: 'failing', detail: 'the database does not answer' });
    expect(body.checks.migrations.status).toBe('failing');
    expect((await fetch(`${t.url}/health`)).status).toBe(503);
  });
});
