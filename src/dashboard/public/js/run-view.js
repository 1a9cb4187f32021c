// @ts-check
// The live panel of one run: overall and per-phase progress bars, the latest
// message, errors grouped by code as they happen, warnings, and the cancel
// and "retry only the failed" buttons.
import { graphql } from './api.js';
import { h, titleCase } from './dom.js';
import { errorGroups } from './errors.js';
import { followRun } from './follow.js';
import { progressBar } from './progress-bar.js';
import { CANCEL_SYNC, RUN } from './queries.js';
import { applyEvent, applyFinished, canRetry, countKinds, isTerminal, newRunState, runKind, runNumber, totals } from './run-model.js';

/**
 * @typedef {object} RunViewOptions
 * @property {(run: any) => void} onFinished the run ended (its final state, with counts and errors)
 * @property {(run: any) => void} onRetry "retry only the failed" was pressed
 * @property {(run: any) => void} onOpen "open report" was pressed
 * @property {(error: Error) => void} onError
 */

/**
 * Shows `run` in `container` and follows it live until it ends.
 * @param {HTMLElement} container @param {any} run @param {RunViewOptions} options
 * @returns {() => void} stops following
 */
export function showRun(container, run, options) {
  const state = newRunState(run);
  const view = buildView(run, state.plan);
  container.replaceChildren(view.root);
  container.hidden = false;
  render(view, state);

  /** @param {any} event */
  const onEvent = (event) => {
    const phaseBefore = state.phase;
    if (!applyEvent(state, event)) return;
    render(view, state);
    view.errors.add(event.errors);
    for (const warning of event.warnings) view.warnings.append(h('li', { text: warning }));
    view.warningsSection.hidden = state.warnings.length === 0;
    // Screen readers hear phase changes and the end, not every tick.
    if (state.phase !== phaseBefore || isTerminal(state.status)) view.announce.textContent = announcement(state);
  };

  const finish = async () => {
    try {
      const { syncRun } = await graphql(RUN, { id: run.id });
      if (!syncRun || stopped) return;
      if (!isTerminal(syncRun.status)) {
        // Completed without the run's end (a new token closed the socket, or
        // the server went away gracefully): keep following from the last event.
        stopFollowing = follow(state.lastSeq);
        return;
      }
      view.connection.textContent = 'ended';
      view.connection.dataset.state = 'ended';
      applyFinished(state, syncRun);
      render(view, state);
      view.announce.textContent = announcement(state);
      view.cancel.hidden = true;
      view.retry.hidden = !canRetry(syncRun, syncRun.errors);
      view.retry.onclick = () => options.onRetry(syncRun);
      view.summary.textContent = summary(syncRun);
      options.onFinished(syncRun);
    } catch (error) {
      options.onError(/** @type {Error} */ (error));
    }
  };

  view.cancel.onclick = async () => {
    view.cancel.disabled = true;
    view.cancel.textContent = 'Cancelling…';
    try {
      const { cancelSync } = await graphql(CANCEL_SYNC, { runId: run.id });
      if (cancelSync.__typename !== 'CancelSyncPayload') throw new Error(cancelSync.message);
    } catch (error) {
      view.cancel.disabled = false;
      view.cancel.textContent = 'Cancel';
      options.onError(/** @type {Error} */ (error));
    }
  };
  view.open.onclick = () => options.onOpen(run);

  /** @param {number} afterSeq */
  const follow = (afterSeq) =>
    followRun(
      run.id,
      {
        onEvent,
        onEnd: () => void finish(),
        onError: (error) => {
          view.connection.textContent = 'disconnected';
          options.onError(error);
        },
        onConnection: (connection) => {
          view.connection.textContent = connection === 'live' ? 'live' : 'reconnecting…';
          view.connection.dataset.state = connection;
        },
      },
      afterSeq,
    );
  let stopped = false;
  let stopFollowing = follow(0);
  return () => {
    stopped = true;
    stopFollowing();
  };
}

