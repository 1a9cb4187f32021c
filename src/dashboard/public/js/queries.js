// @ts-check
// The GraphQL operations the dashboard sends: the same public API every client uses.

export const ERROR_FIELDS = 'code message entityType mongoId broadstreetId retryable attempt at';

export const EVENT_FIELDS = `seq runId status phase current total percentage message warnings at errors { ${ERROR_FIELDS} }`;

const RUN_SUMMARY = `id networkId direction dryRun entityTypes status phase percentage failureReason cancelRequested
  createdAt startedAt finishedAt retryOf { id }
  counts { entityType created updated deleted unchanged conflicts failed skipped plannedCreates plannedUpdates plannedDeletes }`;

const ITEM_FIELDS = 'entityType mongoId name resolvedName outcome broadstreetId message changes { field from to driftChecked }';

export const NETWORKS = `query Networks {
  networksConnection(first: 500, orderBy: { field: NAME, direction: ASC }) { edges { node { broadstreetId name } } }
}`;

export const RUNS = `query SyncRuns($networkId: Int, $first: Int, $after: String) {
  syncRuns(networkId: $networkId, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { ${RUN_SUMMARY} errors { mongoId } } }
  }
}`;

export const RUN = `query SyncRun($id: ID!) { syncRun(id: $id) { ${RUN_SUMMARY} errors { ${ERROR_FIELDS} } } }`;

export const RUN_DETAIL = `query SyncRunDetail($id: ID!, $itemsAfter: String) {
  syncRun(id: $id) {
    ${RUN_SUMMARY}
    applyPlan { id }
    appliedBy { id status }
    errors { ${ERROR_FIELDS} }
    items(first: 200, after: $itemsAfter) {
      totalCount pageInfo { hasNextPage endCursor }
      edges { node { ${ITEM_FIELDS} } }
    }
    eventCount
    events(first: 500) { ${EVENT_FIELDS} }
  }
}`;

export const RUN_ITEMS = `query SyncRunItems($id: ID!, $after: String) {
  syncRun(id: $id) {
    items(first: 200, after: $after) {
      totalCount pageInfo { hasNextPage endCursor }
      edges { node { ${ITEM_FIELDS} } }
    }
  }
}`;

export const START_SYNC = `mutation StartSync($input: StartSyncInput!) {
  startSync(input: $input) {
    __typename
    ... on StartSyncPayload { run { ${RUN_SUMMARY} } }
    ... on Error { message }
    ... on ValidationError { fieldErrors { message } }
    ... on SyncAlreadyRunningError { run { ${RUN_SUMMARY} } }
  }
}`;

export const CANCEL_SYNC = `mutation CancelSync($runId: ID!) {
  cancelSync(input: { runId: $runId }) {
    __typename
    ... on CancelSyncPayload { run { id status cancelRequested } }
    ... on Error { message }
  }
}`;

export const SYNC_PROGRESS = `subscription SyncProgress($runId: ID!, $afterSeq: Int) {
  syncProgress(runId: $runId, afterSeq: $afterSeq) { ${EVENT_FIELDS} }
}`;

const SYNC_FIELDS = 'mongoId broadstreetId createdLocally syncedAt removedAt syncStatus changedFields syncErrors { code message }';
const CONFLICT_FIELDS = 'conflict { detectedAt remoteDeleted localDeleted fields { field base local remote } }';
const PAGE = 'totalCount pageInfo { hasNextPage endCursor }';

/** Per entity type: the list query's field and what a row shows. */
export const ENTITY_NODES = {
  advertisers: `${SYNC_FIELDS} ${CONFLICT_FIELDS} name webHomeUrl notes admins { name email }`,
  zones: `${SYNC_FIELDS} ${CONFLICT_FIELDS} name alias selfServe`,
  campaigns: `${SYNC_FIELDS} ${CONFLICT_FIELDS} name advertiser { name } startDate endDate weight
    displayType pacingType maxImpressionCount impressionMaxType paused archived notes`,
  advertisements: `${SYNC_FIELDS} name type advertiser { name }`,
  placements: `${SYNC_FIELDS} ${CONFLICT_FIELDS} campaign { name } advertisement { name } zone { name } restrictions`,
};

/** @typedef {keyof typeof ENTITY_NODES} EntityListType */

