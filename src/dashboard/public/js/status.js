// @ts-check
// The status panel of one network: last import and export, the run in
// progress, entity counts and the schedules with their next tick. It follows
// syncSummaryChanged, so it changes as runs start and end without polling;
// schedules are made, paused, resumed and deleted here.
import { graphql, wsClient } from './api.js';
import { formatTime, h } from './dom.js';
import { CREATE_SCHEDULE, DELETE_SCHEDULE, SYNC_SUMMARY, SYNC_SUMMARY_CHANGED, UPDATE_SCHEDULE } from './queries.js';
import { runNumber } from './run-model.js';

/**
 * @type {WeakMap<HTMLElement, { networkId: number, form: HTMLElement, actions: { reload: () => Promise<void>, onError: (error: unknown) => void } }>}
 */
const forms = new WeakMap();

/**
 * @param {HTMLElement} container
 * @param {number} networkId
 * @param {{ onError: (error: unknown) => void }} handlers
 * @returns {() => void} stops the live updates
 */
export function showStatus(container, networkId, { onError }) {
  let stopped = false;
  /** @type {(() => void) | undefined} */
  let unsubscribe;
  const reload = async () => {
    const { network } = await graphql(SYNC_SUMMARY, { ref: { broadstreetId: networkId } });
    if (network) render(network.syncSummary);
  };
  // The form is made once per container and network, so a push, a refresh or a
  // run's end while someone types (or reads a refusal) keeps what it shows; it
  // acts through the panel showing it now.
  let kept = forms.get(container);
  if (kept?.networkId !== networkId) {
    const actions = { reload, onError };
    const form = createForm(networkId, { reload: () => actions.reload(), onError: (error) => actions.onError(error) });
    kept = { networkId, form, actions };
    forms.set(container, kept);
  }
  Object.assign(kept.actions, { reload, onError });
  const { form } = kept;
  /** @param {any} summary */
  const render = (summary) => {
    if (!stopped) container.replaceChildren(...view(summary, { reload, onError }), form);
  };
  const subscribe = () => {
    unsubscribe = wsClient().subscribe(
      { query: SYNC_SUMMARY_CHANGED, variables: { networkId } },
      {
        next: (result) => {
          const summary = /** @type {any} */ (result.data)?.syncSummaryChanged;
          if (summary) {
            container.dataset.live = 'true';
            render(summary);
          }
        },
        error: () => {
          // A dropped socket: show what is stored, and follow again shortly.
          container.dataset.live = 'false';
          if (!stopped) setTimeout(subscribe, 2_000);
        },
        complete: () => {},
      },
    );
  };
  void reload().catch(onError);
  subscribe();
  return () => {
    stopped = true;
    unsubscribe?.();
  };
}

/**
 * @param {any} s
 * @param {{ reload: () => Promise<void>, onError: (error: unknown) => void }} actions
 */
function view(s, actions) {
  const run = (/** @type {any} */ r) =>
    r ? `#${runNumber(r.id)} ${r.status}${r.finishedAt ? `, ${formatTime(r.finishedAt)}` : ''}` : 'none yet';
  const active = s.activeRun ? `#${runNumber(s.activeRun.id)} ${s.activeRun.status} (${s.activeRun.percentage}%)` : 'none';
  const counts = /** @type {const} */ ([
    ['Local only', 'localCount'],
    ['Changed locally', 'changedCount'],
    ['Conflicts', 'conflictCount'],
    ['With errors', 'erroredCount'],
    ['Removed in Broadstreet', 'removedCount'],
  ]);
  return [
    h(
      'dl',
      { class: 'summary' },
      h('dt', { text: 'Last import' }),
      h('dd', { 'data-testid': 'summary-last-import', text: run(s.lastImport) }),
      h('dt', { text: 'Last export' }),
      h('dd', { 'data-testid': 'summary-last-export', text: run(s.lastExport) }),
      h('dt', { text: 'Running now' }),
      h('dd', { 'data-testid': 'summary-active-run', text: active }),
      ...counts.flatMap(([label, key]) => [h('dt', { text: label }), h('dd', { 'data-testid': `summary-${key}`, text: s[key] })]),
    ),
    h('h3', { text: 'Schedules' }),
    s.schedules.length === 0
      ? h('p', { class: 'hint', 'data-testid': 'no-schedules', text: 'No schedules: syncs run only when started.' })
      : h(
          'table',
          { 'data-testid': 'schedules' },
          h('thead', {}, h('tr', {}, ...['Direction', 'Cadence', 'State', 'Next tick', 'Last run', ''].map((t) => h('th', { text: t })))),
          h('tbody', {}, ...s.schedules.map((/** @type {any} */ sc) => scheduleRow(sc, actions))),
        ),
  ];
}

