import { pino, type Logger } from 'pino';

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
  'req.headers.authorization',
  'headers.authorization',
  'BROADSTREET_API_TOKEN',
  '*.BROADSTREET_API_TOKEN',
];

export function createLogger(level: string = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({ level, redact: { paths: redact, censor: '[redacted]' }, base: { service: 'broadsync' } });
}

export const logger: Logger = createLogger();
