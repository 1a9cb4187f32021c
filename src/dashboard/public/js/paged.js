// @ts-check
// A table filled one page of a connection at a time, with "Load more".
import { h } from './dom.js';

/**
 * @param {object} spec
 * @param {string} spec.testid
 * @param {string} spec.caption
 * @param {string[]} spec.columns
 * @param {(after: string | null) => Promise<{ totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: { node: any }[] }>} spec.fetchPage
 * @param {(node: any) => HTMLElement} spec.row a <tr>
 * @param {string} [spec.empty] what an empty list says
 * @param {(error: Error) => void} spec.onError
 * @returns {Promise<HTMLElement>}
 */
export async function pagedTable(spec) {
  const body = h('tbody');
  const count = h('span', { class: 'count' });
  const more = /** @type {HTMLButtonElement} */ (h('button', { type: 'button', class: 'more', text: 'Load more', hidden: true }));
  const table = h(
    'table',
    { 'data-testid': spec.testid },
    h('caption', {}, spec.caption, ' ', count),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        spec.columns.map((c) => h('th', { scope: 'col', text: c })),
      ),
    ),
    body,
  );
  const wrapper = h('div', { class: 'table-wrap' }, table, more);
  /** @type {string | null} */
  let after = null;
  let shown = 0;
  const load = async () => {
    more.disabled = true;
    try {
      const page = await spec.fetchPage(after);
      for (const { node } of page.edges) body.append(spec.row(node));
      shown += page.edges.length;
      count.textContent = `(${shown} of ${page.totalCount})`;
      after = page.pageInfo.endCursor;
      more.hidden = !page.pageInfo.hasNextPage;
      if (page.totalCount === 0)
        body.append(h('tr', {}, h('td', { colspan: spec.columns.length, class: 'empty', text: spec.empty ?? 'None.' })));
    } catch (error) {
      spec.onError(/** @type {Error} */ (error));
    } finally {
      more.disabled = false;
    }
  };
  more.onclick = () => void load();
  await load();
  return wrapper;
}
