// `npm run demo`: the server and the emulator together, the server configured to call it.
import { rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { expectCleanExit, freePort, spawnEntry } from '../helpers/process.ts';

const createAdvertiser = (emulatorUrl: string, name: string) =>
  fetch(`${emulatorUrl}/advertisers?access_token=demo-token&network_id=85`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name }),
  }).then(async (r) => (await r.json()).advertiser as { id: number; name: string });
const advertiserNames = async (emulatorUrl: string) =>
  ((await (await fetch(`${emulatorUrl}/advertisers?access_token=demo-token&network_id=85`)).json()).advertisers as { name: string }[]).map(
    (a) => a.name,
  );

describe('demo', () => {
  it("starts the emulator and the server, and prints their URLs, the dashboard's among them", async () => {
    const [port, emulatorPort] = [await freePort(), await freePort()];
    const child = spawnEntry('src/demo.ts', {
      PORT: String(port),
      EMULATOR_PORT: String(emulatorPort),
      DATABASE_URL: `file:./.tmp/test/demo-${port}.db`,
    });
    try {
      const [, emulatorUrl] = await child.waitFor(/Broadstreet emulator serving (http:\/\/\S+)/);
      await child.waitFor(/serving GraphQL at http:\/\/\S+\/graphql/);
      const [, dashboardUrl] = await child.waitFor(/Dashboard:\s+(http:\/\/\S+)/);
      expect(dashboardUrl).toBe(`http://127.0.0.1:${port}/`);
      const dashboard = await fetch(dashboardUrl!);
      expect(dashboard.status).toBe(200);
      expect(await dashboard.text()).toContain('<title>');
      expect(emulatorUrl).toBe(`http://127.0.0.1:${emulatorPort}/api/1`);
      const networks = await (await fetch(`${emulatorUrl}/networks?access_token=demo-token`)).json();
      expect(networks.networks[0]).toMatchObject({ id: 85, name: 'Demo Network' });
      expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);
      // A fresh demo has imported network 85 on its own (SYNC_IMPORT_ON_EMPTY) before it printed its URLs.
      const imported = await fetch(`http://127.0.0.1:${port}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ network(ref: { broadstreetId: 85 }) { name syncSummary { lastImport { status trigger } } } }' }),
      });
      expect((await imported.json()).data.network).toEqual({
        name: 'Demo Network',
        syncSummary: { lastImport: { status: 'SUCCEEDED', trigger: 'FIRST_START' } },
      });
    } finally {
      await expectCleanExit(child);
      for (const ext of ['', '-wal', '-shm', '.emulator.json']) rmSync(`.tmp/test/demo-${port}.db${ext}`, { force: true });
    }
  });

  it('a restart resumes the emulator as it was, beside its database; --reset starts both fresh (issue 14 #8)', async () => {
    const [port, emulatorPort] = [await freePort(), await freePort()];
    const database = `.tmp/test/demo-state-${port}.db`;
    const env = { PORT: String(port), EMULATOR_PORT: String(emulatorPort), DATABASE_URL: `file:./${database}` };
    const start = async (args: string[] = []) => {
      const child = spawnEntry('src/demo.ts', env, args);
      const [, emulatorUrl] = await child.waitFor(/Broadstreet emulator serving (http:\/\/\S+)/);
      await child.waitFor(/serving GraphQL at http:\/\/\S+\/graphql/);
      return { child, emulatorUrl: emulatorUrl! };
    };
    try {
      const first = await start();
      const created = await createAdvertiser(first.emulatorUrl, 'Made Before The Restart');
      await expectCleanExit(first.child);

      const second = await start();
      expect(await advertiserNames(second.emulatorUrl)).toContain('Made Before The Restart');
      const next = await createAdvertiser(second.emulatorUrl, 'Made After The Restart');
      expect(next.id).toBeGreaterThan(created.id);
      await expectCleanExit(second.child);

      const fresh = await start(['--reset']);
      const names = await advertiserNames(fresh.emulatorUrl);
      expect(names).not.toContain('Made Before The Restart');
      expect(names).not.toContain('Made After The Restart');
      await expectCleanExit(fresh.child);
    } finally {
      for (const ext of ['', '-wal', '-shm', '.emulator.json', '.emulator.json.tmp']) rmSync(`${database}${ext}`, { force: true });
    }
  }, 240_000);
});
