// What the scale-out tests share: a PostgreSQL database of their own (migrated
// and opened as db()), a private Redis and the emulator; and the reason they
// skip when PostgreSQL or redis-server is missing (a failure under CI=true).
import { runMigrateDeploy } from '../../src/db/migrate.ts';
import { parseDatabaseUrl } from '../../src/db/url.ts';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../../src/emulator/index.ts';
import { closeTestDatabases, openTestDatabase } from './db.ts';
import { adminQuery, postgresReachable, postgresUrl } from './postgres.ts';
import { freePort } from './process.ts';
import { PrivateRedis, redisServerAvailable } from './redis-server.ts';

/** Why the scale-out tests cannot run here, or '' when they can; said once, and thrown under CI=true. */
export async function scaleoutSkipReason(): Promise<string> {
  const unavailable = (await postgresReachable()) ?? redisServerAvailable();
  if (unavailable && process.env.CI === 'true') throw new Error(`${unavailable}; CI=true requires it`);
  if (unavailable) console.warn(`skipped: ${unavailable}`);
  return unavailable ?? '';
}

export interface ScaleoutEnv {
  databaseUrl: string;
  redis: PrivateRedis;
  emulator: RunningEmulator;
  /** Stops the emulator and Redis and drops the database (the processes are the test's own to stop first). */
  close(): Promise<void>;
}

export async function startScaleoutEnv(name: string, emulatorOptions: EmulatorOptions): Promise<ScaleoutEnv> {
  const database = `broadsync_${name}_${process.pid}`;
  await adminQuery(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  await adminQuery(`CREATE DATABASE ${database}`);
  const databaseUrl = postgresUrl(database);
  await runMigrateDeploy(parseDatabaseUrl(databaseUrl));
  await openTestDatabase(databaseUrl);
  const redis = new PrivateRedis(await freePort());
  await redis.start();
  const emulator = await startEmulator(emulatorOptions);
  return {
    databaseUrl,
    redis,
    emulator,
    async close() {
      await closeTestDatabases();
      await emulator.stop();
      await redis.kill();
      await adminQuery(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    },
  };
}
