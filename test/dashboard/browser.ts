// Headless Chromium (Debian's package, driven by playwright-core) for the
// dashboard tests. Nothing here installs it (.ci/run does); without it these
// tests skip with the reason — except under CI=true, where that fails.
import { accessSync, constants } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { expect } from 'vitest';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** Why the browser tests cannot run here, or '' when they can. */
export function browserSkipReason(): string {
  try {
    accessSync(CHROMIUM_PATH, constants.X_OK);
    return '';
  } catch {
    const reason = `no Chromium at ${CHROMIUM_PATH} (apt-get install -y chromium, or set CHROMIUM_PATH)`;
    if (process.env.CI === 'true') throw new Error(`${reason}; CI=true requires it`);
    // `npm test` has said it once already; a bare vitest run hears it per file.
    if (!process.env.BROADSYNC_BROWSER_SKIP_SAID) console.warn(`skipped: ${reason}`);
    return reason;
  }
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    // playwright-core adds --headless, --no-sandbox (chromiumSandbox: false)
    // and a fresh temporary --user-data-dir itself; these keep Chromium from
    // reaching out to the network on its own.
    args: [
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export interface DashboardPage {
  page: Page;
  /** Fails the test if the page threw or logged an error. */
  expectNoPageErrors(): void;
  close(): Promise<void>;
}

/**
 * A new page (its own context: fresh storage) on the dashboard of `baseUrl`;
 * `beforeLoad` runs first (to route or watch requests from the start).
 */
export async function openDashboard(
  browser: Browser,
  baseUrl: string,
  networkId?: number,
  beforeLoad?: (page: Page) => unknown,
): Promise<DashboardPage> {
  const context = await browser.newContext({ viewport: { width: 1200, height: 1300 } });
  // Below the test's own timeout, so a wait that fails names its locator.
  context.setDefaultTimeout(30_000);
  const page = await context.newPage();
  await beforeLoad?.(page);
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  await page.goto(`${baseUrl}/${networkId ? `#network=${networkId}` : ''}`);
  return {
    page,
    expectNoPageErrors: () => expect(problems).toEqual([]),
    close: () => context.close(),
  };
}

/** Waits until the run panel's status reads `status` (a pattern of the whole text, e.g. /^SUCCEEDED$/). */
export function runStatusReads(page: Page, status: RegExp, timeout?: number): Promise<void> {
  return page
    .getByTestId('run-status')
    .filter({ hasText: status })
    .waitFor(timeout === undefined ? {} : { timeout });
}

/** Shows the entity list of one type (the type picker), once it has rendered. */
export async function showType(page: Page, type: string): Promise<void> {
  await page.getByTestId('entity-type').selectOption(type);
  await page.getByTestId(`entities-${type}`).waitFor();
}

/** The entity list's row of one entity. */
export const rowOf = (page: Page, mongoId: string) =>
  page.getByTestId('entity-list').locator(`[data-testid="entity-row"][data-mongo-id="${mongoId}"]`);

/**
 * Records every value the overall progress bar shows (a MutationObserver on
 * aria-valuenow), so a test can assert on the whole sequence.
 */
export async function recordProgress(page: Page): Promise<() => Promise<number[]>> {
  await page.evaluate(() => {
    const seen: number[] = [];
    (window as unknown as { __progress: number[] }).__progress = seen;
    new MutationObserver(() => {
      const bar = document.querySelector('[data-testid="overall-progress"]');
      const value = bar ? Number(bar.getAttribute('aria-valuenow')) : NaN;
      if (!Number.isNaN(value) && seen.at(-1) !== value) seen.push(value);
    }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['aria-valuenow'] });
  });
  return () => page.evaluate(() => (window as unknown as { __progress: number[] }).__progress);
}
