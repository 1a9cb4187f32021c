import { ConfigError } from './config.ts';
import { DatabaseError } from './db/index.ts';

/** Ends the process after a failed start: expected causes get one line, no stack. */
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
