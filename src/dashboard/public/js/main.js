// @ts-check
// The dashboard's wiring: token form, network picker, sync buttons, and the
// sections that reload when the network changes or a run ends.
import { AuthError, graphql, token } from './api.js';
import { byId, h } from './dom.js';
import { showEntities, showLocalEntities } from './entities.js';
import { openRunDetail, showHistory } from './history.js';
import { NETWORKS, RUNS, START_SYNC } from './queries.js';
import { isTerminal, runNumber } from './run-model.js';
import { showRun } from './run-view.js';
import { showStatus } from './status.js';

const el = {
  notice: byId('notice'),
  networkSelect: /** @type {HTMLSelectElement} */ (byId('network-select')),
  importForm: /** @type {HTMLFormElement} */ (byId('import-network-form')),
  importId: /** @type {HTMLInputElement} */ (byId('import-network-id')),
  syncCard: byId('sync-card'),
  runPanel: byId('run-panel'),
  localList: byId('local-list'),
  localTotal: byId('local-total'),
  entityType: /** @type {HTMLSelectElement} */ (byId('entity-type')),
  entityState: /** @type {HTMLSelectElement} */ (byId('entity-state')),
  entityList: byId('entity-list'),
  history: byId('history'),
  summary: byId('sync-summary'),
  detail: /** @type {HTMLDialogElement} */ (byId('run-detail')),
  detailBody: byId('run-detail-body'),
  tokenPanel: /** @type {HTMLDetailsElement} */ (byId('token-panel')),
  tokenForm: /** @type {HTMLFormElement} */ (byId('token-form')),
  tokenInput: /** @type {HTMLInputElement} */ (byId('token-input')),
  tokenRemember: /** @type {HTMLInputElement} */ (byId('token-remember')),
  tokenState: byId('token-state'),
  tokenPrompt: byId('token-prompt'),
};

/** @type {number | null} */
let networkId = null;
/** @type {(() => void) | undefined} */
let stopFollowing;
/** @type {(() => void) | undefined} */
let stopStatus;
/** The run the panel shows, if any. @type {string | null} */
let shownRunId = null;

/** Shows a failure: a token prompt for AuthError, a notice otherwise. @param {unknown} error */
function report(error) {
  if (error instanceof AuthError) {
    el.tokenPrompt.textContent = error.message;
    el.tokenPrompt.hidden = false;
    el.tokenPanel.open = true;
    el.tokenInput.focus();
    return;
  }
  notify(error instanceof Error ? error.message : String(error));
}

/** @param {string} message */
function notify(message) {
  el.notice.textContent = message;
  el.notice.hidden = !message;
}

function renderTokenState() {
  const current = token.get();
  el.tokenState.textContent = current ? (token.remembered() ? 'set (remembered)' : 'set for this tab') : 'none';
  el.tokenInput.value = '';
  el.tokenRemember.checked = token.remembered();
}

async function loadNetworks() {
  const { networksConnection } = await graphql(NETWORKS);
  const networks = networksConnection.edges.map((/** @type {any} */ e) => e.node);
  const wanted = networkId ?? (Number(new URLSearchParams(location.hash.slice(1)).get('network')) || null);
  el.networkSelect.replaceChildren(
    ...(networks.length === 0 ? [h('option', { value: '', text: 'No networks yet: import one below' })] : []),
    ...networks.map((/** @type {any} */ n) => h('option', { value: n.broadstreetId, text: `${n.name} (#${n.broadstreetId})` })),
  );
  const known = networks.some((/** @type {any} */ n) => n.broadstreetId === wanted);
  if (wanted && !known) el.networkSelect.append(h('option', { value: wanted, text: `Network #${wanted} (not imported yet)` }));
  const chosen = wanted || networks[0]?.broadstreetId || null;
  if (chosen) el.networkSelect.value = String(chosen);
  await selectNetwork(chosen, known || !wanted);
}

/** @param {number | null} id @param {boolean} imported whether the network is in the local database */
async function selectNetwork(id, imported = true) {
  networkId = id;
  if (id) history.replaceState(null, '', `#network=${id}`);
  for (const button of el.syncCard.querySelectorAll('button[data-action]')) {
    // Exports need the network imported; an import of an unknown one goes through the form below.
    /** @type {HTMLButtonElement} */ (button).disabled = !id || (!imported && button.getAttribute('data-action') !== 'IMPORT');
  }
  stopStatus?.();
  stopStatus = undefined;
  if (id && imported) stopStatus = showStatus(el.summary, id, { onError: report });
  if (!id) return;
  await Promise.all([refreshSections(imported), attachActiveRun()]);
}

