// `npm start`: reads the configuration and runs the server until SIGTERM/SIGINT.
import { buildApp } from './app.ts';
import { ConfigError, loadConfig } from './config.ts';
import { DatabaseError } from './db/index.ts';
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

main().catch((error: unknown) => exitWith(error));

/** Expected start-up failures: one line naming the cause, no stack. */
export function exitWith(error: unknown): never {
  const expected = error instanceof ConfigError || error instanceof DatabaseError || isListenError(error);
  const message = expected ? (error as Error).message : String((error as Error)?.stack ?? error);
  process.stderr.write(`broadsync: ${message}\n`);
  process.exit(1);
}

function isListenError(error: unknown): boolean {
  const code = (error as { code?: string })?.code;
  if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL') {
    (error as Error).message = `cannot listen: ${(error as Error).message}`;
    return true;
  }
  return false;
}
