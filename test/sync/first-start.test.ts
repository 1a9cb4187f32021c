// SYNC_IMPORT_ON_EMPTY: a server that starts on a database without networks
// imports every network the token can see, once, as ordinary runs; without a
// token it does nothing and says why; a restart never imports again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.ts';
import { createServices, type AppServices } from '../../src/services.ts';
import type { FirstStartResult } from '../../src/sync/first-start.ts';
import { captureLogs } from '../broadstreet/helpers.ts';
import { createTestDatabase, databaseSkipReason, TEST_PROVIDER, type TestDatabase } from '../helpers/database.ts';

const skip = databaseSkipReason();

describe.skipIf(!!skip)(`first start (${TEST_PROVIDER})`, () => {
  let emulator: RunningEmulator;
  let database: TestDatabase;
  const open: AppServices[] = [];
  beforeAll(async () => {
    emulator = await startEmulator({ size: 'tiny' });
    database = await createTestDatabase();
  });
  afterAll(async () => {
    for (const services of open) await services.close();
    await emulator?.stop();
    await database?.drop();
  });

  const start = async (env: Record<string, string>, logs = captureLogs()) => {
    const config = loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      DATABASE_URL: database.url,
      BROADSTREET_RATE_LIMIT_RPS: '1000',
      ...env,
    });
    const services = await createServices(config, { logger: logs.logger });
    open.push(services);
    await services.start();
    return { services, result: (await services.firstStart) as FirstStartResult | null, logs };
  };
  const close = async (services: AppServices) => {
    open.splice(open.indexOf(services), 1);
    await services.close();
  };

  it('without a token does nothing and says why', async () => {
    const { services, result, logs } = await start({ SYNC_IMPORT_ON_EMPTY: 'true' });
    expect(result!.skipped).toMatch(/BROADSTREET_API_TOKEN is not set/);
    expect(logs.text()).toMatch(/SYNC_IMPORT_ON_EMPTY: BROADSTREET_API_TOKEN is not set/);
    expect(await services.db.syncRun.count()).toBe(0);
    await close(services);
  });

  it('off by default: an empty database stays empty', async () => {
    const { services, result } = await start({ BROADSTREET_API_BASE_URL: emulator.url, BROADSTREET_API_TOKEN: emulator.config.token });
    expect(result).toBeNull();
    expect(await services.db.syncRun.count()).toBe(0);
    await close(services);
  });

  it('imports every network the token can see, once, as ordinary runs; a restart imports nothing', async () => {
    const env = { SYNC_IMPORT_ON_EMPTY: 'true', BROADSTREET_API_BASE_URL: emulator.url, BROADSTREET_API_TOKEN: emulator.config.token };
    const { services, result } = await start(env);
    const visible = (await (await fetch(`${emulator.url}/networks?access_token=${emulator.config.token}`)).json()).networks as {
      id: number;
    }[];
    expect(result!.skipped).toBeNull();
    expect(result!.runIds).toHaveLength(visible.length);
    const runs = await services.db.syncRun.findMany({ orderBy: { id: 'asc' } });
    expect(runs.map((r) => [r.networkId, r.direction, r.trigger, r.status])).toEqual(
      visible
        .map((n) => n.id)
        .sort((a, b) => a - b)
        .map((id) => [id, 'IMPORT', 'FIRST_START', 'SUCCEEDED']),
    );
    const networks = await services.db.network.findMany({ where: { syncedAt: { not: null } }, select: { broadstreetId: true } });
    expect(networks.map((n) => n.broadstreetId).sort()).toEqual(visible.map((n) => n.id).sort());
    await close(services);

    const again = await start(env);
    expect(again.result!.skipped).toMatch(/has networks already/);
    expect(await again.services.db.syncRun.count()).toBe(runs.length);
    await close(again.services);
  }, 60_000);
});
