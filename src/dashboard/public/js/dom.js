// @ts-check
// Small DOM and formatting helpers: the page uses no framework.

/**
 * Builds an element. Attributes: `class`, `text`, `on<event>` handlers,
 * booleans set as properties (hidden, disabled), anything else as an attribute.
 * @param {string} tag
 * @param {Record<string, unknown>} [attrs]
 * @param {...(Node | string | number | null | undefined | false | (Node | string | null | undefined | false)[])} children
 * @returns {HTMLElement}
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') el.className = String(value);
    else if (key === 'text') el.textContent = String(value);
    else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), /** @type {EventListener} */ (value));
    else if (value === true) el.setAttribute(key, '');
    else el.setAttribute(key, String(value));
  }
  append(el, children);
  return el;
}

/** @param {Node} parent @param {unknown[]} children */
function append(parent, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(parent, child);
    else parent.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** @param {string} id @returns {HTMLElement} */
export function byId(id) {
  const el = document.getElementById(id);
  if (!el) throw new Error(`#${id} is missing from the page`);
  return el;
}

/** @param {string | null | undefined} iso */
export function formatTime(iso) {
  if (!iso) return '—';
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
}

/** @param {string | null | undefined} from @param {string | null | undefined} to */
export function formatDuration(from, to) {
  if (!from) return '—';
  const ms = (to ? Date.parse(to) : Date.now()) - Date.parse(from);
  if (ms < 1000) return `${Math.max(0, ms)} ms`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m} min ${s % 60} s` : `${Math.floor(m / 60)} h ${m % 60} min`;
}

/** "ADVERTISEMENTS" → "Advertisements". @param {string} word */
export function titleCase(word) {
  return word.charAt(0).toUpperCase() + word.slice(1).toLowerCase().replace(/_/g, ' ');
}

/** @type {WeakMap<Element, number>} */
const loads = new WeakMap();

/**
 * Starts a load whose result replaces what `container` shows, and returns a
 * check to call before showing it: false when a later load for the same
 * container started meanwhile (its answer is newer; a slow old answer must
 * not overwrite it — e.g. the empty list fetched before an import ended).
 * @param {Element} container @returns {() => boolean}
 */
export function startLoad(container) {
  const load = (loads.get(container) ?? 0) + 1;
  loads.set(container, load);
  return () => loads.get(container) === load;
}
