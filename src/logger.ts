import { pino, type DestinationStream, type Logger } from 'pino';
import { logContextFields } from './observability/log-context.ts';

export type { Logger };

/** Paths that may carry secrets, wherever they appear in a log object. */
const redact = [
  'token',
  '*.token',
  'accessToken',
  '*.accessToken',
  'access_token',
  '*.access_token',
  'authorization',
  '*.authorization',
  'Authorization',
  '*.Authorization',
  'req.headers.authorization',
  'headers.authorization',
  'connectionParams',
  '*.connectionParams',
  'BROADSTREET_API_TOKEN',
  '*.BROADSTREET_API_TOKEN',
  'API_TOKENS',
  '*.API_TOKENS',
];

/** The level comes from the validated config (LOG_LEVEL), so a bad one is a config error, not a crash at import. */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    { level, redact: { paths: redact, censor: '[redacted]' }, base: { service: 'broadsync' }, mixin: logContextFields },
    destination,
  );
}
