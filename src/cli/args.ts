// The command line: `broadsync sync|runs|run …`, parsed with node:util parseArgs.
import { parseArgs } from 'node:util';
import { CliError, EXIT } from './exit-codes.ts';

export const DEFAULT_URL = 'http://127.0.0.1:4000/graphql';
const ENTITY_TYPES = ['NETWORK', 'ADVERTISER', 'ZONE', 'ADVERTISEMENT', 'CAMPAIGN', 'PLACEMENT'];

export const USAGE = `Usage:
  broadsync sync --network <id> --direction import|export [--dry-run] [--types <list>] [--json] [options]
      Start a sync run, follow it with a progress bar per phase, print its report.
  broadsync plan --network <id> [--direction export|import] [--types <list>] [--json] [options]
      Make a plan: a dry run that sends nothing and writes nothing; print what it would create,
      update or delete, what conflicts and what is blocked (why), as a table.
  broadsync apply <run> [--json] [options]
      Execute exactly the plan of that dry run (an export's), once, with a progress bar per phase;
      what changed on either side since the plan is skipped as CONFLICT. Print its report.
  broadsync retry <run> [--json] [options]
      Start a run of only what failed or was skipped in a finished run, follow it, print its report.
  broadsync cancel <run> [--json] [options]
      Stop a run at its next entity boundary (what it did stays done).
  broadsync runs [--network <id>] [--limit <n>] [--json] [options]
      The sync history, newest first.
  broadsync run <run> [--json] [options]
      The report of one run.
  broadsync status --network <id> [--json] [options]
      Where a network stands: last import and export, the run in progress, entity counts, schedules and their next tick.
  broadsync schedule list --network <id> [--json] [options]
  broadsync schedule create --network <id> --direction import|export (--every <ISO 8601> | --cron <expr> [--tz <zone>])
                            [--types <list>] [--paused] [--json] [options]
  broadsync schedule pause|resume|delete <schedule> [--json] [options]
      A network's schedules: each tick starts an ordinary run (skipped while one is in progress).
  broadsync help
      This text.

Options:
  --network <id>       the Broadstreet network id (sync, plan: required; runs: only that network's runs)
  --direction <dir>    sync: import (Broadstreet to local) or export (local to Broadstreet); plan: default export
  --dry-run            sync, exports only: validate and report what would happen, send nothing
  --types <list>       sync, plan: comma-separated entity types (${ENTITY_TYPES.join(', ')}; default: all the direction allows)
  --limit <n>          runs: how many to list (default 20, at most 500)
  --every <duration>   schedule create: an ISO 8601 interval, such as PT15M or PT4H
  --cron <expr>        schedule create: a cron expression, such as "0 */4 * * *" (instead of --every)
  --tz <zone>          schedule create: the IANA time zone of --cron (default UTC)
  --paused             schedule create: make it paused (resume it later)
  --json               print the result as one JSON document on stdout (no progress bars)
  --url <url>          the server's GraphQL endpoint (default: BROADSYNC_URL or ${DEFAULT_URL})
  --token <token>      an API token (default: BROADSYNC_TOKEN); a server without API_TOKENS needs none
  -h, --help           this text

Exit status: 0 the run SUCCEEDED (or the listing or status was printed, the cancel or schedule change
accepted; a plan: its dry run SUCCEEDED, nothing blocked); 1 it ended PARTIAL (a plan: something is
blocked or conflicting), FAILED or CANCELLED, was refused, or does not exist; 2 a usage error
(also: no command); 3 the server could not be reached, refused the token, or did not answer
as Broadsync does.`;

