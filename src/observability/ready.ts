// GET /ready: can this instance serve? The database answers, its migrations
// are current, Redis answers when configured. Broadstreet reachability is
// reported too, never fatal: the API serves local data without it.
import { Redis } from 'ioredis';
import type { Config } from '../config.ts';
import { databaseTarget, pingDatabase, type Db } from '../db/index.ts';
import { needsMigration } from '../db/migrate.ts';

export type CheckStatus = 'ok' | 'failing' | 'skipped';

export interface Check {
  status: CheckStatus;
  detail?: string;
}

export interface ReadinessReport {
  status: 'ready' | 'not ready';
  checks: {
    database: Check;
    migrations: Check;
    redis: Check;
    /** Reported, never fatal. */
    broadstreet: Check & { fatal: false };
  };
}

export interface Readiness {
  report(): Promise<ReadinessReport>;
  close(): Promise<void>;
}

const CHECK_TIMEOUT_MS = 3_000;
const BROADSTREET_TIMEOUT_MS = 2_000;
const BROADSTREET_CACHE_MS = 10_000;

export function createReadiness(config: Config, db: Db): Readiness {
  const redis = config.REDIS_URL ? redisCheck(config.REDIS_URL) : undefined;
  const broadstreet = cached(BROADSTREET_CACHE_MS, () => broadstreetCheck(config.BROADSTREET_API_BASE_URL));
  return {
    async report() {
      const [database, migrations, redisResult, broadstreetResult] = await Promise.all([
        timed(() => databaseCheck(db)),
        timed(() => migrationsCheck(db)),
        redis ? timed(redis.check) : Promise.resolve<Check>({ status: 'skipped', detail: 'REDIS_URL is not set' }),
        broadstreet(),
      ]);
      const fatal = [database, migrations, redisResult];
      return {
        status: fatal.every((c) => c.status !== 'failing') ? 'ready' : 'not ready',
        checks: { database, migrations, redis: redisResult, broadstreet: { ...broadstreetResult, fatal: false } },
      };
    },
    async close() {
      redis?.close();
    },
  };
}

async function databaseCheck(db: Db): Promise<Check> {
  return (await pingDatabase(db)) ? { status: 'ok' } : { status: 'failing', detail: 'the database does not answer' };
}

async function migrationsCheck(db: Db): Promise<Check> {
  try {
    const pending = await needsMigration(db, databaseTarget(db));
    return pending ? { status: 'failing', detail: 'migrations are pending' } : { status: 'ok' };
  } catch (error) {
    return { status: 'failing', detail: `cannot check migrations: ${firstLine(error)}` };
  }
}

function redisCheck(url: string): { check(): Promise<Check>; close(): void } {
  let client: Redis | undefined;
  return {
    async check() {
      if (!client) {
        client = new Redis(url, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, connectTimeout: 2_000 });
        // Failures are reported by the check; without a listener ioredis would print them.
        client.on('error', () => {});
      }
      try {
        if (client.status === 'wait') await client.connect();
        await client.ping();
        return { status: 'ok' };
      } catch (error) {
        return { status: 'failing', detail: `Redis does not answer: ${firstLine(error)}` };
      }
    },
    close() {
      client?.disconnect();
    },
  };
}

/** Any HTTP answer from the API base counts; the token is not sent, so it cannot leak or be spent. */
async function broadstreetCheck(baseUrl: string): Promise<Check> {
  try {
    const response = await fetch(baseUrl, { method: 'HEAD', redirect: 'manual', signal: AbortSignal.timeout(BROADSTREET_TIMEOUT_MS) });
    await response.body?.cancel();
    return { status: 'ok', detail: `reachable (HTTP ${response.status})` };
  } catch (error) {
    const timedOut = (error as Error)?.name === 'TimeoutError';
    return { status: 'failing', detail: timedOut ? `no answer within ${BROADSTREET_TIMEOUT_MS} ms` : `unreachable (${causeCode(error)})` };
  }
}

function cached(ttlMs: number, probe: () => Promise<Check>): () => Promise<Check> {
  let last: { at: number; result: Promise<Check> } | undefined;
  return () => {
    if (!last || Date.now() - last.at > ttlMs) last = { at: Date.now(), result: probe() };
    return last.result;
  };
}

async function timed(check: () => Promise<Check>): Promise<Check> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<Check>((resolve) => {
    timer = setTimeout(() => resolve({ status: 'failing', detail: `no answer within ${CHECK_TIMEOUT_MS} ms` }), CHECK_TIMEOUT_MS);
  });
  try {
    return await Promise.race([check(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function firstLine(error: unknown): string {
  return String((error as Error)?.message ?? error)
    .split('\n')[0]!
    .slice(0, 200);
}

function causeCode(error: unknown): string {
  const cause = (error as { cause?: { code?: string } })?.cause;
  return cause?.code ?? (error as Error)?.name ?? 'error';
}
