// @ts-check
// Changing entities from the dashboard: edit and delete (synced ones too: the
// next export pushes the change), and the conflict view that shows base, local
// and Broadstreet's value per field and settles it either way (resolveConflict).
import { graphql } from './api.js';
import { h } from './dom.js';
import {
  DELETE_ADVERTISER,
  DELETE_CAMPAIGN,
  DELETE_PLACEMENT,
  DELETE_ZONE,
  RESOLVE_CONFLICT,
  UPDATE_ADVERTISER,
  UPDATE_CAMPAIGN,
  UPDATE_PLACEMENT,
  UPDATE_ZONE,
} from './queries.js';

/**
 * @typedef {{ name: string, label: string, kind: 'text' | 'date' | 'number' | 'checkbox' | 'list' }} FormField
 * @typedef {{ entityType: string, update: string, remove: string, field: string, ref: (node: any) => object, fields: FormField[] }} EditSpec
 */

/** Per list type: the mutations, how the entity is named in their input, and the fields a person may edit. @type {Record<string, EditSpec>} */
export const EDITABLE = {
  advertisers: {
    entityType: 'ADVERTISER',
    update: UPDATE_ADVERTISER,
    remove: DELETE_ADVERTISER,
    field: 'updateAdvertiser',
    ref: (node) => ({ advertiser: { mongoId: node.mongoId } }),
    fields: [
      { name: 'name', label: 'Name', kind: 'text' },
      { name: 'webHomeUrl', label: 'Web home URL', kind: 'text' },
      { name: 'notes', label: 'Notes', kind: 'text' },
    ],
  },
  zones: {
    entityType: 'ZONE',
    update: UPDATE_ZONE,
    remove: DELETE_ZONE,
    field: 'updateZone',
    ref: (node) => ({ zone: { mongoId: node.mongoId } }),
    fields: [
      { name: 'name', label: 'Name', kind: 'text' },
      { name: 'alias', label: 'Alias', kind: 'text' },
    ],
  },
  campaigns: {
    entityType: 'CAMPAIGN',
    update: UPDATE_CAMPAIGN,
    remove: DELETE_CAMPAIGN,
    field: 'updateCampaign',
    ref: (node) => ({ campaign: { mongoId: node.mongoId } }),
    fields: [
      { name: 'name', label: 'Name', kind: 'text' },
      { name: 'startDate', label: 'Start date', kind: 'date' },
      { name: 'endDate', label: 'End date', kind: 'date' },
      { name: 'weight', label: 'Weight', kind: 'number' },
      { name: 'paused', label: 'Paused', kind: 'checkbox' },
      { name: 'notes', label: 'Notes', kind: 'text' },
    ],
  },
  placements: {
    entityType: 'PLACEMENT',
    update: UPDATE_PLACEMENT,
    remove: DELETE_PLACEMENT,
    field: 'updatePlacement',
    ref: (node) => ({ mongoId: node.mongoId }),
    fields: [{ name: 'restrictions', label: 'Restrictions (comma-separated)', kind: 'list' }],
  },
};

/** @param {any} result the mutation's result union @returns {string | null} what went wrong, in words */
function problem(result) {
  if (result.__typename.endsWith('Payload')) return null;
  const fields = (result.fieldErrors ?? []).map((/** @type {any} */ f) => `${f.path.at(-1)}: ${f.message}`);
  return [result.message, ...fields].filter((v, i, all) => all.indexOf(v) === i).join(' — ');
}

/** The dialog every edit and conflict view opens in (one per page). */
function dialog() {
  let el = /** @type {HTMLDialogElement | null} */ (document.getElementById('entity-dialog'));
  if (!el) {
    el = /** @type {HTMLDialogElement} */ (h('dialog', { id: 'entity-dialog', 'data-testid': 'entity-dialog' }));
    document.body.append(el);
  }
  return el;
}

/** @param {FormField} field @param {unknown} value */
function input(field, value) {
  const id = `edit-${field.name}`;
  const attrs = { id, name: field.name, 'data-testid': `edit-${field.name}` };
  const control =
    field.kind === 'checkbox'
      ? h('input', { ...attrs, type: 'checkbox', checked: value === true })
      : h('input', {
          ...attrs,
          type: field.kind === 'list' ? 'text' : field.kind,
          step: field.kind === 'number' ? 'any' : undefined,
          value: field.kind === 'list' ? /** @type {string[]} */ (value ?? []).join(', ') : (value ?? ''),
        });
  return h('div', { class: 'field' }, h('label', { for: id, text: field.label }), control);
}

/** @param {FormField} field @param {HTMLFormElement} form */
function formValue(field, form) {
  const el = /** @type {HTMLInputElement} */ (form.elements.namedItem(field.name));
  if (field.kind === 'checkbox') return el.checked;
  if (field.kind === 'number') return el.value === '' ? null : Number(el.value);
  if (field.kind === 'list')
    return el.value
      .split(',')
      .map((v) => v.trim())
      .filter(Boolean);
  return el.value === '' ? null : el.value;
}

/**
 * Opens the edit form of one entity; sends only the fields changed.
 * @param {string} type a list type of EDITABLE @param {any} node @param {() => void} onSaved
 */
