import type { Logger } from '../logger.ts';
import type { Services } from '../sync/services.ts';

export type AccessScope = 'read' | 'write';

/** What every resolver gets, over HTTP and WebSocket alike. */
export interface Context {
  requestId: string;
  logger: Logger;
  /** The process's services (database, pub/sub, run executor, …), built once at start-up. */
  services: Services;
  /** Granted by the access token; 'write' when no tokens are configured. */
  scope: AccessScope;
}
