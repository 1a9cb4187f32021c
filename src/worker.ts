// `npm run worker`: a dedicated run executor for scale-out. It takes runs from
// the queue on REDIS_URL and serves no GraphQL; pair it with server
// instances started with SYNC_WORKER=false.
import { loadConfig } from './config.ts';
import { closeDatabase, openDatabase } from './db/index.ts';
import { ConfigError } from './config.ts';
import { exitWith } from './exit.ts';
import { logger } from './logger.ts';
import { startSyncRuntime } from './sync/runtime.ts';

async function main(): Promise<void> {
  const config = loadConfig({ ...process.env, SYNC_WORKER: 'true' });
  if (!config.REDIS_URL) throw new ConfigError('REDIS_URL must be set: a worker takes its runs from the queue in Redis');
  await openDatabase(config.DATABASE_URL);
  const runtime = await startSyncRuntime(config, logger);
  logger.info('Broadsync worker is taking sync runs from the queue');
  const shutdown = (signal: string) => {
    logger.info({ signal }, 'worker stopping: handing back runs at their next entity boundary');
    runtime
      .stop()
      .then(() => closeDatabase())
      .then(
        () => process.exit(0),
        () => process.exit(1),
      );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

main().catch(exitWith);
