// `npm start`: reads the configuration and runs the server until SIGTERM/SIGINT.
import { buildApp } from './app.ts';
import { loadConfig } from './config.ts';
import { exitWith } from './exit.ts';
import { createServices } from './services.ts';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const services = await createServices(config);
  const { logger } = services;
  const app = buildApp(services);
  const url = await app.start();
  logger.info({ url: `${url}/graphql` }, `Broadsync is serving GraphQL at ${url}/graphql`);
  const shutdown = (signal: string) => {
    logger.info({ signal }, 'shutting down');
    app
      .stop()
      .then(() => services.close())
      .then(
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
