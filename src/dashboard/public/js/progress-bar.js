// @ts-check
// An accessible progress bar (role=progressbar with aria-valuenow), drawn with
// a div so it looks the same in every browser.
import { h } from './dom.js';

/** @param {string} label @param {string} testid */
export function progressBar(label, testid) {
  const fill = h('div', { class: 'fill' });
  const element = h(
    'div',
    {
      class: 'bar',
      role: 'progressbar',
      'aria-label': label,
      'aria-valuemin': 0,
      'aria-valuemax': 100,
      'aria-valuenow': 0,
      'data-testid': testid,
    },
    fill,
  );
  return {
    element,
    /** @param {number} value @param {number} [max] */
    set(value, max = 100) {
      const percent = max > 0 ? Math.min(100, Math.floor((100 * value) / max)) : 0;
      element.setAttribute('aria-valuenow', String(percent));
      // CSSOM, not a style attribute: allowed by the page's Content-Security-Policy.
      fill.style.width = `${percent}%`;
    },
  };
}
