// `npm run demo`: the Broadstreet emulator (EMULATOR_PORT, EMULATOR_TOKEN) and
// the server pointed at it, ready to sync, until SIGTERM/SIGINT.
import { buildApp } from './app.ts';
import { loadConfig } from './config.ts';
import { startEmulator } from './emulator/index.ts';
import { logger } from './logger.ts';

async function main(): Promise<void> {
  const base = loadConfig();
  const emulator = await startEmulator({ port: base.EMULATOR_PORT, token: base.EMULATOR_TOKEN, seed: 42, size: 'small' });
  const config = loadConfig({ ...process.env, BROADSTREET_API_BASE_URL: emulator.url, BROADSTREET_API_TOKEN: base.EMULATOR_TOKEN });
  const app = buildApp(config);
  const url = await app.start();
  logger.info({ emulator: emulator.url }, `Broadstreet emulator serving ${emulator.url} (network 85 "Demo Network")`);
  logger.info({ url: `${url}/graphql` }, `Broadsync is serving GraphQL at ${url}/graphql`);
  const shutdown = () => {
    Promise.all([app.stop(), emulator.stop()]).then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

main().catch((error: unknown) => {
  // Start-up failures (bad configuration, port in use): one line, no stack.
  process.stderr.write(`broadsync demo: ${(error as Error)?.message ?? String(error)}\n`);
  process.exit(1);
});
