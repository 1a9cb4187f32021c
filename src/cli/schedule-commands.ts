// `broadsync status` and `broadsync schedule …`: a network's sync summary and
// its schedules, through the same GraphQL API every client uses.
import { request } from './api.ts';
import type { Command, Output } from './args.ts';
import { EXIT, type ExitCode } from './exit-codes.ts';
import { shortRunId } from './report.ts';

const SCHEDULE = 'id networkId direction entityTypes every cron timeZone enabled nextRunAt lastRun { id status }';

const STATUS = `query Status($ref: EntityRef!) { network(ref: $ref) { name broadstreetId syncSummary {
  lastImport { id status finishedAt } lastExport { id status finishedAt } activeRun { id status percentage direction }
  schedules { ${SCHEDULE} } localCount changedCount conflictCount erroredCount removedCount } } }`;

const SCHEDULES = `query Schedules($ref: EntityRef!) { network(ref: $ref) { syncSchedules { ${SCHEDULE} } } }`;

const CREATE = `mutation ($input: CreateSyncScheduleInput!) { createSyncSchedule(input: $input) {
  __typename ... on CreateSyncSchedulePayload { schedule { ${SCHEDULE} } } ... on Error { message }
  ... on ValidationError { fieldErrors { path message } } } }`;

const UPDATE = `mutation ($input: UpdateSyncScheduleInput!) { updateSyncSchedule(input: $input) {
  __typename ... on UpdateSyncSchedulePayload { schedule { ${SCHEDULE} } } ... on Error { message } } }`;

const DELETE = `mutation ($input: DeleteSyncScheduleInput!) { deleteSyncSchedule(input: $input) {
  __typename ... on DeleteSyncSchedulePayload { schedule { ${SCHEDULE} } } ... on Error { message } } }`;

interface Schedule {
  id: string;
  networkId: number;
  direction: string;
  entityTypes: string[];
  every: string | null;
  cron: string | null;
  timeZone: string | null;
  enabled: boolean;
  nextRunAt: string | null;
  lastRun: { id: string; status: string } | null;
}

interface MutationResult {
  __typename: string;
  message?: string;
  schedule?: Schedule;
  fieldErrors?: { path: string[]; message: string }[];
}

const note = (text: string) => process.stderr.write(`${text}\n`);
const printJson = (value: unknown) => process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);

/** `U3luY1NjaGVkdWxlOjM=` → `3`. */
export function shortScheduleId(id: string): string {
  const match = /^SyncSchedule:(\d+)$/.exec(Buffer.from(id, 'base64').toString('utf8'));
  return match ? match[1]! : id;
}

const cadence = (s: Schedule) => (s.every ? `every ${s.every}` : `cron "${s.cron}" (${s.timeZone})`);

function scheduleLine(s: Schedule): string {
  const next = s.enabled ? `next ${s.nextRunAt ?? '—'}` : 'paused';
  const last = s.lastRun ? `, last run ${shortRunId(s.lastRun.id)} ${s.lastRun.status}` : '';
  return `  #${shortScheduleId(s.id)}  ${s.direction.toLowerCase()} ${cadence(s)} [${s.entityTypes.join(',')}]  ${next}${last}\n`;
}

function notImported(output: Output, networkId: number): ExitCode {
  const message = `network ${networkId} is not in the local database (import it first)`;
  note(`broadsync: ${message}`);
  if (output.json) printJson({ error: { type: 'NotFoundError', message } });
  return EXIT.runNotSucceeded;
}

function refused(output: Output, what: string, result: MutationResult): ExitCode {
  const detail = [result.message, ...(result.fieldErrors ?? []).map((f) => `${f.path.join('.')}: ${f.message}`)]
    .filter((m, i, all) => m && all.indexOf(m) === i)
    .join('; ');
  note(`broadsync: ${what}: ${detail || result.__typename}`);
  if (output.json) printJson({ error: { type: result.__typename, message: result.message, fieldErrors: result.fieldErrors ?? [] } });
  return EXIT.runNotSucceeded;
}

