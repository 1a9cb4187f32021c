// `npm run demo`: the Broadstreet emulator and the server together, on the
// embedded database, ready for a client to import and export.
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { buildApp } from './app.ts';
import { loadConfig } from './config.ts';
import { startEmulator } from './emulator/index.ts';
import { parseDatabaseUrl } from './db/url.ts';
import { exitWith } from './exit.ts';
import { createLogger, type Logger } from './logger.ts';
import { createServices } from './services.ts';
import { onShutdownSignals } from './shutdown.ts';

/**
 * The emulator's state lives beside the database (`<database>.emulator.json`),
 * so a restarted demo resumes both halves as they were; `--reset` starts both
 * fresh. A PostgreSQL database keeps its data; its state file is in ./data.
 */
function stateFileFor(databaseUrl: string): { state: string; database: string | null } {
  const target = parseDatabaseUrl(databaseUrl);
  if (target.provider === 'sqlite' && target.file !== ':memory:') return { state: `${target.file}.emulator.json`, database: target.file };
  return { state: path.resolve('data/demo-emulator.json'), database: null };
}

function resetBoth(files: { state: string; database: string | null }, logger: Logger): void {
  for (const file of [files.state, ...(files.database ? ['', '-wal', '-shm', '-journal'].map((ext) => `${files.database}${ext}`) : [])]) {
    rmSync(file, { force: true });
  }
  if (!files.database) logger.warn('--reset: the emulator starts fresh; a PostgreSQL database is not emptied (use a fresh one)');
}

async function main(): Promise<void> {
  const base = loadConfig(process.env);
  const logger = createLogger(base.LOG_LEVEL);
  const files = stateFileFor(base.DATABASE_URL);
  if (process.argv.includes('--reset')) resetBoth(files, logger);
  mkdirSync(path.dirname(files.state), { recursive: true });
  const emulator = await startEmulator({
    port: base.EMULATOR_PORT,
    token: base.EMULATOR_TOKEN,
    seed: 42,
    size: 'small',
    stateFile: files.state,
  });
  const config = loadConfig({
    // A fresh demo opens with the emulator's networks imported (network 85 among them).
    SYNC_IMPORT_ON_EMPTY: 'true',
    ...process.env,
    BROADSTREET_API_BASE_URL: emulator.url,
    BROADSTREET_API_TOKEN: base.EMULATOR_TOKEN,
  });
  const services = await createServices(config, { logger });
  const app = buildApp(services);
  const url = await app.start();
  if (services.firstNetworkImported) {
    process.stdout.write('Importing network 85 (SYNC_IMPORT_ON_EMPTY) before the dashboard opens; the other networks follow…\n');
    await services.firstNetworkImported;
  }
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
      `  Emulator state:          ${files.state} (kept across restarts; npm run demo -- --reset starts both fresh)`,
      '',
      'Network 85 is imported on a fresh demo (SYNC_IMPORT_ON_EMPTY=true; set it to false to start empty).',
      'Try, in GraphiQL:',
      '  mutation { startSync(input: { networkId: 85, direction: IMPORT }) { ... on StartSyncPayload { run { id status } } } }',
      '  subscription { syncProgress(runId: "<run id>") { seq phase percentage message } }',
      '',
    ].join('\n'),
  );
  onShutdownSignals(logger, 'shutting down', [() => app.stop(), () => services.close(), () => emulator.stop()]);
}

main().catch(exitWith);
