import type { Logger } from '../logger.ts';

export type AccessScope = 'read' | 'write';

/** What every resolver gets, over HTTP and WebSocket alike. */
export interface Context {
  requestId: string;
  logger: Logger;
  /** Granted by the access token; 'write' when no tokens are configured. */
  scope: AccessScope;
}