export async function statusCommand(command: Extract<Command, { kind: 'status' }>): Promise<ExitCode> {
  const { network } = await request<{ network: any }>(command.connection, STATUS, { ref: { broadstreetId: command.networkId } });
  if (!network) return notImported(command, command.networkId);
  const s = network.syncSummary;
  if (command.json) {
    printJson({ networkId: network.broadstreetId, name: network.name, ...s });
    return EXIT.ok;
  }
  const run = (r: any) => (r ? `run ${shortRunId(r.id)} ${r.status}${r.finishedAt ? ` at ${r.finishedAt}` : ''}` : 'none yet');
  const out = [
    `Network ${network.broadstreetId} "${network.name}"\n`,
    `  Last import:   ${run(s.lastImport)}\n`,
    `  Last export:   ${run(s.lastExport)}\n`,
    `  Running now:   ${s.activeRun ? `run ${shortRunId(s.activeRun.id)} ${s.activeRun.direction.toLowerCase()} ${s.activeRun.status} (${s.activeRun.percentage}%)` : 'none'}\n`,
    `  Entities:      ${s.localCount} local only, ${s.changedCount} changed, ${s.conflictCount} in conflict, ${s.erroredCount} with errors, ${s.removedCount} removed\n`,
    `Schedules (${s.schedules.length}):\n`,
    ...(s.schedules.length ? s.schedules.map(scheduleLine) : ['  none: syncs run only when started\n']),
  ];
  process.stdout.write(out.join(''));
  return EXIT.ok;
}

export async function scheduleListCommand(command: Extract<Command, { kind: 'schedule-list' }>): Promise<ExitCode> {
  const { network } = await request<{ network: { syncSchedules: Schedule[] } | null }>(command.connection, SCHEDULES, {
    ref: { broadstreetId: command.networkId },
  });
  if (!network) return notImported(command, command.networkId);
  if (command.json) printJson({ schedules: network.syncSchedules });
  else process.stdout.write(network.syncSchedules.length ? network.syncSchedules.map(scheduleLine).join('') : 'No schedules.\n');
  return EXIT.ok;
}

export async function scheduleCreateCommand(command: Extract<Command, { kind: 'schedule-create' }>): Promise<ExitCode> {
  const { createSyncSchedule: result } = await request<{ createSyncSchedule: MutationResult }>(command.connection, CREATE, {
    input: command.input,
  });
  if (!result.schedule) return refused(command, 'the schedule was refused', result);
  if (command.json) printJson(result.schedule);
  else process.stdout.write(`Schedule #${shortScheduleId(result.schedule.id)} created:\n${scheduleLine(result.schedule)}`);
  return EXIT.ok;
}

export async function scheduleChangeCommand(command: Extract<Command, { kind: 'schedule-change' }>): Promise<ExitCode> {
  const id = command.scheduleId;
  const { data, field } =
    command.action === 'delete'
      ? { data: await request<Record<string, MutationResult>>(command.connection, DELETE, { input: { id } }), field: 'deleteSyncSchedule' }
      : {
          data: await request<Record<string, MutationResult>>(command.connection, UPDATE, {
            input: { id, enabled: command.action === 'resume' },
          }),
          field: 'updateSyncSchedule',
        };
  const result = data[field]!;
  if (!result.schedule) return refused(command, `cannot ${command.action} schedule ${id}`, result);
  const done = { pause: 'paused', resume: 'resumed', delete: 'deleted' }[command.action];
  if (command.json) printJson({ [done]: result.schedule });
  else
    process.stdout.write(
      `Schedule #${shortScheduleId(result.schedule.id)} ${done}.\n${command.action === 'delete' ? '' : scheduleLine(result.schedule)}`,
    );
  return EXIT.ok;
}
