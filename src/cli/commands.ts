// The commands. Progress and notes go to stderr; reports (text, or one JSON
// document with --json) to stdout.
import { follow, request } from './api.ts';
import type { Command, Connection, Output } from './args.ts';
import { EXIT, exitCodeForStatus, type ExitCode } from './exit-codes.ts';
import {
  CANCEL_SYNC,
  ITEMS_PAGE,
  RUN_ITEMS,
  type ItemsPage,
  type RunItem,
  RUN,
  RUNS,
  START_SYNC,
  SYNC_PROGRESS,
  type CancelSyncResult,
  type ProgressEvent,
  type RunReport,
  type RunSummary,
  type StartSyncResult,
} from './operations.ts';
import { PhaseBars } from './progress-bars.ts';
import { describeRun, formatItems, formatPlan, formatReport, formatRuns, shortRunId } from './report.ts';

const TERMINAL = ['SUCCEEDED', 'PARTIAL', 'FAILED', 'CANCELLED'];

const note = (text: string) => process.stderr.write(`${text}\n`);
const printJson = (value: unknown) => process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);

/** A refusal the server returned as a typed error: said on stderr, and as `{ error }` on stdout with --json. */
function refused(output: Output, what: string, result: { __typename: string; message: string }, hint = ''): ExitCode {
  const message = result.message ?? result.__typename;
  note(`broadsync: ${what}: ${message}${hint}`);
  if (output.json) printJson({ error: { type: result.__typename, message } });
  return EXIT.runNotSucceeded;
}

export async function syncCommand(command: Extract<Command, { kind: 'sync' }>): Promise<ExitCode> {
  return startAndFollow(command, command.connection, {
    networkId: command.networkId,
    direction: command.direction,
    dryRun: command.dryRun,
    ...(command.entityTypes ? { entityTypes: command.entityTypes } : {}),
  });
}

export async function retryCommand(command: Extract<Command, { kind: 'retry' }>): Promise<ExitCode> {
  const original = await loadRun(command.connection, command.runId);
  if (!original) return missing(command, command.runId);
  return startAndFollow(command, command.connection, {
    networkId: original.networkId,
    direction: original.direction,
    retryOf: original.id,
  });
}

export async function planCommand(command: Extract<Command, { kind: 'plan' }>): Promise<ExitCode> {
  const input = {
    networkId: command.networkId,
    direction: command.direction,
    dryRun: true,
    ...(command.entityTypes ? { entityTypes: command.entityTypes } : {}),
  };
  return startAndFollow(command, command.connection, input, async (report) => {
    const items = await loadItems(command.connection, report.id);
    if (command.json) printJson({ ...report, items });
    else process.stdout.write(`${formatPlan(report, items)}${report.direction === 'IMPORT' ? `\n${formatReport(report)}` : ''}`);
  });
}

export async function applyCommand(command: Extract<Command, { kind: 'apply' }>): Promise<ExitCode> {
  const plan = await loadRun(command.connection, command.runId);
  if (!plan) return missing(command, command.runId);
  const input = { networkId: plan.networkId, direction: plan.direction, applyPlan: plan.id };
  return startAndFollow(command, command.connection, input, async (report) => {
    const items = await loadItems(command.connection, report.id);
    if (command.json) printJson({ ...report, items });
    else process.stdout.write(`${formatReport(report)}\n${formatItems(items)}`);
  });
}

