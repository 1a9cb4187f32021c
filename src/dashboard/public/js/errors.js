// @ts-check
// Sync errors grouped by code, each naming its entity. Appends as errors
// arrive, so a live run's list grows without being rebuilt.
import { h, titleCase } from './dom.js';
import { ERROR_CODES } from './run-model.js';

/** Past this many entries a group shows a count instead: the run's report has them all. */
const SHOWN_PER_GROUP = 200;

/** "Advertiser 65f0… · Broadstreet #123". @param {any} error */
export function entityName(error) {
  const parts = [error.entityType ? titleCase(error.entityType) : 'Run'];
  if (error.mongoId) parts.push(error.mongoId);
  if (error.broadstreetId != null) parts.push(`Broadstreet #${error.broadstreetId}`);
  return parts.join(' · ');
}

/** @param {string} [testid] */
export function errorGroups(testid = 'errors') {
  const element = h('div', { class: 'error-groups', 'data-testid': testid });
  /** @type {Map<string, { section: HTMLElement, list: HTMLElement, count: HTMLElement, more: HTMLElement, n: number }>} */
  const groups = new Map();
  const order = Object.keys(ERROR_CODES);

  /** @param {string} code */
  const group = (code) => {
    let g = groups.get(code);
    if (g) return g;
    const count = h('span', { class: 'count', 'data-testid': 'error-count' });
    const list = h('ul', { class: 'error-list' });
    const more = h('p', { class: 'hint', hidden: true });
    const section = h(
      'section',
      { class: `error-group code-${code}`, 'data-testid': `error-group-${code}`, 'data-code': code },
      h('h4', {}, h('span', { class: `badge code` }, code), ' ', count),
      h('p', { class: 'hint', text: ERROR_CODES[/** @type {keyof typeof ERROR_CODES} */ (code)] ?? '' }),
      list,
      more,
    );
    g = { section, list, count, more, n: 0 };
    groups.set(code, g);
    // Keep groups in the fixed code order whatever order errors come in.
    const rank = (/** @type {string} */ c) => (order.includes(c) ? order.indexOf(c) : order.length);
    const next = [...groups.entries()].filter(([c]) => rank(c) > rank(code)).sort(([a], [b]) => rank(a) - rank(b))[0];
    element.insertBefore(section, next ? next[1].section : null);
    return g;
  };

  return {
    element,
    /** @param {any[]} errors */
    add(errors) {
      for (const error of errors) {
        const g = group(error.code);
        g.n += 1;
        g.count.textContent = String(g.n);
        if (g.n <= SHOWN_PER_GROUP) {
          g.list.append(
            h(
              'li',
              { 'data-testid': 'error-item' },
              h('span', { class: 'entity', text: entityName(error) }),
              ' ',
              h('span', { class: 'message', text: error.message }),
              error.attempt > 1 ? h('span', { class: 'attempt', text: ` (attempt ${error.attempt})` }) : null,
            ),
          );
        } else {
          g.more.hidden = false;
          g.more.textContent = `… and ${g.n - SHOWN_PER_GROUP} more: open the run in the history for its full report.`;
        }
      }
    },
  };
}