/** Every option of every command; USAGE describes each of them. */
export const OPTIONS = {
  network: { type: 'string' },
  direction: { type: 'string' },
  'dry-run': { type: 'boolean', default: false },
  types: { type: 'string' },
  limit: { type: 'string' },
  every: { type: 'string' },
  cron: { type: 'string' },
  tz: { type: 'string' },
  paused: { type: 'boolean', default: false },
  json: { type: 'boolean', default: false },
  url: { type: 'string' },
  token: { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

export interface Connection {
  url: string;
  token: string | undefined;
}

/** Whether a command prints text for people or one JSON document for scripts. */
export interface Output {
  json: boolean;
}

export type Command =
  | { kind: 'help' }
  | ({
      kind: 'sync';
      connection: Connection;
      networkId: number;
      direction: 'IMPORT' | 'EXPORT';
      dryRun: boolean;
      entityTypes: string[] | undefined;
    } & Output)
  | ({
      kind: 'plan';
      connection: Connection;
      networkId: number;
      direction: 'IMPORT' | 'EXPORT';
      entityTypes: string[] | undefined;
    } & Output)
  | ({ kind: 'apply'; connection: Connection; runId: string } & Output)
  | ({ kind: 'retry'; connection: Connection; runId: string } & Output)
  | ({ kind: 'cancel'; connection: Connection; runId: string } & Output)
  | ({ kind: 'runs'; connection: Connection; networkId: number | undefined; limit: number } & Output)
  | ({ kind: 'run'; connection: Connection; runId: string } & Output)
  | ({ kind: 'status'; connection: Connection; networkId: number } & Output)
  | ({ kind: 'schedule-list'; connection: Connection; networkId: number } & Output)
  | ({
      kind: 'schedule-create';
      connection: Connection;
      input: {
        networkId: number;
        direction: 'IMPORT' | 'EXPORT';
        every?: string;
        cron?: string;
        timeZone?: string;
        entityTypes?: string[];
        enabled: boolean;
      };
    } & Output)
  | ({ kind: 'schedule-change'; connection: Connection; action: 'pause' | 'resume' | 'delete'; scheduleId: string } & Output);

export function parseCommand(argv: string[], env: NodeJS.ProcessEnv): Command {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: OPTIONS,
    });
  } catch (error) {
    throw usage((error as Error).message);
  }
  const { values, positionals } = parsed;
  const [name, ...rest] = positionals;
  if (values.help || name === 'help') return { kind: 'help' };
  if (name === undefined) throw usage('no command given');
  const connection = {
    url: endpoint(values.url ?? env.BROADSYNC_URL ?? DEFAULT_URL),
    token: values.token ?? (env.BROADSYNC_TOKEN || undefined),
  };
  const json = values.json;
  switch (name) {
    case 'sync': {
      noPositionals(name, rest);
      if (values.network === undefined) throw usage('sync needs --network <id>');
      const direction = values.direction?.toUpperCase();
      if (direction !== 'IMPORT' && direction !== 'EXPORT') throw usage('sync needs --direction import or --direction export');
      if (values['dry-run'] && direction !== 'EXPORT') throw usage('--dry-run applies to exports only');
      return {
        kind: 'sync',
        connection,
        networkId: positiveInt('--network', values.network),
        direction,
        dryRun: values['dry-run'],
        entityTypes: values.types === undefined ? undefined : entityTypes(values.types),
        json,
      };
    }
    case 'plan': {
      noPositionals(name, rest);
      if (values.network === undefined) throw usage('plan needs --network <id>');
      if (values['dry-run']) throw usage('plan is a dry run already: leave --dry-run out');
      const direction = (values.direction ?? 'export').toUpperCase();
      if (direction !== 'IMPORT' && direction !== 'EXPORT') throw usage('plan takes --direction import or --direction export');
      return {
        kind: 'plan',
        connection,
        networkId: positiveInt('--network', values.network),
        direction,
        entityTypes: values.types === undefined ? undefined : entityTypes(values.types),
        json,
      };
    }
    case 'runs':
      noPositionals(name, rest);
      return {
        kind: 'runs',
        connection,
        networkId: values.network === undefined ? undefined : positiveInt('--network', values.network),
        limit: values.limit === undefined ? 20 : Math.min(500, positiveInt('--limit', values.limit)),
        json,
      };
    case 'status':
      noPositionals(name, rest);
      if (values.network === undefined) throw usage('status needs --network <id>');
      return { kind: 'status', connection, networkId: positiveInt('--network', values.network), json };
    case 'schedule':
      return scheduleCommand(rest, values, connection, json);
    case 'run':
    case 'apply':
    case 'retry':
    case 'cancel':
      if (rest.length !== 1) throw usage(`${name} needs exactly one run id: broadsync ${name} <run>`);
      return { kind: name, connection, runId: rest[0]!, json };
    default:
      throw usage(`unknown command "${name}"`);
  }
}

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true; strict: true }>>['values'];

