// `npm run demo`: the Broadstreet emulator and the server together, on the
// embedded database, ready for a client to import and export.
import { buildApp } from './app.ts';
import { loadConfig } from './config.ts';
import { startEmulator } from './emulator/index.ts';
import { exitWith } from './exit.ts';
import { createServices } from './services.ts';

async function main(): Promise<void> {
  const base = loadConfig(process.env);
  const emulator = await startEmulator({ port: base.EMULATOR_PORT, token: base.EMULATOR_TOKEN, seed: 42, size: 'small' });
  const config = loadConfig({
    ...process.env,
    BROADSTREET_API_BASE_URL: emulator.url,
    BROADSTREET_API_TOKEN: base.EMULATOR_TOKEN,
  });
  const services = await createServices(config);
  const { logger } = services;
  const app = buildApp(services);
  const url = await app.start();
  process.stdout.write(
    [
      '',
      'Broadsync demo',
      `Broadsync is serving GraphQL at ${url}/graphql (GraphiQL in a browser)`,
      `Broadstreet emulator serving ${emulator.url} (token ${base.EMULATOR_TOKEN}; network 85 "Demo Network")`,
      `  Dashboard:               ${url}/`,
      `  Subscriptions:           ${url.replace(/^http/, 'ws')}/graphql`,
      `  Health:                  ${url}/health`,
      `  Emulator inspection:     ${emulator.origin}/__emulator/stats`,
      '',
      'Try, in GraphiQL:',
      '  mutation { startSync(input: { networkId: 85, direction: IMPORT }) { ... on StartSyncPayload { run { id status } } } }',
      '  subscription { syncProgress(runId: "<run id>") { seq phase percentage message } }',
      '',
    ].join('\n'),
  );
  const shutdown = () => {
    logger.info('shutting down');
    void app
      .stop()
      .then(() => services.close())
      .then(() => emulator.stop())
      .then(() => process.exit(0), () => process.exit(1));
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

main().catch(exitWith);
