// `npm start`: reads the configuration and runs the server until SIGTERM/SIGINT.
import { buildApp } from './app.ts';
import { loadConfig } from './config.ts';
import { exitWith } from './exit.ts';
import { logger } from './logger.ts';

async function main(): Promise<void> {
  const config = loadConfig();
  const app = buildApp(config);
  const url = await app.start();
  logger.info({ url: `${url}/graphql` }, `Broadsync is serving GraphQL at ${url}/graphql`);
  const shutdown = (signal: string) => {
    logger.info({ signal }, 'shutting down');
    app.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

main().catch(exitWith);
