// `npm run emulator` as users run it: a real child process.
import { describe, expect, it } from 'vitest';
import { expectCleanExit, freePort, spawnEntry } from '../helpers/process.ts';

describe('standalone emulator', () => {
  it('serves on EMULATOR_PORT with the seed and size asked for, and prints its URL', async () => {
    const port = await freePort();
    const child = spawnEntry('src/emulator/main.ts', { EMULATOR_PORT: String(port), EMULATOR_TOKEN: 'cli-token' }, [
      '--seed',
      '9',
      '--size',
      'tiny',
      '--auth-status',
      '403',
    ]);
    try {
      const [, url] = await child.waitFor(/serving (http:\/\/\S+)/);
      expect(url).toBe(`http://127.0.0.1:${port}/api/1`);
      const ok = await fetch(`${url}/networks?access_token=cli-token`);
      expect((await ok.json()).networks[0]).toMatchObject({ id: 85, name: 'Demo Network' });
      expect((await fetch(`${url}/networks?access_token=demo-token`)).status).toBe(403);
      const data = await (await fetch(`http://127.0.0.1:${port}/__emulator/data`)).json();
      expect(data).toMatchObject({ seed: 9, size: { networks: 2 } });
    } finally {
      await expectCleanExit(child);
    }
  });

  it('refuses a bad option with a one-line reason and usage', async () => {
    const child = spawnEntry('src/emulator/main.ts', {}, ['--fault-kinds', 'meteor', '--fault-rate', '0.1']);
    expect(await child.exited).toBe(1);
    expect(child.output()).toMatch(/unknown fault kind "meteor"/);
    expect(child.output()).toMatch(/usage: npm run emulator/);
  });
});
