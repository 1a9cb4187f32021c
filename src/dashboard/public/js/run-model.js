// @ts-check
// What the run panel shows, derived from a run and its progress events:
// the phase plan, per-phase progress, and errors grouped by code. No DOM here.

/** The phases of each direction, in order, and the entity type each works on (as the server plans them). */
const PHASES = {
  EXPORT: [
    ['VALIDATION'],
    ['ADVERTISERS', 'ADVERTISER'],
    ['ZONES', 'ZONE'],
    ['CAMPAIGNS', 'CAMPAIGN'],
    ['PLACEMENTS', 'PLACEMENT'],
    ['CLEANUP'],
  ],
  IMPORT: [
    ['NETWORKS', 'NETWORK'],
    ['ADVERTISERS', 'ADVERTISER'],
    ['ZONES', 'ZONE'],
    ['ADVERTISEMENTS', 'ADVERTISEMENT'],
    ['CAMPAIGNS', 'CAMPAIGN'],
    ['PLACEMENTS', 'PLACEMENT'],
    ['CLEANUP'],
  ],
};

/** Error codes in the order the panel lists them, with what each means. */
export const ERROR_CODES = {
  AUTH: 'Broadstreet refused the token (401/403): the run stops.',
  VALIDATION: 'Refused input: fix the entity, then retry.',
  DEPENDENCY: 'A parent is missing or failed: the entity was skipped.',
  CONFLICT: 'A clash with what exists in Broadstreet.',
  RATE_LIMIT: 'Broadstreet said slow down (429): retried with backoff.',
  NETWORK: 'Timeouts, resets or 5xx answers: retried with backoff.',
};

export const TERMINAL = ['SUCCEEDED', 'PARTIAL', 'FAILED', 'CANCELLED'];

/** @param {string} status */
export const isTerminal = (status) => TERMINAL.includes(status);

/**
 * The phases a run goes through: a dry run validates only; otherwise the
 * direction's phases, less those of entity types the run leaves out.
 * @param {{ direction: 'IMPORT' | 'EXPORT', dryRun: boolean, entityTypes: string[] }} run
 * @returns {string[]}
 */
export function phasePlan(run) {
  if (run.direction === 'EXPORT' && run.dryRun) return ['VALIDATION'];
  return PHASES[run.direction]
    .filter(([, type]) => !type || run.entityTypes.includes(type))
    .map(([phase]) => /** @type {string} */ (phase));
}

/**
 * @typedef {{ current: number, total: number, state: 'pending' | 'active' | 'done' }} PhaseProgress
 * @typedef {{ run: any, plan: string[], phases: Record<string, PhaseProgress>, status: string, phase: string | null,
 *   percentage: number, message: string, lastSeq: number, errors: any[], warnings: string[] }} RunState
 */

/** @param {any} run @returns {RunState} */
export function newRunState(run) {
  const plan = phasePlan(run);
  return {
    run,
    plan,
    phases: Object.fromEntries(plan.map((p) => [p, { current: 0, total: 0, state: 'pending' }])),
    status: run.status,
    phase: run.phase,
    percentage: run.percentage,
    message: '',
    lastSeq: 0,
    errors: [],
    warnings: [],
  };
}

/**
 * Applies one progress event; returns false for one already applied (replays
 * after a reconnect may repeat events).
 * @param {RunState} state @param {any} event
 */
export function applyEvent(state, event) {
  if (event.seq <= state.lastSeq) return false;
  state.lastSeq = event.seq;
  state.status = event.status;
  state.percentage = Math.max(state.percentage, event.percentage);
  state.message = event.message;
  state.errors.push(...event.errors);
  state.warnings.push(...event.warnings);
  const index = event.phase ? state.plan.indexOf(event.phase) : -1;
  if (index >= 0) {
    state.phase = event.phase;
    // Phases before the current one are over, whatever their last tick said.
    state.plan.slice(0, index).forEach((p) => complete(state.phases[p]));
    Object.assign(state.phases[event.phase], { current: event.current, total: event.total, state: 'active' });
  }
  if (event.status === 'SUCCEEDED' || event.status === 'PARTIAL') state.plan.forEach((p) => complete(state.phases[p]));
  return true;
}

