// @ts-check
// Sync history: past runs newest first, and one run's report — counts,
// errors, the per-entity items and the event log — in a dialog.
import { graphql } from './api.js';
import { formatDuration, formatTime, h, startLoad, titleCase } from './dom.js';
import { errorGroups } from './errors.js';
import { pagedTable } from './paged.js';
import { RUN_DETAIL, RUN_ITEMS, RUNS } from './queries.js';
import { canApply, canRetry, countKinds, PLAN_ACTIONS, runKind, runNumber, totals } from './run-model.js';

/**
 * @param {HTMLElement} container @param {number} networkId
 * @param {{ onOpen: (run: any) => void, onError: (error: Error) => void }} options
 */
export async function showHistory(container, networkId, options) {
  const latest = startLoad(container);
  const table = await pagedTable({
    testid: 'history-table',
    caption: 'Runs, newest first',
    columns: ['Run', 'Kind', 'Status', 'Started', 'Duration', 'Created', 'Updated', 'Failed', 'Skipped', ''],
    fetchPage: async (after) => (await graphql(RUNS, { networkId, first: 20, after })).syncRuns,
    row: (run) => {
      const t = totals(run.counts);
      return h(
        'tr',
        { 'data-testid': `history-run-${runNumber(run.id)}`, 'data-status': run.status },
        h('td', { text: `#${runNumber(run.id)}` }),
        h('td', { text: runKind(run) }),
        h('td', {}, h('span', { class: 'badge status', 'data-status': run.status, text: run.status })),
        h('td', { text: formatTime(run.startedAt ?? run.createdAt) }),
        h('td', { text: run.finishedAt ? formatDuration(run.startedAt ?? run.createdAt, run.finishedAt) : 'running' }),
        // A dry run created and updated nothing: its columns say what it planned.
        ...(run.dryRun ? [`${t.plannedCreates} planned`, `${t.plannedUpdates} planned`] : [t.created, t.updated]).map((n) =>
          h('td', { class: 'num', text: n }),
        ),
        ...[t.failed, t.skipped].map((n) => h('td', { class: 'num', text: n })),
        h('td', {}, h('button', { type: 'button', 'data-testid': 'open-run', text: 'Open', onclick: () => options.onOpen(run) })),
      );
    },
    empty: 'No runs yet.',
    onError: options.onError,
  });
  if (latest()) container.replaceChildren(table);
}

/**
 * Fills the run dialog with one run's report and opens it.
 * @param {HTMLDialogElement} dialog @param {HTMLElement} body @param {string} runId
 * @param {{ onRetry: (run: any) => void, onApply: (run: any) => void, onError: (error: Error) => void }} options
 */
export async function openRunDetail(dialog, body, runId, options) {
  const { syncRun: run } = await graphql(RUN_DETAIL, { id: runId });
  if (!run) throw new Error(`run ${runNumber(runId)} does not exist`);
  const errors = errorGroups('detail-errors');
  errors.add(run.errors);
  const retry = canRetry(run, run.errors)
    ? h('button', {
        type: 'button',
        'data-testid': 'detail-retry',
        text: 'Retry only the failed',
        onclick: () => (dialog.close(), options.onRetry(run)),
      })
    : null;
  const apply = canApply(run)
    ? h('button', {
        type: 'button',
        'data-testid': 'apply-plan',
        text: 'Apply this plan',
        title: 'Execute exactly this plan; what changed on either side since it was made is skipped as a conflict',
        onclick: () => (dialog.close(), options.onApply(run)),
      })
    : null;
  const applied = run.appliedBy
    ? h('p', {
        class: 'hint',
        'data-testid': 'plan-applied',
        text: `This plan was applied by run #${runNumber(run.appliedBy.id)} (${run.appliedBy.status}); a plan is applied once.`,
      })
    : null;
  let firstItems = true;
  const items = await pagedTable({
    testid: 'detail-items',
    caption: run.dryRun ? 'Plan: what would change, per entity' : 'Report: each local entity',
    columns: run.dryRun
      ? ['Action', 'Type', 'Name', 'mongoId', 'Changes', 'Broadstreet id', 'Why']
      : ['Type', 'Name', 'mongoId', 'Outcome', 'Broadstreet id', 'Message'],
    // The detail query brought the first page; later pages come one by one.
    fetchPage: async (after) => {
      if (firstItems) return ((firstItems = false), run.items);
      return (await graphql(RUN_ITEMS, { id: runId, after })).syncRun.items;
    },
    row: (item) =>
      run.dryRun
        ? planRow(item)
        : h(
            'tr',
            { 'data-testid': 'detail-item', 'data-outcome': item.outcome, 'data-mongo-id': item.mongoId },
            h('td', { text: titleCase(item.entityType) }),
            h('td', { text: item.resolvedName ? `${item.name} → ${item.resolvedName}` : (item.name ?? '') }),
            h('td', {}, h('code', { text: item.mongoId })),
            h('td', {}, h('span', { class: 'badge outcome', 'data-outcome': item.outcome, text: item.outcome })),
            h('td', { text: item.broadstreetId ?? '—' }),
            h('td', { text: item.message ?? '' }),
          ),
    empty: run.direction === 'IMPORT' ? 'Imports keep no per-entity report: see the counts and the event log.' : 'Nothing to export.',
    onError: options.onError,
  });
  const sections = [
    h('h2', {
      id: 'run-detail-title',
      'data-testid': 'detail-title',
      text: `${runKind(run)} #${runNumber(run.id)} of network ${run.networkId}`,
    }),
    h(
      'p',
      {},
      h('span', { class: 'badge status', 'data-status': run.status, 'data-testid': 'detail-status', text: run.status }),
      ` ${run.percentage}% · started ${formatTime(run.startedAt ?? run.createdAt)} · `,
      run.finishedAt ? `took ${formatDuration(run.startedAt ?? run.createdAt, run.finishedAt)}` : 'still running',
    ),
    run.failureReason ? h('p', { class: 'failure', text: run.failureReason }) : null,
    retry || apply ? h('div', { class: 'buttons' }, retry, apply) : null,
    applied,
    run.applyPlan ? h('p', { class: 'hint', text: `Applies the plan of dry run #${runNumber(run.applyPlan.id)}.` }) : null,
    countsTable(run),
    h('h3', { text: `Errors (${run.errors.length})` }),
    run.errors.length ? errors.element : h('p', { class: 'empty', text: 'No errors.' }),
    h('h3', { text: run.dryRun ? 'Plan' : 'Report' }),
    items,
    // The log is paged by the API: a long run shows its first page and says how much there is.
    h('h3', { text: `Event log (${run.events.length}${run.eventCount > run.events.length ? ` of ${run.eventCount}` : ''})` }),
    eventLog(run.events),
  ];
  body.replaceChildren(...sections.filter((section) => section !== null));
  if (!dialog.open) dialog.showModal();
}

