// The dashboard's connection to the server: a dropped WebSocket is resumed
// with afterSeq so nothing is missed or doubled; a token is sent as a Bearer
// header and in connection_init; a refusal (401, 403, close 4403) prompts for one.
import type { Browser, WebSocketRoute } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { localZone, networkRow } from '../helpers/local-entities.ts';
import { browserSkipReason, openDashboard, runStatusReads } from './browser.ts';
import { seedLocalWork } from './fixtures.ts';
import { NETWORK, useDashboardHarness } from './harness.ts';

const skip = browserSkipReason();
const GRAPHQL_WS = /\/graphql$/;

interface WsMessage {
  id?: string;
  type: string;
  payload?: any;
}

describe.skipIf(!!skip)('dashboard connection', { timeout: 120_000 }, () => {
  const t = useDashboardHarness('tiny');

  it('resumes a dropped subscription after the last event it showed, and shows each error once', async () => {
    await seedLocalWork(NETWORK);
    t.env.emulator.config.latencyMs = 150;
    const subscribes: { connection: number; afterSeq: number }[] = [];
    const delivered: number[][] = [];
    // The dashboard's status panel keeps its own subscription (syncSummaryChanged) on the same socket
    // from page load on: only syncProgress subscriptions and events are counted here.
    const dashboard = await openDashboard(t.browser, t.env.server.url, NETWORK, (page) =>
      page.routeWebSocket(GRAPHQL_WS, (ws) => {
        const connection = delivered.push([]) - 1;
        const progressIds = new Set<string>();
        const server = ws.connectToServer();
        ws.onMessage((raw) => {
          const message = JSON.parse(String(raw)) as WsMessage;
          if (message.type === 'subscribe' && String(message.payload.query).includes('syncProgress')) {
            progressIds.add(message.id!);
            subscribes.push({ connection, afterSeq: message.payload.variables.afterSeq });
          }
          server.send(raw);
        });
        server.onMessage((raw) => {
          const message = JSON.parse(String(raw)) as WsMessage;
          const progress = message.type === 'next' && progressIds.has(message.id!);
          if (connection === 0 && progress && delivered[0]!.length === 3) {
            // The first connection drops after three events, as when a proxy or the server goes away.
            void ws.close({ code: 1001, reason: 'going away' });
            void server.close();
            return;
          }
          if (progress) delivered[connection]!.push(message.payload.data.syncProgress.seq);
          ws.send(raw);
        });
      }),
    );
    const { page } = dashboard;
    try {
      await page.getByTestId('start-export').click();
      await runStatusReads(page, /^PARTIAL$/, 60_000);

      expect(subscribes.map((s) => s.connection)).toEqual([0, 1]);
      expect(subscribes[0]!.afterSeq).toBe(0);
      expect(subscribes[1]!.afterSeq).toBe(delivered[0]!.at(-1));
      // The second connection picked up right after the first one's last event, without a gap.
      expect(delivered[1]![0]).toBe(delivered[0]!.at(-1)! + 1);
      expect(await page.getByTestId('overall-percentage').textContent()).toBe('100%');
      const errors = page.getByTestId('run-errors');
      expect(await errors.getByTestId('error-group-VALIDATION').getByTestId('error-item').count()).toBe(1);
      expect(await errors.getByTestId('error-group-DEPENDENCY').getByTestId('error-item').count()).toBe(1);
      expect(await page.getByTestId('run-connection').textContent()).toBe('ended');
      dashboard.expectNoPageErrors();
    } finally {
      t.env.emulator.config.latencyMs = 0;
      await dashboard.close();
    }
  });

  it('sends the token as a Bearer header and in connection_init, keeps it for the tab only unless remembered, and forgets it', async () => {
    const inits: WsMessage[] = [];
    const authorizations: (string | undefined)[] = [];
    const dashboard = await openDashboard(t.browser, t.env.server.url, NETWORK, async (page) => {
      await page.routeWebSocket(GRAPHQL_WS, (ws) => {
        const server = ws.connectToServer();
        ws.onMessage((raw) => {
          const message = JSON.parse(String(raw)) as WsMessage;
          if (message.type === 'connection_init') inits.push(message);
          server.send(raw);
        });
      });
      page.on('request', (request) => {
        if (request.url().endsWith('/graphql') && request.method() === 'POST') authorizations.push(request.headers().authorization);
      });
    });
    const { page } = dashboard;
    try {
      await page.getByTestId('network-select').locator('option', { hasText: 'Demo Network' }).waitFor({ state: 'attached' });
      expect(authorizations.length).toBeGreaterThan(0);
      expect(authorizations.every((a) => a === undefined)).toBe(true);

      // Before a token is given, the status panel's socket (opened at page load) carries none. Its
      // connection_init may reach the route only after the network list has rendered: wait for it.
      await expect.poll(() => inits.length).toBeGreaterThan(0);
      const beforeToken = inits.length;
      expect(inits.every((init) => init.payload?.authorization === undefined)).toBe(true);
      await setToken(page, 's3cret-token');
      await page.getByTestId('token-state').filter({ hasText: 'set for this tab' }).waitFor();
      authorizations.length = 0;
      await page.getByTestId('start-dry-run').click();
      await runStatusReads(page, /^(SUCCEEDED|PARTIAL)$/);
      expect(authorizations.length).toBeGreaterThan(0);
      expect(new Set(authorizations)).toEqual(new Set(['Bearer s3cret-token']));
      // Once given, the socket reconnects once, with it.
      expect(inits.slice(beforeToken)).toEqual([{ type: 'connection_init', payload: { authorization: 'Bearer s3cret-token' } }]);
      expect(await page.evaluate(() => [sessionStorage.getItem('broadsync.token'), localStorage.getItem('broadsync.token')])).toEqual([
        's3cret-token',
        null,
      ]);

      await page.getByText('Access token:').click();
      await page.getByRole('button', { name: 'Forget' }).click();
      await page.getByTestId('token-state').filter({ hasText: 'none' }).waitFor();
      authorizations.length = 0;
      await page.getByRole('button', { name: 'Refresh' }).click();
      await page.getByTestId('history-table').waitFor();
      await expect.poll(() => authorizations.length).toBeGreaterThan(0);
      expect(authorizations.every((a) => a === undefined)).toBe(true);
      dashboard.expectNoPageErrors();
    } finally {
      await dashboard.close();
    }
  });

  it('a token given while a run is followed reconnects with it and follows the run to its end', async () => {
    const network = await networkRow(NETWORK);
    for (let i = 1; i <= 40; i++) await localZone(network.id, `Token Zone ${i}`);
    t.env.emulator.config.latencyMs = 250;
    const subscribes: { init: WsMessage | undefined; afterSeq: number }[] = [];
    const dashboard = await openDashboard(t.browser, t.env.server.url, NETWORK, (page) =>
      page.routeWebSocket(GRAPHQL_WS, (ws) => {
        const server = ws.connectToServer();
        let init: WsMessage | undefined;
        ws.onMessage((raw) => {
          const message = JSON.parse(String(raw)) as WsMessage;
          if (message.type === 'connection_init') init = message;
          if (message.type === 'subscribe' && String(message.payload.query).includes('syncProgress')) {
            subscribes.push({ init, afterSeq: message.payload.variables.afterSeq });
          }
          server.send(raw);
        });
      }),
    );
    const { page } = dashboard;
    try {
      await page.getByTestId('history-table').waitFor();
      await page.getByTestId('start-export').click();
      await page.locator('[data-testid="phase-ZONES"][data-state="active"]').waitFor();
      await setToken(page, 'late-token');
      // PARTIAL: the first test's invalid advertiser is still local.
      await runStatusReads(page, /^PARTIAL$/, 60_000);

      expect(subscribes).toHaveLength(2);
      expect(subscribes[0]).toEqual({ init: { type: 'connection_init', payload: {} }, afterSeq: 0 });
      expect(subscribes[1]!.init).toEqual({ type: 'connection_init', payload: { authorization: 'Bearer late-token' } });
      expect(subscribes[1]!.afterSeq).toBeGreaterThan(0);
      expect(await page.getByTestId('overall-percentage').textContent()).toBe('100%');
      expect(await page.getByTestId('run-connection').textContent()).toBe('ended');
      dashboard.expectNoPageErrors();
    } finally {
      t.env.emulator.config.latencyMs = 0;
      await dashboard.close();
    }
  });

  it('a 401 prompts for a token; once one is given the page loads', async () => {
    const dashboard = await openDashboardRefusing(t.browser, t.env.server.url);
    const { page } = dashboard;
    try {
      const prompt = page.getByTestId('token-prompt');
      await prompt.waitFor();
      expect(await prompt.textContent()).toBe('This server needs an access token (401): enter one to continue.');
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('token-input');

      await page.unroute('**/graphql');
      await page.getByLabel('API token').fill('good-token');
      await page.getByRole('button', { name: 'Use token' }).click();
      await page.getByTestId('network-select').locator('option', { hasText: 'Demo Network' }).waitFor({ state: 'attached' });
      expect(await prompt.isHidden()).toBe(true);
    } finally {
      await dashboard.close();
    }
  });

  it('a mutation refused with 403 asks for a write token; a WebSocket closed with 4403 asks for a token', async () => {
    const dashboard = await openDashboard(t.browser, t.env.server.url, NETWORK);
    const { page } = dashboard;
    try {
      await page.getByTestId('history-table').waitFor();
      await setToken(page, 'read-only-token');
      await page.route('**/graphql', async (route) => {
        const body = route.request().postDataJSON() as { query: string };
        if (!body.query.startsWith('mutation')) return route.continue();
        await route.fulfill({ status: 403, contentType: 'application/json', body: JSON.stringify({ errors: [{ message: 'forbidden' }] }) });
      });
      await page.getByTestId('start-dry-run').click();
      const prompt = page.getByTestId('token-prompt');
      await prompt.filter({ hasText: 'needs a token with write access' }).waitFor();
      await page.unroute('**/graphql');

      await page.routeWebSocket(GRAPHQL_WS, (ws: WebSocketRoute) => {
        ws.onMessage((raw) => {
          if ((JSON.parse(String(raw)) as WsMessage).type === 'connection_init') void ws.close({ code: 4403, reason: 'Forbidden' });
        });
      });
      await setToken(page, 'rejected-token');
      await page.getByTestId('start-dry-run').click();
      await prompt.filter({ hasText: 'did not accept your access token' }).waitFor();
      expect(await page.getByTestId('run-connection').textContent()).toBe('disconnected');
    } finally {
      await dashboard.close();
    }
  });

  it('a query refused as busy (503 + Retry-After) is sent again; a mutation refused so is not', async () => {
    const sent = { networks: 0, mutations: 0 };
    const busy = { status: 503, headers: { 'retry-after': '0' }, contentType: 'application/json' };
    const body = JSON.stringify({ errors: [{ message: 'The server is busy', extensions: { code: 'SERVER_BUSY' } }] });
    const dashboard = await openDashboard(t.browser, t.env.server.url, NETWORK, (page) =>
      page.route('**/graphql', async (route) => {
        const { query } = route.request().postDataJSON() as { query: string };
        if (query.startsWith('query Networks') && ++sent.networks <= 2) return route.fulfill({ ...busy, body });
        if (query.startsWith('mutation')) {
          sent.mutations++;
          return route.fulfill({ ...busy, body });
        }
        return route.continue();
      }),
    );
    const { page } = dashboard;
    try {
      await page.getByTestId('network-select').locator('option', { hasText: 'Demo Network' }).waitFor({ state: 'attached' });
      expect(sent.networks).toBe(3);
      await page.getByTestId('history-table').waitFor();
      await page.getByTestId('start-dry-run').click();
      await page.getByTestId('notice').filter({ hasText: 'The server is busy' }).waitFor();
      expect(sent.mutations).toBe(1);
    } finally {
      await dashboard.close();
    }
  });
});

async function setToken(page: import('playwright-core').Page, value: string): Promise<void> {
  const panel = page.locator('#token-panel');
  if (!(await panel.evaluate((el) => (el as HTMLDetailsElement).open))) await page.getByText('Access token:').click();
  await page.getByLabel('API token').fill(value);
  await page.getByRole('button', { name: 'Use token' }).click();
}

/** A dashboard whose every GraphQL request gets 401, as a server with API_TOKENS answers one without a token. */
function openDashboardRefusing(browser: Browser, baseUrl: string) {
  return openDashboard(browser, baseUrl, undefined, (page) =>
    page.route('**/graphql', (route) =>
      route.fulfill({ status: 401, contentType: 'application/json', body: JSON.stringify({ errors: [{ message: 'unauthorized' }] }) }),
    ),
  );
}
