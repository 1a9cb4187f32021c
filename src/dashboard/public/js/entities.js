// @ts-check
// A network's entities by type with their sync state (LOCAL, SYNCED, CHANGED,
// DELETING, CONFLICT, REMOVED), edit / delete / resolve actions, and the
// "local only" list of what an export would upload.
import { graphql } from './api.js';
import { h, startLoad, titleCase } from './dom.js';
import { deleteEntity, EDITABLE, openConflict, openEdit } from './edit.js';
import { pagedTable } from './paged.js';
import { entityListQuery, LOCAL_ENTITIES } from './queries.js';

/** What each sync state means, for the badge's tooltip. @type {Record<string, string>} */
const STATE_HINTS = {
  LOCAL: 'only here: the next export creates it',
  SYNCED: 'the same here and in Broadstreet',
  CHANGED: 'edited here: the next export pushes',
  DELETING: 'deleted here: the next export deletes it in Broadstreet',
  CONFLICT: 'both sides changed it: resolve the conflict',
  REMOVED: 'Broadstreet no longer has it',
};

/** The sync-state badge (placements have no Broadstreet id: synced means syncedAt is set). @param {any} node @param {boolean} placement */
function badges(node, placement) {
  const status = node.syncStatus ?? ((placement ? node.syncedAt !== null : node.broadstreetId !== null) ? 'SYNCED' : 'LOCAL');
  const lastError = node.syncErrors?.[0];
  const changed = status === 'CHANGED' && node.changedFields?.length ? `: ${node.changedFields.join(', ')}` : '';
  return h(
    'span',
    { class: 'badges' },
    h('span', {
      class: `badge ${status.toLowerCase()}`,
      'data-testid': 'sync-badge',
      'data-status': status,
      text: status,
      title: `${STATE_HINTS[status] ?? ''}${changed}`,
    }),
    node.removedAt && status !== 'REMOVED'
      ? h('span', { class: 'badge removed', text: 'REMOVED', title: 'an import no longer found it in Broadstreet' })
      : null,
    lastError ? h('span', { class: 'badge failed', text: `LAST SYNC: ${lastError.code}`, title: lastError.message }) : null,
  );
}

/** Edit, delete, or resolve its conflict: what a person may do to the entity now. @param {string} type @param {any} node @param {() => void} onChanged @param {(error: Error) => void} onError */
function actions(type, node, onChanged, onError) {
  if (!EDITABLE[type] || node.syncStatus === 'REMOVED') return null;
  if (node.syncStatus === 'CONFLICT')
    return h('button', {
      type: 'button',
      'data-testid': 'resolve-entity',
      text: 'Resolve',
      onclick: () => openConflict(type, node, onChanged),
    });
  return [
    h('button', { type: 'button', 'data-testid': 'edit-entity', text: 'Edit', onclick: () => openEdit(type, node, onChanged) }),
    node.syncStatus === 'DELETING'
      ? null
      : h('button', {
          type: 'button',
          'data-testid': 'delete-entity',
          text: 'Delete',
          onclick: () => void deleteEntity(type, node, onChanged, (message) => onError(new Error(message))).catch(onError),
        }),
  ];
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

/** @param {string} type @param {any} node @param {() => void} onChanged @param {(error: Error) => void} onError */
function entityRow(type, node, onChanged, onError) {
  return h(
    'tr',
    { 'data-testid': 'entity-row', 'data-mongo-id': node.mongoId, 'data-status': node.syncStatus },
    h('td', { text: describe(type, node) }),
    h('td', {}, h('code', { text: node.mongoId })),
    h('td', { text: node.broadstreetId ?? '—' }),
    h('td', {}, badges(node, type === 'placements')),
    h('td', { class: 'actions' }, actions(type, node, onChanged, onError)),
  );
}

/**
 * @param {HTMLElement} container @param {number} networkId
 * @param {import('./queries.js').EntityListType} type
 * @param {'ALL' | 'LOCAL' | 'SYNCED' | 'CHANGED' | 'CONFLICT'} syncState @param {(error: Error) => void} onError
 * @param {() => void} [onChanged] an entity was edited, deleted or its conflict resolved
 */
export async function showEntities(container, networkId, type, syncState, onError, onChanged = () => {}) {
  const latest = startLoad(container);
  const query = entityListQuery(type);
  const table = await pagedTable({
    testid: `entities-${type}`,
    caption: titleCase(type),
    columns: ['Name', 'mongoId', 'Broadstreet id', 'State', ''],
    fetchPage: async (after) =>
      (await graphql(query, type === 'advertisements' ? { networkId, after } : { networkId, after, syncState })).list,
    row: (node) => entityRow(type, node, onChanged, onError),
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
