// What each browser test file starts with: a server and the Broadstreet
// emulator in the demo's configuration (seed 42, network 85 imported), and
// headless Chromium; both stopped after the file.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import type { SizeName } from '../../src/emulator/seed.ts';
import { startSyncEnv, type SyncEnv } from '../helpers/sync.ts';
import { launchBrowser } from './browser.ts';

export const NETWORK = 85;

export interface DashboardHarness {
  env: SyncEnv;
  browser: Browser;
}

/** Registers beforeAll/afterAll in the calling describe; the fields are set once beforeAll ran. */
export function useDashboardHarness(size: SizeName): DashboardHarness {
  const harness = {} as DashboardHarness;
  beforeAll(async () => {
    [harness.env, harness.browser] = await Promise.all([startSyncEnv({ seed: 42, size }), launchBrowser()]);
    expect((await harness.env.sync({ networkId: NETWORK, direction: 'IMPORT' })).run.status).toBe('SUCCEEDED');
  });
  afterAll(async () => {
    await harness.browser?.close();
    await harness.env?.stop();
  });
  return harness;
}