/** @param {any} run @param {string[]} plan */
function buildView(run, plan) {
  const overall = progressBar('Overall progress', 'overall-progress');
  const phases = plan.map((phase) => {
    const bar = progressBar(`${titleCase(phase)} progress`, `phase-progress-${phase}`);
    const numbers = h('span', { class: 'numbers' });
    const row = h(
      'li',
      { class: 'phase', 'data-testid': `phase-${phase}`, 'data-state': 'pending' },
      h('span', { class: 'name', text: titleCase(phase) }),
      bar.element,
      numbers,
    );
    return { phase, bar, numbers, row };
  });
  const view = {
    title: h('h3', { 'data-testid': 'run-title', text: `${runKind(run)} #${runNumber(run.id)} of network ${run.networkId}` }),
    status: h('span', { class: 'badge status', 'data-testid': 'run-status' }),
    connection: h('span', { class: 'connection', 'data-testid': 'run-connection', text: 'connecting…' }),
    overall,
    percentage: h('span', { class: 'percentage', 'data-testid': 'overall-percentage' }),
    phases,
    announce: h('p', { class: 'announce', 'aria-live': 'polite', 'data-testid': 'run-announce' }),
    message: h('p', { class: 'message', 'data-testid': 'run-message' }),
    cancel: /** @type {HTMLButtonElement} */ (h('button', { type: 'button', 'data-testid': 'cancel-run', text: 'Cancel' })),
    retry: /** @type {HTMLButtonElement} */ (
      h('button', { type: 'button', 'data-testid': 'retry-run', text: 'Retry only the failed', hidden: true })
    ),
    open: /** @type {HTMLButtonElement} */ (h('button', { type: 'button', 'data-testid': 'open-run-report', text: 'Open report' })),
    summary: h('p', { class: 'summary', 'data-testid': 'run-summary' }),
    warnings: h('ul', { class: 'warnings', 'data-testid': 'warnings' }),
    errors: errorGroups('run-errors'),
    /** @type {HTMLElement} */ root: h('div'),
    /** @type {HTMLElement} */ warningsSection: h('div'),
  };
  view.warningsSection = h('section', { hidden: true }, h('h4', { text: 'Warnings' }), view.warnings);
  view.root = h(
    'article',
    { class: 'run', 'aria-labelledby': 'run-title' },
    h('div', { class: 'run-head' }, view.title, view.status, view.connection),
    h('div', { class: 'overall' }, overall.element, view.percentage),
    view.announce,
    view.message,
    h(
      'ol',
      { class: 'phases', 'aria-label': 'Phases', 'data-testid': 'phases' },
      phases.map((p) => p.row),
    ),
    h('div', { class: 'buttons' }, view.cancel, view.retry, view.open),
    view.summary,
    view.warningsSection,
    view.errors.element,
  );
  view.title.id = 'run-title';
  return view;
}

/** @param {ReturnType<typeof buildView>} view @param {import('./run-model.js').RunState} state */
function render(view, state) {
  view.status.textContent = state.status;
  view.status.dataset.status = state.status;
  view.overall.set(state.percentage);
  view.percentage.textContent = `${state.percentage}%`;
  view.message.textContent = state.message;
  for (const { phase, bar, numbers, row } of view.phases) {
    const p = state.phases[phase];
    if (!p) continue;
    row.dataset.state = p.state;
    // A finished phase is full even when it had nothing to do (total 0).
    if (p.state === 'done') bar.set(1, 1);
    else bar.set(p.current, p.total);
    numbers.textContent = p.state === 'pending' ? '' : p.total > 0 ? `${p.current} / ${p.total}` : p.state === 'done' ? 'done' : '…';
  }
  view.cancel.hidden = isTerminal(state.status);
}

/** @param {import('./run-model.js').RunState} state */
function announcement(state) {
  const what = `${runKind(state.run)} #${runNumber(state.run.id)}`;
  if (isTerminal(state.status)) return `${what} ${state.status.toLowerCase()} at ${state.percentage}%.`;
  return state.phase ? `${what}: ${titleCase(state.phase)}.` : `${what} is ${state.status.toLowerCase()}.`;
}

/** @param {any} run */
function summary(run) {
  const t = totals(run.counts);
  const parts = countKinds(run).map(([kind, label]) => `${t[kind]} ${label.toLowerCase()}`);
  return `${run.status}: ${parts.join(', ')}${run.failureReason ? `. ${run.failureReason}` : ''}`;
}
