// The environment, parsed once with zod into one typed object.
import { z } from 'zod';
import { DEFAULT_DATABASE_URL, DatabaseUrlError, parseDatabaseUrl } from './db/url.ts';
import { parseRetryPolicy, type RetryPolicy } from './sync/schedules/retry-policy.ts';

const port = z.coerce.number().int().min(0).max(65535);
const bool = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => v === 'true' || v === '1' || v === 'yes');

const apiTokens = z.string().transform((raw, ctx) => {
  const tokens: { token: string; scope: 'read' | 'write' }[] = [];
  for (const part of raw
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const i = part.lastIndexOf(':');
    const token = i > 0 ? part.slice(0, i) : '';
    const scope = i > 0 ? part.slice(i + 1) : '';
    if (!token || (scope !== 'read' && scope !== 'write')) {
      ctx.addIssue({ code: 'custom', message: 'must be comma-separated token:read or token:write pairs' });
      return z.NEVER;
    }
    tokens.push({ token, scope });
  }
  return tokens;
});

/** `<attempts>:<ISO 8601 delay>` (3:PT30S) or off. */
const retryPolicy = z.string().transform((raw, ctx): RetryPolicy => {
  const policy = parseRetryPolicy(raw);
  if (typeof policy === 'string') {
    ctx.addIssue({ code: 'custom', message: policy });
    return z.NEVER;
  }
  return policy;
});

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: port.default(4000),
  HOST: z.string().min(1).optional(),
  DATABASE_URL: z
    .string()
    .default(DEFAULT_DATABASE_URL)
    .superRefine((url, ctx) => {
      try {
        parseDatabaseUrl(url);
      } catch (error) {
        if (!(error instanceof DatabaseUrlError)) throw error;
        ctx.addIssue({ code: 'custom', message: error.message.replace(/^DATABASE_URL /, '') });
      }
    }),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL')
    .optional(),
  BROADSTREET_API_BASE_URL: z.url({ protocol: /^https?$/ }).default('https://api.broadstreetads.com/api/1'),
  BROADSTREET_API_TOKEN: z.string().min(1).optional(),
  BROADSTREET_RATE_LIMIT_RPS: z.coerce.number().positive().max(10_000).default(10),
  BROADSTREET_RATE_LIMIT_MARGIN: z.coerce.number().min(0).max(1).default(0.05),
  BROADSTREET_TIMEOUT_MS: z.coerce.number().int().positive().default(30_000),
  BROADSTREET_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(1000).optional(),
  BROADSTREET_RETRY_BUDGET_MS: z.coerce.number().int().min(0).max(3_600_000).default(120_000),
  BROADSTREET_RETRY_BASE_MS: z.coerce.number().int().min(0).max(60_000).default(500),
  BROADSTREET_BREAKER_THRESHOLD: z.coerce.number().int().min(1).max(1000).default(5),
  BROADSTREET_PROBE_INTERVAL_MS: z.coerce.number().int().min(10).max(600_000).default(5_000),
  BROADSTREET_OUTAGE_BUDGET_MS: z.coerce.number().int().min(0).max(86_400_000).default(600_000),
  SYNC_LEASE_MS: z.coerce.number().int().min(1_000).max(3_600_000).default(60_000),
  /** Unset: DEFAULT_CONCURRENCY, growing while Broadstreet's round trips are long (src/sync/context.ts inFlight). */
  SYNC_CONCURRENCY: z.coerce.number().int().min(1).max(64).optional(),
  SYNC_RUNS_PER_WORKER: z.coerce.number().int().min(1).max(64).default(8),
  EMULATOR_PORT: port.default(4010),
  EMULATOR_TOKEN: z.string().min(1).default('demo-token'),
  API_TOKENS: apiTokens.optional(),
  SYNC_WORKER: bool.default(true),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  GRAPHQL_MAX_DEPTH: z.coerce.number().int().min(1).max(100).default(12),
  GRAPHQL_MAX_ALIASES: z.coerce.number().int().min(0).max(1000).default(15),
  GRAPHQL_MAX_TOKENS: z.coerce.number().int().min(10).max(1_000_000).default(2000),
  GRAPHQL_MAX_COST: z.coerce.number().int().min(1).max(1_000_000_000).default(6_000_000),
  GRAPHQL_MAX_CONCURRENT_OPERATIONS: z.coerce.number().int().min(1).max(1000).default(2),
  GRAPHQL_MAX_QUEUED_OPERATIONS: z.coerce.number().int().min(0).max(100_000).default(256),
  GRAPHQL_SHARE_QUEUED_QUERIES: bool.default(true),
  GRAPHQL_MAX_BODY_BYTES: z.coerce.number().int().min(1024).max(100_000_000).default(1_048_576),
  WS_CONNECTION_INIT_TIMEOUT_MS: z.coerce.number().int().min(1).max(600_000).default(10_000),
  METRICS_ENABLED: bool.default(true),
  SYNC_IMPORT_ON_EMPTY: bool.default(false),
  SYNC_AUTO_RETRY: retryPolicy.optional(),
  SYNC_WEBHOOK_URL: z.url({ protocol: /^https?$/ }).optional(),
  SYNC_WEBHOOK_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
});

