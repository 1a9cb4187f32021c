// `npm run worker`: a dedicated run executor for scale-out. It takes runs from
// the queue on REDIS_URL and serves no GraphQL; pair it with server
// instances started with SYNC_WORKER=false.
import { ConfigError, loadConfig } from './config.ts';
import { exitWith } from './exit.ts';
import { createServices } from './services.ts';
import { onShutdownSignals } from './shutdown.ts';

async function main(): Promise<void> {
  const config = loadConfig({ ...process.env, SYNC_WORKER: 'true' });
  if (!config.REDIS_URL) throw new ConfigError('REDIS_URL must be set: a worker takes its runs from the queue in Redis');
  const services = await createServices(config);
  const { logger } = services;
  await services.start();
  logger.info('Broadsync worker is taking sync runs from the queue');
  onShutdownSignals(logger, 'worker stopping: handing back runs at their next entity boundary', [() => services.close()]);
}

main().catch(exitWith);