/**
 * The run's final state as stored, for when the subscription ended without
 * its final event applied: a run that SUCCEEDED or ended PARTIAL went through
 * every phase, so every bar is full.
 * @param {RunState} state @param {{ status: string, percentage: number }} run
 */
export function applyFinished(state, run) {
  state.status = run.status;
  state.percentage = Math.max(state.percentage, run.percentage);
  if (run.status === 'SUCCEEDED' || run.status === 'PARTIAL') state.plan.forEach((p) => complete(state.phases[p]));
}

/** @param {PhaseProgress | undefined} phase */
function complete(phase) {
  if (!phase) return;
  phase.state = 'done';
  phase.current = phase.total;
}

/**
 * Errors grouped by code, in ERROR_CODES order (unknown codes last).
 * @param {any[]} errors @returns {[string, any[]][]}
 */
export function groupErrors(errors) {
  /** @type {Map<string, any[]>} */
  const groups = new Map(Object.keys(ERROR_CODES).map((code) => [code, []]));
  for (const error of errors) {
    if (!groups.has(error.code)) groups.set(error.code, []);
    groups.get(error.code)?.push(error);
  }
  return [...groups].filter(([, list]) => list.length > 0);
}

/** "SyncRun:12" in base64 (a Relay id) → "12"; anything else as is. @param {string} id */
export function runNumber(id) {
  try {
    const [type, raw] = atob(id).split(':');
    return type === 'SyncRun' && raw ? raw : id;
  } catch {
    return id;
  }
}

/** "Export", "Import", "Dry run"; with "retry of #n" when it is one. @param {any} run */
export function runKind(run) {
  const kind = run.dryRun ? 'Dry run' : run.direction === 'EXPORT' ? 'Export' : 'Import';
  return run.retryOf ? `${kind} (retry of #${runNumber(run.retryOf.id)})` : kind;
}

/** Whether "retry only the failed" has something to do: a finished real run with entity errors. @param {any} run @param {any[]} errors */
export function canRetry(run, errors) {
  return isTerminal(run.status) && !run.dryRun && errors.some((e) => e.mongoId);
}

/** Totals of a run's counts. @param {any[]} counts */
export function totals(counts) {
  const sum = {
    created: 0,
    updated: 0,
    deleted: 0,
    unchanged: 0,
    conflicts: 0,
    failed: 0,
    skipped: 0,
    plannedCreates: 0,
    plannedUpdates: 0,
    plannedDeletes: 0,
  };
  for (const c of counts) for (const k of /** @type {(keyof typeof sum)[]} */ (Object.keys(sum))) sum[k] += c[k] ?? 0;
  return sum;
}

/**
 * The count kinds a run's report shows, with their labels: a dry run's speak of
 * planned work (it created nothing), a real run's of work done.
 * @param {{ dryRun: boolean }} run
 * @returns {[kind: keyof ReturnType<typeof totals>, label: string][]}
 */
export function countKinds(run) {
  return run.dryRun
    ? [
        ['plannedCreates', 'To create'],
        ['plannedUpdates', 'To update'],
        ['plannedDeletes', 'To delete'],
        ['unchanged', 'Unchanged'],
        ['conflicts', 'Conflicts'],
        ['failed', 'Failed'],
        ['skipped', 'Skipped'],
      ]
    : [
        ['created', 'Created'],
        ['updated', 'Updated'],
        ['deleted', 'Deleted'],
        ['unchanged', 'Unchanged'],
        ['conflicts', 'Conflicts'],
        ['failed', 'Failed'],
        ['skipped', 'Skipped'],
      ];
}

/** What a plan's item asks for, in the plan's words. @type {Record<string, string>} */
export const PLAN_ACTIONS = {
  PLANNED_CREATE: 'Create',
  PLANNED_UPDATE: 'Update',
  PLANNED_DELETE: 'Delete',
  CONFLICT: 'Conflict',
  BLOCKED: 'Blocked',
  UNCHANGED: 'Unchanged',
};

/** Whether "apply this plan" can start: a finished dry run (export or import) that no run applied yet. @param {any} run */
export function canApply(run) {
  return run.dryRun && (run.status === 'SUCCEEDED' || run.status === 'PARTIAL') && !run.appliedBy;
}