/** Settings that only make sense together. */
const configSchema = envSchema.superRefine((config, ctx) => {
  const renewal = heartbeatMs(config.SYNC_LEASE_MS);
  if (config.SYNC_LEASE_MS <= config.BROADSTREET_TIMEOUT_MS + 2 * renewal) {
    ctx.addIssue({
      code: 'custom',
      path: ['SYNC_LEASE_MS'],
      message:
        `must exceed BROADSTREET_TIMEOUT_MS (${config.BROADSTREET_TIMEOUT_MS}) by two lease renewals ` +
        `(${2 * renewal} ms): an owner sends a write only while its lease outlasts one request`,
    });
  }
  if (!config.SYNC_WORKER && !config.REDIS_URL) {
    ctx.addIssue({
      code: 'custom',
      path: ['SYNC_WORKER'],
      message: 'can be false only with REDIS_URL set (runs then go to workers through the queue)',
    });
  }
  if (config.SYNC_WEBHOOK_URL && !config.SYNC_WEBHOOK_SECRET) {
    ctx.addIssue({
      code: 'custom',
      path: ['SYNC_WEBHOOK_SECRET'],
      message: 'is required with SYNC_WEBHOOK_URL (deliveries are signed with it)',
    });
  }
});

export type Config = z.infer<typeof envSchema>;

/** How often a run's owner renews its lease: every 5 s, or a quarter of a shorter lease. */
export function heartbeatMs(leaseMs: number): number {
  return Math.min(5_000, Math.floor(leaseMs / 4));
}
export type ApiToken = NonNullable<Config['API_TOKENS']>[number];

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parses the environment; throws ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = configSchema.safeParse(present);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = String(issue.path[0] ?? 'environment');
    const secret = /TOKEN|PASSWORD|SECRET/.test(name);
    const value = present[name];
    const shown = value === undefined || secret ? '' : ` (got ${JSON.stringify(value.slice(0, 80))})`;
    return `${name} ${issue.message}${shown}`;
  });
  throw new ConfigError(`invalid configuration: ${problems.join('; ')}`);
}

/**
 * What the Prisma plugin does with a selection no resolver used: fail tests,
 * warn in development, nothing in production. The schema is built when its
 * modules load, before any config object exists, so this reads NODE_ENV itself
 * (the one reading of the environment outside loadConfig).
 */
export function unusedQueryPolicy(env: NodeJS.ProcessEnv = process.env): 'error' | 'warn' | null {
  if (env.NODE_ENV === 'production') return null;
  return env.NODE_ENV === 'test' ? 'error' : 'warn';
}

/** Where the server listens: loopback unless tokens guard it; without tokens a HOST off loopback is refused. */
export function listenHost(config: Config): string {
  if (config.API_TOKENS?.length) return config.HOST ?? '0.0.0.0';
  const host = config.HOST ?? '127.0.0.1';
  if (!isLoopbackHost(host)) {
    throw new ConfigError(`HOST ${host} is not a loopback address: set API_TOKENS to serve the API beyond this machine`);
  }
  return host;
}

export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  return bare === 'localhost' || bare.endsWith('.localhost') || bare === '::1' || /^127(\.\d{1,3}){3}$/.test(bare);
}

/** Entities of one run in flight when SYNC_CONCURRENCY is unset (the least: more while round trips are long). */
export const DEFAULT_CONCURRENCY = 4;