export function openEdit(type, node, onSaved) {
  const spec = EDITABLE[type];
  const el = dialog();
  const error = h('p', { class: 'failure', 'data-testid': 'edit-error', role: 'alert', hidden: true });
  const form = /** @type {HTMLFormElement} */ (
    h(
      'form',
      { 'data-testid': 'edit-form' },
      h('h2', { text: `Edit ${spec.entityType.toLowerCase()}` }),
      node.broadstreetId != null || node.syncedAt
        ? h('p', { class: 'hint', text: 'It is in Broadstreet: the change is pushed by the next export.' })
        : null,
      spec.fields.map((f) => input(f, node[f.name])),
      error,
      h(
        'div',
        { class: 'buttons' },
        h('button', { type: 'submit', 'data-testid': 'edit-save', text: 'Save' }),
        h('button', { type: 'button', text: 'Cancel', onclick: () => el.close() }),
      ),
    )
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const changed = Object.fromEntries(
      spec.fields
        .map((f) => [f.name, formValue(f, form)])
        .filter(
          ([name, value]) =>
            JSON.stringify(value ?? null) !==
            JSON.stringify(node[/** @type {string} */ (name)] ?? (spec.fields.find((f) => f.name === name)?.kind === 'list' ? [] : null)),
        ),
    );
    try {
      const data = await graphql(spec.update, { input: { ...spec.ref(node), ...changed } });
      const failed = problem(data[spec.field]);
      if (failed) {
        error.textContent = failed;
        error.hidden = false;
        return;
      }
      el.close();
      onSaved();
    } catch (e) {
      error.textContent = e instanceof Error ? e.message : String(e);
      error.hidden = false;
    }
  });
  el.replaceChildren(form);
  el.showModal();
}

/**
 * Deletes one entity after asking: a local one is gone at once, a synced one is DELETING until the next export.
 * @param {string} type @param {any} node @param {() => void} onDone @param {(message: string) => void} onError
 */
export async function deleteEntity(type, node, onDone, onError) {
  const spec = EDITABLE[type];
  const synced = node.broadstreetId != null || node.syncedAt;
  const what = synced ? 'It is marked for deletion; the next export deletes it in Broadstreet.' : 'It exists only here and is deleted now.';
  if (!confirm(`Delete this ${spec.entityType.toLowerCase()}? ${what}`)) return;
  const data = await graphql(spec.remove, { input: spec.ref(node) });
  const failed = problem(Object.values(data)[0]);
  if (failed) onError(failed);
  else onDone();
}

/**
 * The conflict view: base, local and Broadstreet's value per field; keeps one side for every field.
 * @param {string} type @param {any} node @param {() => void} onResolved
 */
export function openConflict(type, node, onResolved) {
  const spec = EDITABLE[type];
  const el = dialog();
  const error = h('p', { class: 'failure', 'data-testid': 'conflict-error', role: 'alert', hidden: true });
  const show = (/** @type {unknown} */ v) => (v === null || v === undefined ? '—' : typeof v === 'string' ? v : JSON.stringify(v));
  const resolve = async (/** @type {'LOCAL' | 'REMOTE'} */ keep) => {
    const entity = { mongoId: node.mongoId };
    const data = await graphql(RESOLVE_CONFLICT, { input: { entityType: spec.entityType, entity, keep } });
    const failed = problem(data.resolveConflict);
    if (failed) {
      error.textContent = failed;
      error.hidden = false;
      return;
    }
    el.close();
    onResolved();
  };
  const { conflict } = node;
  el.replaceChildren(
    h(
      'div',
      { 'data-testid': 'conflict-view' },
      h('h2', { text: `Conflict: ${spec.entityType.toLowerCase()}` }),
      h('p', {
        class: 'hint',
        text: conflict.localDeleted
          ? 'It was deleted here and in Broadstreet: either choice marks it removed.'
          : conflict.remoteDeleted
            ? 'Broadstreet no longer has it, and it was changed here.'
            : 'Both sides changed these fields since they last agreed.',
      }),
      h(
        'table',
        { 'data-testid': 'conflict-fields' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ['Field', 'Base (last agreed)', 'Here', 'Broadstreet'].map((c) => h('th', { scope: 'col', text: c })),
          ),
        ),
        h(
          'tbody',
          {},
          conflict.fields.map((/** @type {any} */ f) =>
            h(
              'tr',
              { 'data-field': f.field },
              h('th', { scope: 'row', text: f.field }),
              h('td', { text: show(f.base) }),
              h('td', { text: show(f.local) }),
              h('td', { text: show(f.remote) }),
            ),
          ),
        ),
      ),
      error,
      h(
        'div',
        { class: 'buttons' },
        h('button', {
          type: 'button',
          'data-testid': 'keep-local',
          text: 'Keep this side (the next export pushes it)',
          onclick: () => void resolve('LOCAL'),
        }),
        h('button', { type: 'button', 'data-testid': 'keep-remote', text: 'Take Broadstreet’s', onclick: () => void resolve('REMOTE') }),
        h('button', { type: 'button', text: 'Close', onclick: () => el.close() }),
      ),
    ),
  );
  el.showModal();
}