/** @param {any} sc @param {{ reload: () => Promise<void>, onError: (error: unknown) => void }} actions */
function scheduleRow(sc, { reload, onError }) {
  const act = (/** @type {string} */ query, /** @type {Record<string, unknown>} */ input) => async () => {
    try {
      const data = await graphql(query, { input });
      const result = data.updateSyncSchedule ?? data.deleteSyncSchedule;
      if (result.message) throw new Error(result.message);
      await reload();
    } catch (error) {
      onError(error);
    }
  };
  return h(
    'tr',
    { 'data-testid': 'schedule-row' },
    h('td', { text: sc.direction }),
    h('td', { 'data-testid': 'schedule-cadence', text: sc.every ? `every ${sc.every}` : `cron ${sc.cron} (${sc.timeZone})` }),
    h('td', { 'data-testid': 'schedule-state', text: sc.enabled ? 'active' : 'paused' }),
    h('td', { 'data-testid': 'schedule-next', text: sc.enabled ? formatTime(sc.nextRunAt) : '—' }),
    h('td', { text: sc.lastRun ? `#${runNumber(sc.lastRun.id)} ${sc.lastRun.status}` : '—' }),
    h(
      'td',
      {},
      h('button', {
        type: 'button',
        text: sc.enabled ? 'Pause' : 'Resume',
        onclick: act(UPDATE_SCHEDULE, { id: sc.id, enabled: !sc.enabled }),
      }),
      h('button', { type: 'button', text: 'Delete', onclick: act(DELETE_SCHEDULE, { id: sc.id }) }),
    ),
  );
}

/** @param {number} networkId @param {{ reload: () => Promise<void>, onError: (error: unknown) => void }} actions */
function createForm(networkId, { reload, onError }) {
  const direction = /** @type {HTMLSelectElement} */ (
    h(
      'select',
      { id: 'schedule-direction' },
      h('option', { value: 'IMPORT', text: 'Import' }),
      h('option', { value: 'EXPORT', text: 'Export' }),
    )
  );
  const cadence = /** @type {HTMLInputElement} */ (
    h('input', { id: 'schedule-cadence', placeholder: 'PT15M or 0 */4 * * *', required: true })
  );
  const zone = /** @type {HTMLInputElement} */ (h('input', { id: 'schedule-zone', placeholder: 'UTC (cron only)' }));
  const problem = h('p', { class: 'prompt', role: 'alert', 'data-testid': 'schedule-problem', hidden: true });
  const form = h(
    'form',
    { class: 'row schedule-form' },
    h('label', { for: 'schedule-direction', text: 'Direction' }),
    direction,
    h('label', { for: 'schedule-cadence', text: 'Every (ISO 8601) or cron' }),
    cadence,
    h('label', { for: 'schedule-zone', text: 'Time zone' }),
    zone,
    h('button', { type: 'submit', text: 'Add schedule' }),
    problem,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const value = cadence.value.trim();
    const isInterval = /^P/i.test(value);
    const input = {
      networkId,
      direction: direction.value,
      ...(isInterval ? { every: value.toUpperCase() } : { cron: value, ...(zone.value.trim() ? { timeZone: zone.value.trim() } : {}) }),
    };
    void (async () => {
      try {
        const { createSyncSchedule: result } = await graphql(CREATE_SCHEDULE, { input });
        if (result.__typename !== 'CreateSyncSchedulePayload') {
          problem.textContent = [result.message, ...(result.fieldErrors ?? []).map((/** @type {any} */ f) => f.message)]
            .filter((m, i, all) => all.indexOf(m) === i)
            .join(': ');
          problem.hidden = false;
          return;
        }
        problem.hidden = true;
        cadence.value = '';
        await reload();
      } catch (error) {
        onError(error);
      }
    })();
  });
  return form;
}
