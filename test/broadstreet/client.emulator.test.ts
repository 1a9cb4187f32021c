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

  it('checks the write fence again as the request is written to its socket, and sends nothing once it throws', async () => {
    class Fenced extends Error {}
    const client = testClient(emu.url);
    const advertisers = () => [...emu.store.advertisers.values()].filter((a) => a.name.startsWith('Fence check'));
    // Passes when the attempt begins, throws when undici writes: a process paused between the two woke past its lease.
    let checks = 0;
    const late = client.withFence((endpoint) => {
      checks += 1;
      if (checks > 1) throw new Fenced(`${endpoint} not sent`);
    });
    emu.stats.reset();
    const error = await rejectionOf(late.createAdvertiser(85, { name: 'Fence check 1' }));
    expect(error).toBeInstanceOf(Fenced);
    expect(error.message).toBe('POST /advertisers not sent');
    expect(checks).toBe(2);
    expect(advertisers()).toEqual([]);
    expect(emu.stats.total).toBe(0);
    // Reads are not fenced; a fence that passes both times lets the write go, and the connection is still usable.
    let passes = 0;
    const fine = client.withFence(() => void (passes += 1));
    await fine.listNetworks();
    const created = await fine.createAdvertiser(85, { name: 'Fence check 2' });
    expect(passes).toBe(2);
    expect(advertisers().map((a) => [a.id, a.name])).toEqual([[created.id, 'Fence check 2']]);
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
