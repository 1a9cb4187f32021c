// `npm run demo`: the server and the emulator together, the server configured to call it.
import { rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { freePort, spawnEntry } from '../helpers/process.ts';

describe('demo', () => {
  it('starts the emulator and the server, and prints their URLs, the dashboard\'s among them', async () => {
    const [port, emulatorPort] = [await freePort(), await freePort()];
    const child = spawnEntry('src/demo.ts', { PORT: String(port), EMULATOR_PORT: String(emulatorPort), DATABASE_URL: `file:./.tmp/test/demo-${port}.db` });
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
    } finally {
      expect(await child.kill()).toBe(0);
      for (const ext of ['', '-wal', '-shm']) rmSync(`.tmp/test/demo-${port}.db${ext}`, { force: true });
    }
  });
});
