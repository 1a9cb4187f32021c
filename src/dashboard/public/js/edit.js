// @ts-check
// Changing entities from the dashboard: edit and delete (synced ones too: the
// next export pushes the change), and the conflict view that shows base, local
// and Broadstreet's value per field and settles it either way (resolveConflict).
import { graphql } from './api.js';
import { h } from './dom.js';
import { EDITABLE } from './edit-fields.js';
import { RESOLVE_CONFLICT } from './queries.js';

export { EDITABLE };

/** @typedef {import('./edit-fields.js').FormField} FormField */

/** @param {any} result the mutation's result union @returns {string | null} what went wrong, in words */
function problem(result) {
  if (result.__typename.endsWith('Payload')) return null;
  const fields = (result.fieldErrors ?? []).map((/** @type {any} */ f) => `${f.path.slice(1).join('.') || f.path.at(-1)}: ${f.message}`);
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

/** Whether the entity is in Broadstreet (placements have no Broadstreet id: synced means syncedAt is set). @param {any} node */
const inBroadstreet = (node) => node.broadstreetId != null || !!node.syncedAt;

/** Whether the form lets a person change the field of this entity. @param {FormField} field @param {any} node */
const editable = (field, node) => !field.fixed && !(field.localOnly && inBroadstreet(node));

/** The value a field shows (what the form compares with, to send only what changed). @param {FormField} field @param {unknown} value */
function shown(field, value) {
  if (field.kind === 'checkbox') return value === true;
  if (field.kind === 'list') return /** @type {string[] | null | undefined} */ (value) ?? [];
  return value ?? null;
}

/** @param {FormField} field @param {any} node */
function input(field, node) {
  const id = `edit-${field.name}`;
  const value = node[field.name];
  const notes = [
    field.hint,
    field.fixed,
    field.localOnly && inBroadstreet(node) ? field.localOnly : null,
    field.writeOnly && inBroadstreet(node)
      ? 'Broadstreet accepts it but never returns it: a change is pushed by the next export, but changes made in Broadstreet cannot be detected.'
      : null,
  ].filter(Boolean);
  const hintId = notes.length ? `${id}-hint` : null;
  const errorId = `${id}-error`;
  const attrs = {
    id,
    name: field.name,
    'data-testid': id,
    'aria-describedby': [hintId, errorId].filter(Boolean).join(' '),
    disabled: !editable(field, node),
  };
  /** @type {HTMLElement} */
  let control;
  switch (field.kind) {
    case 'checkbox':
      control = h('input', { ...attrs, type: 'checkbox', checked: value === true });
      break;
    case 'select':
      control = h(
        'select',
        attrs,
        h('option', { value: '', text: '— not set —', selected: value == null }),
        (field.options ?? []).map((o) => h('option', { value: o.value, text: `${o.label} (${o.value})`, selected: value === o.value })),
      );
      break;
    case 'textarea':
      control = h('textarea', { ...attrs, rows: 3, text: value ?? '' });
      break;
    case 'admins': {
      const admins = /** @type {{ name: string, email: string }[]} */ (value ?? []);
      control = h(
        'ul',
        { id, 'data-testid': id, class: 'admins', 'aria-describedby': attrs['aria-describedby'] },
        admins.length ? admins.map((a) => h('li', { text: `${a.name} <${a.email}>` })) : h('li', { class: 'empty', text: 'none' }),
      );
      break;
    }
    default:
      control = h('input', {
        ...attrs,
        type: field.kind === 'list' ? 'text' : field.kind === 'integer' ? 'number' : field.kind,
        step: field.kind === 'number' ? 'any' : field.kind === 'integer' ? '1' : undefined,
        inputmode: field.kind === 'integer' ? 'numeric' : undefined,
        value: field.kind === 'list' ? /** @type {string[]} */ (value ?? []).join(', ') : (value ?? ''),
      });
  }
  return h(
    'div',
    { class: 'field', 'data-field': field.name },
    field.kind === 'admins' ? h('span', { class: 'label', text: field.label }) : h('label', { for: id, text: field.label }),
    control,
    hintId ? h('p', { class: 'hint', id: hintId, text: notes.join(' ') }) : null,
    h('p', { class: 'failure field-error', id: errorId, 'data-testid': `field-error-${field.name}`, role: 'alert', hidden: true }),
  );
}

/**
 * What the form holds for a field, as the API takes it; a string when it cannot be sent (the field's error).
 * @param {FormField} field @param {HTMLFormElement} form @returns {{ value: unknown } | { error: string }}
 */
function formValue(field, form) {
  const el = /** @type {HTMLInputElement} */ (form.elements.namedItem(field.name));
  switch (field.kind) {
    case 'checkbox':
      return { value: el.checked };
    case 'number':
    case 'integer': {
      // A number input holds '' for text that is not a number (badInput): refused here, not sent as "clear".
      if (el.validity.badInput) return { error: 'must be a number' };
      if (el.value === '') return { value: null };
      const n = Number(el.value);
      if (field.kind === 'integer' && !Number.isInteger(n)) return { error: 'must be a whole number' };
      return { value: n };
    }
    case 'list':
      return {
        value: el.value
          .split(',')
          .map((v) => v.trim())
          .filter(Boolean),
      };
    default:
      // Empty clears an optional field (null); a required one is sent as typed, for the API's own words on it.
      return { value: el.value === '' && !field.required ? null : el.value };
  }
}

/** The path of a field error → the form field it is about (['input', 'admins', '0', 'email'] → admins). @param {string[]} path @param {FormField[]} fields */
const fieldOf = (path, fields) => fields.find((f) => f.name === (path[0] === 'input' ? path[1] : path[0]));

/** The summary above the buttons when fields were refused. @param {FormField[]} fields @param {string[]} other errors not about a form field */
function notSaved(fields, other) {
  const names = fields.map((f) => `${f.label} (${f.name})`).join(', ');
  return [`Not saved: ${names} refused — see the message under ${fields.length > 1 ? 'each field' : 'the field'}.`, ...other].join(' ');
}

/**
 * Opens the edit form of one entity; sends only the fields changed. A refused
 * field shows its error under it (and a summary above the buttons).
 * @param {string} type a list type of EDITABLE @param {any} node @param {() => void} onSaved
 */
export function openEdit(type, node, onSaved) {
  const spec = EDITABLE[type];
  const el = dialog();
  const error = h('p', { class: 'failure', 'data-testid': 'edit-error', role: 'alert', hidden: true });
  const form = /** @type {HTMLFormElement} */ (
    h(
      'form',
      // The API judges the values (its field errors show under each field), not the browser's own checks.
      { 'data-testid': 'edit-form', novalidate: true },
      h('h2', { text: `Edit ${spec.entityType.toLowerCase()}` }),
      inBroadstreet(node) ? h('p', { class: 'hint', text: 'It is in Broadstreet: the change is pushed by the next export.' }) : null,
      spec.fields.map((f) => input(f, node)),
      error,
      h(
        'div',
        { class: 'buttons' },
        h('button', { type: 'submit', 'data-testid': 'edit-save', text: 'Save' }),
        h('button', { type: 'button', text: 'Cancel', onclick: () => el.close() }),
      ),
    )
  );
  /** @param {Map<FormField, string[]>} byField @param {string | null} summary */
  const showErrors = (byField, summary) => {
    for (const f of spec.fields) {
      const message = byField.get(f);
      const p = /** @type {HTMLElement} */ (form.querySelector(`[data-testid="field-error-${f.name}"]`));
      p.textContent = message ? message.join('; ') : '';
      p.hidden = !message;
      const control = form.querySelector(`#edit-${f.name}`);
      if (message) control?.setAttribute('aria-invalid', 'true');
      else control?.removeAttribute('aria-invalid');
    }
    error.textContent = summary ?? '';
    error.hidden = !summary;
    const first = spec.fields.find((f) => byField.has(f));
    if (first) /** @type {HTMLElement | null} */ (form.querySelector(`#edit-${first.name}`))?.focus();
  };
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    /** @type {Record<string, unknown>} */
    const changed = {};
    /** @type {Map<FormField, string[]>} */
    const refused = new Map();
    for (const f of spec.fields.filter((f) => editable(f, node))) {
      const read = formValue(f, form);
      if ('error' in read) refused.set(f, [read.error]);
      else if (JSON.stringify(read.value) !== JSON.stringify(shown(f, node[f.name]))) changed[f.name] = read.value;
    }
    if (refused.size) {
      showErrors(refused, notSaved([...refused.keys()], []));
      return;
    }
    try {
      const data = await graphql(spec.update, { input: { ...spec.ref(node), ...changed } });
      const result = data[spec.field];
      const failed = problem(result);
      if (failed) {
        /** @type {Map<FormField, string[]>} */
        const byField = new Map();
        /** @type {string[]} */
        const elsewhere = [];
        for (const fe of result.fieldErrors ?? []) {
          const f = fieldOf(fe.path, spec.fields);
          if (!f) {
            elsewhere.push(`${fe.path.join('.')}: ${fe.message}`);
            continue;
          }
          const within = fe.path.slice(fe.path[0] === 'input' ? 2 : 1);
          byField.set(f, [...(byField.get(f) ?? []), within.length ? `${within.join('.')}: ${fe.message}` : fe.message]);
        }
        // Field errors show under their fields; an error of another kind (conflict, not found, …) in its own words.
        showErrors(byField, byField.size ? notSaved([...byField.keys()], elsewhere) : failed);
        return;
      }
      el.close();
      onSaved();
    } catch (e) {
      showErrors(new Map(), e instanceof Error ? e.message : String(e));
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
