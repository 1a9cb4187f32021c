// The client against the emulator over a real socket: the same contract as
// over msw, plus what only a socket shows (refused connections, keep-alive).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.ts';
import { clientContract } from './contract.ts';
import { closedPort, rejectionOf, testClient, TEST_TOKEN } from './helpers.ts';

let emu: RunningEmulator;
beforeAll(async () => {
  emu = await startEmulator({ seed: 21, size: 'small', token: TEST_TOKEN });
});
afterAll(() => emu.stop());

describe('client over a real socket', () => {
  clientContract({ baseUrl: () => emu.url, core: () => emu.core });

  it('reuses keep-alive connections', async () => {
    const client = testClient(emu.url);
    // The process's connection pool outlives tests: the ones before this left
    // sockets that a fault reset or an abort destroyed. One call settles it.
    await client.listNetworks();
    emu.stats.reset();
    for (let i = 0; i < 20; i++) await client.listNetworks();
    expect(emu.stats.total).toBe(20);
    expect(emu.stats.connections).toBeLessThanOrEqual(2);
  });

  it('a refused connection is retried, even for a write: nothing can have been sent', async () => {
    const port = await closedPort();
    const attempts: number[] = [];
    const error = await rejectionOf(
      testClient(`http://127.0.0.1:${port}/api/1`, { maxAttempts: 3 }).createAdvertiser(
        85,
        { name: 'Nowhere' },
        { onAttempt: (a) => attempts.push(a.attempt) },
      ),
    );
    expect(error).toMatchObject({ code: 'NETWORK', causeCode: 'ECONNREFUSED', retryable: true, outcomeUnknown: false, attempts: 3 });
    expect(attempts).toEqual([1, 2, 3]);
  });
});