function scheduleCommand(rest: string[], values: Values, connection: Connection, json: boolean): Command {
  const [action, ...ids] = rest;
  switch (action) {
    case 'list':
      noPositionals('schedule list', ids);
      if (values.network === undefined) throw usage('schedule list needs --network <id>');
      return { kind: 'schedule-list', connection, networkId: positiveInt('--network', values.network), json };
    case 'create': {
      noPositionals('schedule create', ids);
      if (values.network === undefined) throw usage('schedule create needs --network <id>');
      const direction = values.direction?.toUpperCase();
      if (direction !== 'IMPORT' && direction !== 'EXPORT') throw usage('schedule create needs --direction import or --direction export');
      if ((values.every === undefined) === (values.cron === undefined))
        throw usage('schedule create needs exactly one of --every and --cron');
      if (values.tz !== undefined && values.cron === undefined) throw usage('--tz goes with --cron');
      return {
        kind: 'schedule-create',
        connection,
        json,
        input: {
          networkId: positiveInt('--network', values.network),
          direction,
          ...(values.every !== undefined ? { every: values.every } : {}),
          ...(values.cron !== undefined ? { cron: values.cron } : {}),
          ...(values.tz !== undefined ? { timeZone: values.tz } : {}),
          ...(values.types !== undefined ? { entityTypes: entityTypes(values.types) } : {}),
          enabled: !values.paused,
        },
      };
    }
    case 'pause':
    case 'resume':
    case 'delete':
      if (ids.length !== 1) throw usage(`schedule ${action} needs exactly one schedule id: broadsync schedule ${action} <schedule>`);
      return { kind: 'schedule-change', connection, action, scheduleId: ids[0]!, json };
    default:
      throw usage(action === undefined ? 'schedule needs list, create, pause, resume or delete' : `unknown schedule action "${action}"`);
  }
}

/** Accepts the server's base URL too: http://host:4000 → http://host:4000/graphql. */
function endpoint(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw usage(`--url ${raw} is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw usage(`--url must be http:// or https://, got ${raw}`);
  if (url.pathname === '/' || url.pathname === '') url.pathname = '/graphql';
  return url.toString();
}

function positiveInt(flag: string, value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1 || !Number.isSafeInteger(Number(value))) {
    throw usage(`${flag} must be a positive whole number, got "${value}"`);
  }
  return Number(value);
}

function entityTypes(list: string): string[] {
  const types = list
    .split(',')
    .map((t) => t.trim().toUpperCase())
    .filter(Boolean);
  const unknown = types.filter((t) => !ENTITY_TYPES.includes(t));
  if (types.length === 0 || unknown.length > 0) {
    throw usage(
      `--types takes a comma-separated list of ${ENTITY_TYPES.join(', ')}${unknown.length ? `; unknown: ${unknown.join(', ')}` : ''}`,
    );
  }
  return types;
}

function noPositionals(command: string, rest: string[]): void {
  if (rest.length > 0) throw usage(`${command} takes no argument "${rest[0]}"`);
}

function usage(message: string): CliError {
  return new CliError(`${message}\n\n${USAGE}`, EXIT.usage);
}
