// GraphiQL at /graphql in headless Chromium with every request to a host
// other than the server's blocked, as on a machine without internet: the
// page loads from the installed package, runs a query over HTTP and a
// subscription over graphql-ws, and shows their results.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserSkipReason } from './browser.ts';
import { NETWORK, useDashboardHarness } from './harness.ts';

const skip = browserSkipReason();

describe.skipIf(!!skip)('GraphiQL offline', { timeout: 120_000 }, () => {
  const t = useDashboardHarness('tiny');

  async function openGraphiQL(query: string): Promise<{ page: Page; blocked: string[]; close(): Promise<void> }> {
    const context = await t.browser.newContext({ viewport: { width: 1400, height: 1000 } });
    context.setDefaultTimeout(30_000);
    const origin = new URL(t.env.server.url).origin;
    const blocked: string[] = [];
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith(origin) || url.startsWith('blob:') || url.startsWith('data:')) return route.continue();
      blocked.push(url);
      return route.abort('internetdisconnected');
    });
    const page = await context.newPage();
    await page.goto(`${t.env.server.url}/graphql?query=${encodeURIComponent(query)}`);
    return { page, blocked, close: () => context.close() };
  }

  /** Runs the editor's operation and waits until the response pane shows `expected`. */
  async function run(page: Page, expected: string): Promise<string> {
    await page.locator('.graphiql-execute-button').click();
    const response = page.locator('.graphiql-response');
    await response.getByText(expected).first().waitFor();
    return (await response.textContent()) ?? '';
  }

  it('loads without the internet and runs a query', async () => {
    const { page, blocked, close } = await openGraphiQL('{ networks { broadstreetId name } }');
    try {
      expect(await page.title()).toBe('Broadsync GraphiQL');
      const shown = await run(page, 'Demo Network');
      expect(shown).toContain(`${NETWORK}`);
      expect(blocked).toEqual([]);
    } finally {
      await close();
    }
  });

  it("runs syncProgress over graphql-ws on the same path and shows the run's events", async () => {
    const runs = await t.env.server.graphql<{ syncRuns: { edges: { node: { id: string } }[] } }>(
      `{ syncRuns(networkId: ${NETWORK}) { edges { node { id } } } }`,
    );
    const runId = runs.data!.syncRuns.edges[0]!.node.id;
    const { page, blocked, close } = await openGraphiQL(`subscription { syncProgress(runId: "${runId}") { seq status percentage } }`);
    const frames: string[] = [];
    page.on('websocket', (socket) => {
      if (new URL(socket.url()).pathname === '/graphql') socket.on('framereceived', ({ payload }) => frames.push(String(payload)));
    });
    try {
      // The stored events are replayed, the last one being the run's end.
      const shown = await run(page, 'SUCCEEDED');
      expect(shown).toContain('syncProgress');
      expect(shown).toContain('100');
      const next = frames.map((frame) => JSON.parse(frame) as { type: string; payload?: any }).filter((m) => m.type === 'next');
      expect(next.length).toBeGreaterThan(1);
      expect(next.at(-1)!.payload.data.syncProgress).toMatchObject({ status: 'SUCCEEDED', percentage: 100 });
      expect(blocked).toEqual([]);
    } finally {
      await close();
    }
  });
});
