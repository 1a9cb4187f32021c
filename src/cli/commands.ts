// The three commands. Progress and notes go to stderr; reports to stdout.
import { follow, request } from './api.ts';
import type { Command, Connection } from './args.ts';
import { EXIT, exitCodeForStatus, type ExitCode } from './exit-codes.ts';
import {
  RUN,
  RUNS,
  START_SYNC,
  SYNC_PROGRESS,
  type ProgressEvent,
  type RunReport,
  type RunSummary,
  type StartSyncResult,
} from './operations.ts';
import { PhaseBars } from './progress-bars.ts';
import { describeRun, formatReport, formatRuns, shortRunId } from './report.ts';

const TERMINAL = ['SUCCEEDED', 'PARTIAL', 'FAILED', 'CANCELLED'];

const note = (text: string) => process.stderr.write(`${text}\n`);

export async function syncCommand(command: Extract<Command, { kind: 'sync' }>): Promise<ExitCode> {
  const { connection } = command;
  const input = {
    networkId: command.networkId,
    direction: command.direction,
    dryRun: command.dryRun,
    ...(command.entityTypes ? { entityTypes: command.entityTypes } : {}),
  };
  const { startSync } = await request<{ startSync: StartSyncResult }>(connection, START_SYNC, { input });
  if (startSync.__typename !== 'StartSyncPayload') {
    const message = 'message' in startSync ? startSync.message : startSync.__typename;
    const active = startSync.__typename === 'SyncAlreadyRunningError' && 'run' in startSync ? ` (see: broadsync run ${shortRunId(startSync.run.id)})` : '';
    note(`broadsync: the server refused to start the run: ${message}${active}`);
    return EXIT.runNotSucceeded;
  }
  const run = (startSync as { run: RunSummary }).run;
  const id = shortRunId(run.id);
  note(`Run ${id}: ${describeRun(run)}, on ${connection.url}`);
  const bars = new PhaseBars(`run ${id}`, run.direction);
  const interrupted = () => {
    bars.stop();
    note(`Stopped following run ${id}; it goes on on the server (broadsync run ${id}).`);
    process.exit(EXIT.interrupted);
  };
  process.once('SIGINT', interrupted);
  try {
    await follow<ProgressEvent>(connection, SYNC_PROGRESS, { runId: run.id }, { next: (event) => bars.update(event) }, (data) => data.syncProgress as ProgressEvent);
  } finally {
    bars.stop();
    process.off('SIGINT', interrupted);
  }
  const report = await loadRun(connection, run.id);
  if (!report) throw new Error(`run ${id} vanished from the server`);
  process.stdout.write(formatReport(report));
  return exitCodeForStatus(report.status);
}

export async function runsCommand(command: Extract<Command, { kind: 'runs' }>): Promise<ExitCode> {
  const { syncRuns } = await request<{ syncRuns: { totalCount: number; edges: { node: RunSummary }[] } }>(command.connection, RUNS, {
    networkId: command.networkId ?? null,
    first: command.limit,
  });
  process.stdout.write(formatRuns(syncRuns.edges.map((e) => e.node), syncRuns.totalCount));
  return EXIT.ok;
}

export async function runCommand(command: Extract<Command, { kind: 'run' }>): Promise<ExitCode> {
  const report = await loadRun(command.connection, command.runId);
  if (!report) {
    note(`broadsync: run ${command.runId} does not exist`);
    return EXIT.runNotSucceeded;
  }
  process.stdout.write(formatReport(report));
  if (!TERMINAL.includes(report.status)) {
    note(`Run ${shortRunId(report.id)} is still ${report.status} (${report.percentage}%).`);
    return EXIT.ok;
  }
  return exitCodeForStatus(report.status);
}

async function loadRun(connection: Connection, id: string): Promise<RunReport | null> {
  const { syncRun } = await request<{ syncRun: RunReport | null }>(connection, RUN, { id });
  return syncRun;
}
