// The GraphQL the CLI sends, and the shapes it reads back.
export interface RunCount {
  entityType: string;
  created: number;
  updated: number;
  deleted: number;
  unchanged: number;
  conflicts: number;
  failed: number;
  skipped: number;
  plannedCreates: number;
  plannedUpdates: number;
  plannedDeletes: number;
}

/** One entity of a run's per-entity report (a dry run's plan, or what an export did). */
export interface RunItem {
  entityType: string;
  mongoId: string;
  broadstreetId: number | null;
  name: string | null;
  resolvedName: string | null;
  outcome: string;
  message: string | null;
  changes: { field: string; from: unknown; to: unknown; driftChecked: boolean }[];
}

export interface RunError {
  code: string;
  message: string;
  entityType: string | null;
  mongoId: string | null;
  broadstreetId: number | null;
}

export interface RunSummary {
  id: string;
  networkId: number;
  direction: string;
  dryRun: boolean;
  status: string;
  phase: string | null;
  percentage: number;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface RunReport extends RunSummary {
  failureReason: string | null;
  counts: RunCount[];
  errors: RunError[];
}

export interface ProgressEvent {
  seq: number;
  status: string;
  phase: string | null;
  current: number;
  total: number;
  percentage: number;
  message: string;
  errors: { code: string }[];
  warnings: string[];
}

const SUMMARY = 'id networkId direction dryRun status phase percentage createdAt startedAt finishedAt';
const REPORT = `${SUMMARY} failureReason
  counts { entityType created updated deleted unchanged conflicts failed skipped plannedCreates plannedUpdates plannedDeletes }
  errors { code message entityType mongoId broadstreetId }`;

export const START_SYNC = `mutation StartSync($input: StartSyncInput!) {
  startSync(input: $input) {
    __typename
    ... on StartSyncPayload { run { ${SUMMARY} } }
    ... on Error { message }
    ... on SyncAlreadyRunningError { run { id status } }
  }
}`;

export type StartSyncResult =
  | { __typename: 'StartSyncPayload'; run: RunSummary }
  | { __typename: 'SyncAlreadyRunningError'; message: string; run: { id: string; status: string } }
  | { __typename: string; message: string };

export const CANCEL_SYNC = `mutation CancelSync($runId: ID!) {
  cancelSync(input: { runId: $runId }) {
    __typename
    ... on CancelSyncPayload { run { ${SUMMARY} cancelRequested } }
    ... on Error { message }
  }
}`;

export type CancelSyncResult =
  | { __typename: 'CancelSyncPayload'; run: RunSummary & { cancelRequested: boolean } }
  | { __typename: string; message: string };

export const ITEMS_PAGE = 500;

export const RUN_ITEMS = `query RunItems($id: ID!, $first: Int!, $after: String) {
  syncRun(id: $id) {
    items(first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node { entityType mongoId broadstreetId name resolvedName outcome message changes { field from to driftChecked } } }
    }
  }
}`;

export interface ItemsPage {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  edges: { node: RunItem }[];
}

export const RUN = `query Run($id: ID!) { syncRun(id: $id) { ${REPORT} } }`;

export const RUNS = `query Runs($networkId: Int, $first: Int) {
  syncRuns(networkId: $networkId, first: $first) { totalCount edges { node { ${SUMMARY} } } }
}`;

export const SYNC_PROGRESS = `subscription SyncProgress($runId: ID!, $afterSeq: Int) {
  syncProgress(runId: $runId, afterSeq: $afterSeq) { seq status phase current total percentage message warnings errors { code } }
}`;