/** One entity of a dry run's plan: the action, the entity, each field from → to, and why. @param {any} item */
function planRow(item) {
  return h(
    'tr',
    { 'data-testid': 'detail-item', 'data-outcome': item.outcome, 'data-mongo-id': item.mongoId },
    h('td', {}, h('span', { class: 'badge outcome', 'data-outcome': item.outcome, text: PLAN_ACTIONS[item.outcome] ?? item.outcome })),
    h('td', { text: titleCase(item.entityType) }),
    h('td', { text: item.resolvedName ? `${item.name} → ${item.resolvedName}` : (item.name ?? '') }),
    h('td', {}, h('code', { text: item.mongoId })),
    h(
      'td',
      { 'data-testid': 'plan-changes' },
      item.changes.map((/** @type {any} */ c) =>
        h('div', {
          'data-field': c.field,
          text: `${c.field}: ${JSON.stringify(c.from ?? null)} → ${JSON.stringify(c.to ?? null)}${c.driftChecked ? '' : ' (not drift-checked)'}`,
        }),
      ),
    ),
    h('td', { text: item.broadstreetId ?? '—' }),
    h('td', { text: item.message ?? '' }),
  );
}

/** @param {any} run */
function countsTable(run) {
  const { counts } = run;
  const kinds = countKinds(run);
  return h(
    'table',
    { 'data-testid': 'detail-counts' },
    h('caption', { text: 'Counts per entity type' }),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { scope: 'col', text: 'Type' }),
        kinds.map(([, label]) => h('th', { scope: 'col', class: 'num', text: label })),
      ),
    ),
    h(
      'tbody',
      {},
      counts.length === 0
        ? h('tr', {}, h('td', { colspan: kinds.length + 1, class: 'empty', text: 'Nothing counted.' }))
        : counts.map((/** @type {any} */ c) =>
            h(
              'tr',
              { 'data-testid': `count-${c.entityType}` },
              h('th', { scope: 'row', text: titleCase(c.entityType) }),
              kinds.map(([k]) => h('td', { class: 'num', text: c[k] ?? 0 })),
            ),
          ),
    ),
  );
}

/** @param {any[]} events */
function eventLog(events) {
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { 'data-testid': 'detail-events' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ['#', 'Time', 'Status', 'Phase', 'Progress', '%', 'Message', 'Errors'].map((c) => h('th', { scope: 'col', text: c })),
        ),
      ),
      h(
        'tbody',
        {},
        events.map((e) =>
          h(
            'tr',
            { 'data-testid': 'detail-event' },
            h('td', { class: 'num', text: e.seq }),
            h('td', { text: new Date(e.at).toLocaleTimeString() }),
            h('td', { text: e.status }),
            h('td', { text: e.phase ? titleCase(e.phase) : '' }),
            h('td', { class: 'num', text: e.total > 0 ? `${e.current} / ${e.total}` : '' }),
            h('td', { class: 'num', text: e.percentage }),
            h('td', { text: [e.message, ...e.warnings].join(' · ') }),
            h('td', { class: 'num', text: e.errors.length || '' }),
          ),
        ),
      ),
    ),
  );
}
