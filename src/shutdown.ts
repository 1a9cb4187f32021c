// What every entry point does on SIGTERM/SIGINT: its steps in order, then exit
// 0; a step that fails is logged (why the exit code is 1) and the process exits 1.
import type { Logger } from './logger.ts';

export function onShutdownSignals(logger: Logger, message: string, steps: Array<() => Promise<unknown>>): void {
  const shutdown = (signal: string) => {
    logger.info({ signal }, message);
    steps
      .reduce<Promise<unknown>>((done, step) => done.then(step), Promise.resolve())
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
