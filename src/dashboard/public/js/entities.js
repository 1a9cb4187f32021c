// @ts-check
// A network's entities by type with LOCAL / SYNCED badges, and the "local
// only" list of what an export would upload.
import { graphql } from './api.js';
import { h, startLoad, titleCase } from './dom.js';
import { pagedTable } from './paged.js';
import { entityListQuery, LOCAL_ENTITIES } from './queries.js';

/** The LOCAL / SYNCED badge (placements have no Broadstreet id: synced means syncedAt is set). @param {any} node @param {boolean} placement */
function badges(node, placement) {
  const synced = placement ? node.syncedAt !== null : node.broadstreetId !== null;
  const lastError = node.syncErrors?.[0];
  return h(
    'span',
    { class: 'badges' },
    h('span', { class: `badge ${synced ? 'synced' : 'local'}`, 'data-testid': 'sync-badge', text: synced ? 'SYNCED' : 'LOCAL' }),
    node.removedAt ? h('span', { class: 'badge removed', text: 'REMOVED', title: 'an import no longer found it in Broadstreet' }) : null,
    lastError ? h('span', { class: 'badge failed', text: `LAST SYNC: ${lastError.code}`, title: lastError.message }) : null,
  );
}

/** @param {string} type @param {any} node */
function describe(type, node) {
  switch (type) {
    case 'placements':
      return `${node.campaign.name} / ${node.advertisement.name} / ${node.zone.name}`;
    case 'campaigns':
      return `${node.name} (${node.advertiser.name})`;
    case 'advertisements':
      return `${node.name}${node.type ? ` — ${node.type}` : ''}`;
    case 'zones':
      return node.alias ? `${node.name} (${node.alias})` : node.name;
    default:
      return node.name;
  }
}

/** @param {string} type @param {any} node */
function entityRow(type, node) {
  return h(
    'tr',
    { 'data-testid': 'entity-row', 'data-mongo-id': node.mongoId },
    h('td', { text: describe(type, node) }),
    h('td', {}, h('code', { text: node.mongoId })),
    h('td', { text: node.broadstreetId ?? '—' }),
    h('td', {}, badges(node, type === 'placements')),
  );
}

/**
 * @param {HTMLElement} container @param {number} networkId
 * @param {import('./queries.js').EntityListType} type
 * @param {'ALL' | 'LOCAL' | 'SYNCED'} syncState @param {(error: Error) => void} onError
 */
export async function showEntities(container, networkId, type, syncState, onError) {
  const latest = startLoad(container);
  const query = entityListQuery(type);
  const table = await pagedTable({
    testid: `entities-${type}`,
    caption: titleCase(type),
    columns: ['Name', 'mongoId', 'Broadstreet id', 'State'],
    fetchPage: async (after) =>
      (await graphql(query, type === 'advertisements' ? { networkId, after } : { networkId, after, syncState })).list,
    row: (node) => entityRow(type, node),
    empty: syncState === 'ALL' ? 'None yet: import the network.' : `No ${syncState.toLowerCase()} ${type}.`,
    onError,
  });
  if (latest()) container.replaceChildren(table);
}

/** @param {HTMLElement} container @param {HTMLElement} totalEl @param {number} networkId */
export async function showLocalEntities(container, totalEl, networkId) {
  const latest = startLoad(container);
  const { localEntities } = await graphql(LOCAL_ENTITIES, { networkId });
  if (!latest()) return;
  totalEl.textContent = `(${localEntities.total})`;
  if (localEntities.total === 0) {
    container.replaceChildren(
      h('p', { class: 'empty', 'data-testid': 'local-empty', text: 'Nothing local: an export has nothing to upload.' }),
    );
    return;
  }
  const lists = /** @type {const} */ (['advertisers', 'zones', 'campaigns', 'placements'])
    .filter((type) => localEntities[type].totalCount > 0)
    .map((type) => {
      const conn = localEntities[type];
      const rows = conn.edges.map((/** @type {{ node: any }} */ { node }) =>
        h(
          'li',
          { 'data-testid': 'local-entity', 'data-mongo-id': node.mongoId },
          h('span', { class: 'name', text: describe(type, node) || '(no name)' }),
          ' ',
          h('code', { text: node.mongoId }),
          ' ',
          badges(node, type === 'placements'),
        ),
      );
      const hidden = conn.totalCount - conn.edges.length;
      return h(
        'section',
        { class: 'local-type', 'data-testid': `local-${type}` },
        h('h3', {}, titleCase(type), ' ', h('span', { class: 'count', text: `(${conn.totalCount})` })),
        h('ul', {}, rows),
        hidden > 0 ? h('p', { class: 'hint', text: `… and ${hidden} more (see the Entities list, "local only").` }) : null,
      );
    });
  container.replaceChildren(...lists);
}
