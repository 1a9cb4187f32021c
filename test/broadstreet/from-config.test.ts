import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { broadstreetFromConfig, MissingTokenError } from '../../src/broadstreet/index.ts';
import { loadConfig } from '../../src/config.ts';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.ts';

let emu: RunningEmulator;
beforeAll(async () => {
  emu = await startEmulator({ size: 'tiny', token: 'cfg-token' });
});
afterAll(() => emu.stop());

describe('broadstreetFromConfig', () => {
  it('builds the client and limiter from the environment', async () => {
    const config = loadConfig({ BROADSTREET_API_BASE_URL: emu.url, BROADSTREET_API_TOKEN: 'cfg-token', BROADSTREET_RATE_LIMIT_RPS: '500' });
    const broadstreet = broadstreetFromConfig(config);
    try {
      expect((await broadstreet.client.listNetworks())[0]!.name).toBe('Demo Network');
      expect(emu.stats.total).toBe(1);
    } finally {
      await broadstreet.close();
    }
  });

  it('refuses to build without a token', () => {
    expect(() => broadstreetFromConfig(loadConfig({}))).toThrow(MissingTokenError);
  });
});
