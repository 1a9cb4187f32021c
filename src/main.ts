// `npm start`: reads the configuration and runs the server until SIGTERM/SIGINT.
import { buildApp } from './app.ts';
import { loadConfig } from './config.ts';
import { exitWith } from './exit.ts';
import { createServices } from './services.ts';
import { onShutdownSignals } from './shutdown.ts';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const services = await createServices(config);
  const { logger } = services;
  const app = buildApp(services);
  const url = await app.start();
  logger.info({ url: `${url}/graphql` }, `Broadsync is serving GraphQL at ${url}/graphql`);
  onShutdownSignals(logger, 'shutting down', [() => app.stop(), () => services.close()]);
}

main().catch(exitWith);