/** @param {EntityListType} type */
export function entityListQuery(type) {
  // Advertisements cannot be local: that list has no syncState filter.
  const state = type === 'advertisements' ? '' : ', syncState: $syncState';
  const stateVar = type === 'advertisements' ? '' : ', $syncState: SyncState';
  // One operation name per type: generated client types (GraphQL Code Generator) are named after it.
  const name = `${type.charAt(0).toUpperCase()}${type.slice(1)}List`;
  return `query ${name}($networkId: Int!, $after: String${stateVar}) {
    list: ${type}(networkId: $networkId, first: 50, after: $after${state}) {
      ${PAGE} edges { node { ${ENTITY_NODES[type]} } }
    }
  }`;
}

export const LOCAL_ENTITIES = `query LocalEntities($networkId: Int!) {
  localEntities(networkId: $networkId) {
    total
    advertisers(first: 100) { ${PAGE} edges { node { ${ENTITY_NODES.advertisers} } } }
    zones(first: 100) { ${PAGE} edges { node { ${ENTITY_NODES.zones} } } }
    campaigns(first: 100) { ${PAGE} edges { node { ${ENTITY_NODES.campaigns} } } }
    placements(first: 100) { ${PAGE} edges { node { ${ENTITY_NODES.placements} } } }
  }
}`;

const SCHEDULE_FIELDS = 'id direction entityTypes every cron timeZone enabled nextRunAt lastRun { id status }';

export const SUMMARY_FIELDS = `lastImport { id status finishedAt } lastExport { id status finishedAt } activeRun { id status percentage }
  schedules { ${SCHEDULE_FIELDS} } localCount changedCount conflictCount erroredCount removedCount`;

export const SYNC_SUMMARY = `query SyncSummary($ref: EntityRef!) { network(ref: $ref) { syncSummary { ${SUMMARY_FIELDS} } } }`;

export const SYNC_SUMMARY_CHANGED = `subscription SyncSummaryChanged($networkId: Int!) { syncSummaryChanged(networkId: $networkId) { ${SUMMARY_FIELDS} } }`;

export const CREATE_SCHEDULE = `mutation CreateSyncSchedule($input: CreateSyncScheduleInput!) {
  createSyncSchedule(input: $input) {
    __typename
    ... on CreateSyncSchedulePayload { schedule { id } }
    ... on Error { message }
    ... on ValidationError { fieldErrors { path message } }
  }
}`;

export const UPDATE_SCHEDULE = `mutation UpdateSyncSchedule($input: UpdateSyncScheduleInput!) {
  updateSyncSchedule(input: $input) { __typename ... on Error { message } }
}`;

export const DELETE_SCHEDULE = `mutation DeleteSyncSchedule($input: DeleteSyncScheduleInput!) {
  deleteSyncSchedule(input: $input) { __typename ... on Error { message } }
}`;

const WRITE_RESULT = `__typename ... on Error { message } ... on ValidationError { fieldErrors { path message } }`;

export const UPDATE_ADVERTISER = `mutation UpdateAdvertiser($input: UpdateAdvertiserInput!) { updateAdvertiser(input: $input) { ${WRITE_RESULT} } }`;
export const UPDATE_ZONE = `mutation UpdateZone($input: UpdateZoneInput!) { updateZone(input: $input) { ${WRITE_RESULT} } }`;
export const UPDATE_CAMPAIGN = `mutation UpdateCampaign($input: UpdateCampaignInput!) { updateCampaign(input: $input) { ${WRITE_RESULT} } }`;
export const UPDATE_PLACEMENT = `mutation UpdatePlacement($input: UpdatePlacementInput!) { updatePlacement(input: $input) { ${WRITE_RESULT} } }`;
export const DELETE_ADVERTISER = `mutation DeleteAdvertiser($input: DeleteAdvertiserInput!) { deleteAdvertiser(input: $input) { ${WRITE_RESULT} } }`;
export const DELETE_ZONE = `mutation DeleteZone($input: DeleteZoneInput!) { deleteZone(input: $input) { ${WRITE_RESULT} } }`;
export const DELETE_CAMPAIGN = `mutation DeleteCampaign($input: DeleteCampaignInput!) { deleteCampaign(input: $input) { ${WRITE_RESULT} } }`;
export const DELETE_PLACEMENT = `mutation DeletePlacement($input: DeletePlacementInput!) { deletePlacement(input: $input) { ${WRITE_RESULT} } }`;
export const RESOLVE_CONFLICT = `mutation ResolveConflict($input: ResolveConflictInput!) { resolveConflict(input: $input) { ${WRITE_RESULT} } }`;