async function refreshSections(imported = true) {
  if (!networkId) return;
  const id = networkId;
  const jobs = [showHistory(el.history, id, { onOpen: (run) => void openDetail(run.id), onError: report })];
  if (imported) {
    jobs.push(showLocalEntities(el.localList, el.localTotal, id), refreshEntities());
  }
  await Promise.all(jobs.map((job) => job.catch(report)));
}

async function refreshEntities() {
  if (!networkId) return;
  const type = /** @type {import('./queries.js').EntityListType} */ (el.entityType.value);
  const state = /** @type {'ALL' | 'LOCAL' | 'SYNCED' | 'CHANGED' | 'CONFLICT'} */ (el.entityState.value);
  el.entityState.disabled = type === 'advertisements';
  await showEntities(el.entityList, networkId, type, state, report, () => void refreshSections().catch(report));
}

/** Shows the network's active run, if one is going: a reload resumes watching it. */
async function attachActiveRun() {
  if (!networkId) return;
  const { syncRuns } = await graphql(RUNS, { networkId, first: 1 });
  const latest = syncRuns.edges[0]?.node;
  // The panel may be following it already (this runs again after a token change or a run's end).
  if (latest && !isTerminal(latest.status) && latest.id !== shownRunId) follow(latest);
}

/** @param {any} run */
function follow(run) {
  stopFollowing?.();
  shownRunId = run.id;
  stopFollowing = showRun(el.runPanel, run, {
    onFinished: () => {
      void loadNetworks().catch(report);
    },
    onRetry: (finished) => void start({ networkId: finished.networkId, direction: finished.direction, retryOf: finished.id }),
    onOpen: (r) => void openDetail(r.id),
    onError: report,
  });
}

/** @param {{ networkId: number, direction: string, dryRun?: boolean, retryOf?: string, applyPlan?: string }} input */
async function start(input) {
  notify('');
  try {
    const { startSync } = await graphql(START_SYNC, { input });
    switch (startSync.__typename) {
      case 'StartSyncPayload':
        follow(startSync.run);
        break;
      case 'SyncAlreadyRunningError':
        notify(`${startSync.message}. Showing run #${runNumber(startSync.run.id)}.`);
        if (startSync.run.id !== shownRunId) follow(startSync.run);
        break;
      default:
        notify([startSync.message, ...(startSync.fieldErrors ?? []).map((/** @type {any} */ f) => f.message)].filter(unique).join(': '));
        return;
    }
    await showHistory(el.history, input.networkId, { onOpen: (run) => void openDetail(run.id), onError: report });
  } catch (error) {
    report(error);
  }
}

/** @param {string} value @param {number} index @param {string[]} all */
const unique = (value, index, all) => all.indexOf(value) === index;

/** @param {string} runId */
async function openDetail(runId) {
  try {
    await openRunDetail(el.detail, el.detailBody, runId, {
      onRetry: (run) => void start({ networkId: run.networkId, direction: run.direction, retryOf: run.id }),
      onApply: (run) => void start({ networkId: run.networkId, direction: run.direction, applyPlan: run.id }),
      onError: report,
    });
  } catch (error) {
    report(error);
  }
}

el.syncCard.addEventListener('click', (event) => {
  const button = /** @type {HTMLElement} */ (event.target).closest('button[data-action]');
  if (!button || !networkId) return;
  const action = button.getAttribute('data-action');
  void start({ networkId, direction: action === 'IMPORT' ? 'IMPORT' : 'EXPORT', dryRun: action === 'DRY_RUN' });
});

el.networkSelect.addEventListener('change', () => {
  stopFollowing?.();
  shownRunId = null;
  el.runPanel.hidden = true;
  void selectNetwork(Number(el.networkSelect.value) || null).catch(report);
});

el.importForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const id = Number(el.importId.value);
  if (!Number.isInteger(id) || id <= 0) return;
  networkId = id;
  if (![...el.networkSelect.options].some((o) => o.value === String(id))) {
    el.networkSelect.append(h('option', { value: id, text: `Network #${id} (importing…)` }));
  }
  el.networkSelect.value = String(id);
  history.replaceState(null, '', `#network=${id}`);
  void start({ networkId: id, direction: 'IMPORT' });
});

el.entityType.addEventListener('change', () => void refreshEntities().catch(report));
el.entityState.addEventListener('change', () => void refreshEntities().catch(report));
byId('refresh').addEventListener('click', () => void loadNetworks().catch(report));

el.tokenForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const value = el.tokenInput.value.trim();
  if (!value) return;
  token.set(value, el.tokenRemember.checked);
  el.tokenPrompt.hidden = true;
  el.tokenPanel.open = false;
  void loadNetworks().catch(report);
});
byId('token-forget').addEventListener('click', () => token.clear());
token.onChange(renderTokenState);

renderTokenState();
void loadNetworks().catch(report);
