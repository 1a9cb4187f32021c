// A process stopped across several ticks of a schedule: when one starts
// again, the missed ticks coalesce into one run, not one run each, and the
// next tick is back on the schedule's grid after now.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.ts';
import { createServices, type AppServices } from '../../src/services.ts';
import { createSchedule } from '../../src/sync/schedules/schedule.service.ts';
import { createTestDatabase, databaseSkipReason, TEST_PROVIDER, type TestDatabase } from '../helpers/database.ts';

const skip = databaseSkipReason();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(!!skip)(`schedules across a stopped process (${TEST_PROVIDER})`, () => {
  let emulator: RunningEmulator;
  let database: TestDatabase;
  let services: AppServices | undefined;
  beforeAll(async () => {
    emulator = await startEmulator({ size: 'tiny' });
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await services?.close();
    await emulator?.stop();
    await database?.drop();
  });

  const open = async () => {
    const config = loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DATABASE_URL: database.url,
      BROADSTREET_API_BASE_URL: emulator.url,
      BROADSTREET_API_TOKEN: emulator.config.token,
      BROADSTREET_RATE_LIMIT_RPS: '1000',
    });
    const opened = await createServices(config);
    await opened.start();
    return opened;
  };

  it('yields one run when it starts again, not one per missed tick', async () => {
    services = await open();
    const schedule = await createSchedule(services, { networkId: 85, direction: 'IMPORT', entityTypes: ['NETWORK'], every: 'PT2S' });
    const scheduled = () => services!.db.syncRun.count({ where: { scheduleId: schedule.id } });
    for (let i = 0; i < 60 && (await scheduled()) < 1; i++) await sleep(100);
    expect(await scheduled()).toBe(1);
    const ended = () => services!.db.syncRun.count({ where: { scheduleId: schedule.id, finishedAt: { not: null } } });
    for (let i = 0; i < 60 && (await ended()) < 1; i++) await sleep(50);
    await services.close();
    services = undefined;

    // Stopped for four ticks or so.
    await sleep(8_500);
    services = await open();
    const { db } = services;
    for (let i = 0; i < 30 && (await scheduled()) < 2; i++) await sleep(50);
    const afterRestart = await db.syncScheduleTick.findMany({ where: { scheduleId: schedule.id }, orderBy: { id: 'asc' } });
    expect(afterRestart).toHaveLength(2);
    const coalesced = afterRestart[1]!;
    expect(coalesced.outcome).toBe('STARTED');
    expect(coalesced.reason).toMatch(/^[45] ticks fell due while no process ran/);
    expect(await scheduled()).toBe(2);
    const row = await db.syncSchedule.findUniqueOrThrow({ where: { id: schedule.id } });
    // Next tick: on the grid (a whole number of intervals after the first), after now.
    expect(row.nextRunAt!.getTime()).toBeGreaterThan(Date.now() - 500);
    expect((row.nextRunAt!.getTime() - afterRestart[0]!.dueAt.getTime()) % 2000).toBe(0);
  }, 40_000);
});