async function startAndFollow(
  output: Output,
  connection: Connection,
  input: Record<string, unknown>,
  print?: (report: RunReport) => Promise<void>,
): Promise<ExitCode> {
  const { startSync } = await request<{ startSync: StartSyncResult }>(connection, START_SYNC, { input });
  if (startSync.__typename !== 'StartSyncPayload') {
    const active =
      startSync.__typename === 'SyncAlreadyRunningError' && 'run' in startSync
        ? ` (see: broadsync run ${shortRunId(startSync.run.id)})`
        : '';
    return refused(output, 'the server refused to start the run', startSync as { __typename: string; message: string }, active);
  }
  const run = (startSync as { run: RunSummary }).run;
  const id = shortRunId(run.id);
  note(`Run ${id}: ${describeRun(run)}, on ${connection.url}`);
  const bars = output.json ? null : new PhaseBars(`run ${id}`, run.direction);
  const interrupted = () => {
    bars?.stop();
    note(`Stopped following run ${id}; it goes on on the server (broadsync run ${id}).`);
    process.exit(EXIT.interrupted);
  };
  process.once('SIGINT', interrupted);
  try {
    await follow<ProgressEvent>(
      connection,
      SYNC_PROGRESS,
      { runId: run.id },
      {
        next: (event) => bars?.update(event),
        // Through the bars, so that they stay where they are and are redrawn below the note.
        notice: (text) => (bars ? bars.log(text) : note(text)),
      },
      (data) => data.syncProgress as ProgressEvent,
    );
  } finally {
    bars?.stop();
    process.off('SIGINT', interrupted);
  }
  const report = await loadRun(connection, run.id);
  if (!report) throw new Error(`run ${id} vanished from the server`);
  if (print) await print(report);
  else if (output.json) printJson(report);
  else process.stdout.write(formatReport(report));
  return exitCodeForStatus(report.status);
}

export async function cancelCommand(command: Extract<Command, { kind: 'cancel' }>): Promise<ExitCode> {
  const { cancelSync } = await request<{ cancelSync: CancelSyncResult }>(command.connection, CANCEL_SYNC, { runId: command.runId });
  if (cancelSync.__typename !== 'CancelSyncPayload') {
    if (cancelSync.__typename === 'NotFoundError') return missing(command, command.runId);
    return refused(command, `cannot cancel run ${command.runId}`, cancelSync as { __typename: string; message: string });
  }
  const { run } = cancelSync as Extract<CancelSyncResult, { __typename: 'CancelSyncPayload' }>;
  if (command.json) printJson(run);
  else if (run.status === 'CANCELLED') process.stdout.write(`Run ${shortRunId(run.id)}: cancelled before it started.\n`);
  else
    process.stdout.write(`Run ${shortRunId(run.id)}: cancel requested; it stops at its next entity (${run.status}, ${run.percentage}%).\n`);
  return EXIT.ok;
}

export async function runsCommand(command: Extract<Command, { kind: 'runs' }>): Promise<ExitCode> {
  const { syncRuns } = await request<{ syncRuns: { totalCount: number; edges: { node: RunSummary }[] } }>(command.connection, RUNS, {
    networkId: command.networkId ?? null,
    first: command.limit,
  });
  const runs = syncRuns.edges.map((e) => e.node);
  if (command.json) printJson({ totalCount: syncRuns.totalCount, runs });
  else process.stdout.write(formatRuns(runs, syncRuns.totalCount));
  return EXIT.ok;
}

export async function runCommand(command: Extract<Command, { kind: 'run' }>): Promise<ExitCode> {
  const report = await loadRun(command.connection, command.runId);
  if (!report) return missing(command, command.runId);
  if (command.json) printJson(report);
  else process.stdout.write(formatReport(report));
  if (!TERMINAL.includes(report.status)) {
    note(`Run ${shortRunId(report.id)} is still ${report.status} (${report.percentage}%).`);
    return EXIT.ok;
  }
  return exitCodeForStatus(report.status);
}

function missing(output: Output, runId: string): ExitCode {
  const message = `run ${runId} does not exist`;
  note(`broadsync: ${message}`);
  if (output.json) printJson({ error: { type: 'NotFoundError', message } });
  return EXIT.runNotSucceeded;
}

/** Every item of a run's report, page by page. */
async function loadItems(connection: Connection, id: string): Promise<RunItem[]> {
  const items: RunItem[] = [];
  for (let after: string | null = null; ; ) {
    const page: { syncRun: { items: ItemsPage } | null } = await request(connection, RUN_ITEMS, { id, first: ITEMS_PAGE, after });
    const { syncRun } = page;
    if (!syncRun) return items;
    items.push(...syncRun.items.edges.map((e) => e.node));
    if (!syncRun.items.pageInfo.hasNextPage) return items;
    after = syncRun.items.pageInfo.endCursor;
  }
}

async function loadRun(connection: Connection, id: string): Promise<RunReport | null> {
  const { syncRun } = await request<{ syncRun: RunReport | null }>(connection, RUN, { id });
  return syncRun;
}
