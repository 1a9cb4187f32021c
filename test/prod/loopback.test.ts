// Without API_TOKENS the API is open, so it must be reachable from this
// machine only: loopback listening, no non-loopback HOST, and no browser
// page of another site (foreign Host or Origin) driving it.
import { request } from 'node:http';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ConfigError, listenHost, loadConfig } from '../../src/config.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { expectCleanExit, freePort, spawnEntry } from '../helpers/process.ts';
import { seedNetwork } from '../helpers/seed.ts';
import { advertiserCount, CREATE_ADVERTISER, postGraphQL, wsClient, wsRun } from './helpers.ts';

function postWithHost(url: string, host: string, body: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/graphql`, { method: 'POST', headers: { host, 'content-type': 'application/json' } }, (res) => {
      let text = '';
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

function upgradeStatus(url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`${url.replace(/^http/, 'ws')}/graphql`, 'graphql-transport-ws', { headers });
    socket.on('open', () => {
      socket.close();
      resolve(101);
    });
    socket.on('unexpected-response', (_req, res) => resolve(res.statusCode!));
    socket.on('error', (error) => {
      if (!String(error.message).includes('Unexpected server response')) reject(error);
    });
  });
}

describe('a server without API_TOKENS', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    await seedNetwork(85);
  });
  afterAll(() => t?.stop());

  it('listens on loopback and answers without a token, with the write scope', async () => {
    expect(new URL(t.url).hostname).toBe('127.0.0.1');
    const before = await advertiserCount();
    const response = await postGraphQL(t.url, CREATE_ADVERTISER, { name: 'Open Local' });
    expect(response.status).toBe(200);
    expect(response.body.data.createAdvertiser.__typename).toBe('CreateAdvertiserPayload');
    expect(await advertiserCount()).toBe(before + 1);
  });

  it('refuses a request for a foreign Host name (DNS rebinding) with 403, writing nothing', async () => {
    const before = await advertiserCount();
    const body = JSON.stringify({ query: CREATE_ADVERTISER, variables: { name: 'Rebound' } });
    const port = new URL(t.url).port;
    const refused = await postWithHost(t.url, `attacker.example:${port}`, body);
    expect(refused.status).toBe(403);
    expect(JSON.parse(refused.body).errors[0].message).toBe('this server has no API_TOKENS and answers only requests for localhost');
    expect(await advertiserCount()).toBe(before);
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`]) {
      expect((await postWithHost(t.url, host, JSON.stringify({ query: '{ networks { name } }' }))).status).toBe(200);
    }
  });

  it('refuses a WebSocket from another site (cross-site WebSocket hijacking) and accepts one from localhost', async () => {
    expect(await upgradeStatus(t.url, { origin: 'https://attacker.example' })).toBe(403);
    expect(await upgradeStatus(t.url, { origin: 'null' })).toBe(403);
    expect(await upgradeStatus(t.url, { origin: `http://localhost:${new URL(t.url).port}` })).toBe(101);
    const client = wsClient(t.url);
    expect(await wsRun(client, '{ networks { broadstreetId } }')).toEqual({
      kind: 'results',
      results: [{ data: { networks: [{ broadstreetId: 85 }] } }],
    });
    await client.dispose();
  });
});

describe('a server without API_TOKENS and a page opened from a file (issue 14 #9)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    await seedNetwork(85);
  });
  afterAll(() => t?.stop());

  it('refuses a WebSocket whose Origin is file:// (an empty host is not loopback), and createAdvertiser never runs', async () => {
    const before = await advertiserCount();
    for (const origin of ['file://', 'file:///home/user/page.html']) expect(await upgradeStatus(t.url, { origin })).toBe(403);
    const socket = new WebSocket(`${t.url.replace(/^http/, 'ws')}/graphql`, 'graphql-transport-ws', { headers: { origin: 'file://' } });
    const outcome = await new Promise<string>((resolve) => {
      socket.on('open', () => {
        socket.send(JSON.stringify({ type: 'connection_init' }));
        socket.send(
          JSON.stringify({ id: '1', type: 'subscribe', payload: { query: CREATE_ADVERTISER, variables: { name: 'From A File' } } }),
        );
        setTimeout(() => resolve('open'), 500);
      });
      socket.on('unexpected-response', (_req, res) => resolve(String(res.statusCode)));
      socket.on('error', () => {});
    });
    socket.close();
    expect(outcome).toBe('403');
    expect(await advertiserCount()).toBe(before);
  });
});

describe('where the server listens', () => {
  const config = (env: Record<string, string>) => loadConfig({ NODE_ENV: 'test', ...env });

  it('is loopback without tokens, and a non-loopback HOST is refused', () => {
    expect(listenHost(config({}))).toBe('127.0.0.1');
    for (const host of ['127.0.0.1', '::1', 'localhost', '127.0.0.2']) expect(listenHost(config({ HOST: host }))).toBe(host);
    for (const host of ['0.0.0.0', '::', '192.168.1.10', 'example.com']) {
      expect(() => listenHost(config({ HOST: host }))).toThrow(ConfigError);
      expect(() => listenHost(config({ HOST: host }))).toThrow(
        `HOST ${host} is not a loopback address: set API_TOKENS to serve the API beyond this machine`,
      );
    }
  });

  it('is every interface with tokens, unless HOST says otherwise', () => {
    expect(listenHost(config({ API_TOKENS: 'abc:read' }))).toBe('0.0.0.0');
    expect(listenHost(config({ API_TOKENS: 'abc:read', HOST: '10.0.0.5' }))).toBe('10.0.0.5');
  });

  it('says so at start-up, and a process given HOST=0.0.0.0 without tokens exits with one clear line', async () => {
    const port = await freePort();
    const db = `.tmp/test/loopback-${port}.db`;
    try {
      const open = spawnEntry('src/main.ts', { PORT: String(port), DATABASE_URL: `file:./${db}`, API_TOKENS: undefined, HOST: undefined });
      await open.waitFor(/serving GraphQL at http:\/\/127\.0\.0\.1:\d+\/graphql/);
      expect(open.output()).toContain(
        'API_TOKENS is not set: the GraphQL API is open without a token, so it listens on loopback (127.0.0.1) only',
      );
      await expectCleanExit(open);
      const exposed = spawnEntry('src/main.ts', {
        PORT: String(port),
        DATABASE_URL: `file:./${db}`,
        API_TOKENS: undefined,
        HOST: '0.0.0.0',
      });
      expect(await exposed.exited).toBe(1);
      expect(exposed.output()).toContain(
        'broadsync: HOST 0.0.0.0 is not a loopback address: set API_TOKENS to serve the API beyond this machine',
      );
    } finally {
      for (const ext of ['', '-wal', '-shm']) rmSync(`${db}${ext}`, { force: true });
    }
  });
});
