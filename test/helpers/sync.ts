// A server and a Broadstreet emulator on real sockets, with the operations
// sync tests need: start a run, follow it over graphql-ws, wait for its end.
import { afterEach } from 'vitest';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../../src/emulator/index.ts';
import { collect, startTestApp, type TestApp } from './app.ts';

export interface SyncEnv {
  emulator: RunningEmulator;
  server: TestApp;
  startSync(input: Record<string, unknown>): Promise<Record<string, any>>;
  /** Every event of a run over graphql-ws, until the run ends. */
  follow(runId: string, afterSeq?: number): Promise<ProgressEventResult[]>;
  /** Starts a run and follows it to its end; returns the stored run and the events. */
  sync(input: Record<string, unknown>): Promise<{ run: Record<string, any>; events: ProgressEventResult[] }>;
  run(runId: string): Promise<Record<string, any>>;
  stop(): Promise<void>;
}

export interface ProgressEventResult {
  seq: number;
  runId: string;
  status: string;
  phase: string | null;
  current: number;
  total: number;
  percentage: number;
  message: string;
  errors: { code: string; message: string; entityType: string | null; mongoId: string | null; retryable: boolean }[];
  warnings: string[];
}

export const EVENT_FIELDS =
  'seq runId status phase current total percentage message warnings errors { code message entityType ' +
  'mongoId broadstreetId retryable attempt }';

export const RUN_FIELDS = `id networkId direction dryRun status phase percentage failureReason attempts startedAt finishedAt
  counts { entityType created updated unchanged failed skipped }
  errors { code message entityType mongoId broadstreetId retryable attempt }`;

export async function startSyncEnv(emulatorOptions: EmulatorOptions = {}, env: Record<string, string> = {}): Promise<SyncEnv> {
  const emulator = await startEmulator({ size: 'tiny', ...emulatorOptions });
  const server = await startTestApp({
    BROADSTREET_API_BASE_URL: emulator.url,
    BROADSTREET_API_TOKEN: emulator.config.token,
    BROADSTREET_RATE_LIMIT_RPS: '1000',
    ...env,
  });
  const startSync = async (input: Record<string, unknown>) => {
    const result = await server.graphql(
      `mutation ($input: StartSyncInput!) { startSync(input: $input) {
        __typename
        ... on StartSyncPayload { run { ${RUN_FIELDS} } }
        ... on Error { message }
        ... on ValidationError { fieldErrors { path message } }
        ... on SyncAlreadyRunningError { run { id status } }
      } }`,
      { input },
    );
    if (result.errors) throw new Error(JSON.stringify(result.errors));
    return result.data!.startSync;
  };
  const follow = (runId: string, afterSeq?: number) =>
    collect<{ data: { syncProgress: ProgressEventResult } }>(
      server.wsClient(),
      `subscription ($runId: ID!, $afterSeq: Int) { syncProgress(runId: $runId, afterSeq: $afterSeq) { ${EVENT_FIELDS} } }`,
      { runId, afterSeq },
    ).then((results) => results.map((r) => r.data.syncProgress));
  const run = async (runId: string) => {
    const result = await server.graphql(`query ($id: ID!) { syncRun(id: $id) { ${RUN_FIELDS} } }`, { id: runId });
    return result.data!.syncRun;
  };
  return {
    emulator,
    server,
    startSync,
    follow,
    run,
    async sync(input) {
      const started = await startSync(input);
      if (started.__typename !== 'StartSyncPayload') throw new Error(`startSync refused: ${JSON.stringify(started)}`);
      const events = await follow(started.run.id);
      return { run: await run(started.run.id), events };
    },
    async stop() {
      await server.stop();
      await emulator.stop();
    },
  };
}

/**
 * A fresh SyncEnv per test: call in a describe, then `const env = await start(...)`
 * in each test; whatever a test started is stopped after it.
 */
export function syncEnvPerTest(): typeof startSyncEnv {
  let started: SyncEnv | undefined;
  afterEach(async () => {
    await started?.stop();
    started = undefined;
  });
  return async (...args) => {
    started = await startSyncEnv(...args);
    return started;
  };
}

/** Every count kind, the planned ones a dry run uses among them. */
export const ALL_COUNT_FIELDS = 'created updated deleted unchanged conflicts failed skipped plannedCreates plannedUpdates plannedDeletes';

/** A run's counts of the kinds named (default: all of them), by entity type. */
export async function allCounts(env: SyncEnv, runId: string, fields = ALL_COUNT_FIELDS): Promise<Record<string, Record<string, number>>> {
  const result = await env.server.graphql(`query ($id: ID!) { syncRun(id: $id) { counts { entityType ${fields} } } }`, { id: runId });
  return countsByType(result.data!.syncRun);
}

/** The data of a GraphQL operation on the env's server; GraphQL errors throw (with their messages). */
export async function gqlData(env: SyncEnv, query: string, variables: Record<string, unknown> = {}): Promise<Record<string, any>> {
  const result = await env.server.graphql(query, variables);
  if (result.errors) throw new Error(JSON.stringify(result.errors));
  return result.data!;
}

/** Changes or deletes a record from Broadstreet's side, as its UI would (the emulator's inspection API). */
export async function editRemote(env: SyncEnv, method: 'PUT' | 'DELETE', path: string, body?: unknown): Promise<void> {
  const response = await fetch(`${env.emulator.origin}/__emulator/records/${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  if (response.status !== 200) throw new Error(`${method} ${path} on the emulator's records answered ${response.status}`);
}

/** One entity's line of a run's report (a SyncItem). */
export interface RunItem {
  entityType: string;
  mongoId: string;
  broadstreetId: number | null;
  outcome: string;
  message: string | null;
  changes: { field: string; from: unknown; to: unknown; driftChecked: boolean }[];
}

/** A run's per-entity report, in the order it was stored (the first 500 items). */
export async function runItems(env: SyncEnv, runId: string): Promise<RunItem[]> {
  const data = await gqlData(
    env,
    `query ($id: ID!) { syncRun(id: $id) { items(first: 500) { edges { node {
      entityType mongoId broadstreetId outcome message changes { field from to driftChecked } } } } } }`,
    { id: runId },
  );
  return data.syncRun.items.edges.map((e: { node: RunItem }) => e.node);
}

/** Phase order and monotonic percentages: what every event stream must show. */
export function phasesInOrder(events: ProgressEventResult[]): string[] {
  const phases: string[] = [];
  for (const e of events) if (e.phase && phases.at(-1) !== e.phase) phases.push(e.phase);
  return phases;
}

export function countsByType(run: Record<string, any>): Record<string, Record<string, number>> {
  return Object.fromEntries(
    (run.counts as { entityType: string }[]).map(({ entityType, ...rest }) => [entityType, rest as Record<string, number>]),
  );
}
