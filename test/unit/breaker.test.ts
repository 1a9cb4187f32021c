// The circuit breaker: opens after several NETWORK failures in a row, holds
// calls while one probe at a time goes out, closes on an answer, fails held
// calls after the outage budget; its state shared through Redis.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BroadstreetError,
  BroadstreetUnreachableError,
  CircuitBreaker,
  RedisBreakerStore,
  describeOutage,
  type BreakerEvent,
} from '../../src/broadstreet/index.ts';
import { metricsText } from '../../src/observability/metrics.ts';
import { freePort } from '../helpers/process.ts';
import { PrivateRedis, redisServerAvailable } from '../helpers/redis-server.ts';

const network = () =>
  new BroadstreetError({ code: 'NETWORK', detail: 'connection refused', endpoint: 'GET /zones', causeCode: 'ECONNREFUSED' });
const validation = () => new BroadstreetError({ code: 'VALIDATION', detail: 'bad', endpoint: 'POST /zones', status: 422 });

async function fail(breaker: CircuitBreaker, n: number): Promise<void> {
  for (let i = 0; i < n; i++) await breaker.settled(network());
}

describe('CircuitBreaker (in-process)', () => {
  it('stays closed below the threshold, and any answer resets the streak', async () => {
    const breaker = new CircuitBreaker({ threshold: 3, probeIntervalMs: 100 });
    await fail(breaker, 2);
    await breaker.settled(validation());
    await fail(breaker, 2);
    expect(breaker.state).toBeNull();
    expect(await breaker.admit('GET /zones')).toMatchObject({ probe: false });
  });

  it('opens after the threshold: calls are held, one probe goes out, an answer closes it and the held calls go on', async () => {
    const breaker = new CircuitBreaker({ threshold: 3, probeIntervalMs: 400, pollMs: 20 });
    const events: BreakerEvent[] = [];
    breaker.subscribe((e) => events.push(e));
    const before = Date.now();
    await fail(breaker, 3);
    expect(breaker.state).toMatchObject({ openSince: expect.any(Number), nextProbeAt: expect.any(Number) });
    expect(breaker.state!.openSince).toBeGreaterThanOrEqual(before);
    expect(await metricsText()).toMatch(/^broadsync_broadstreet_reachable 0$/m);

    const admitted: { probe: boolean; heldMs: number }[] = [];
    const first = breaker.admit('POST /advertisers').then((a) => admitted.push(a));
    const second = breaker.admit('POST /zones').then((a) => admitted.push(a));
    await Promise.race([first, second]);
    // Exactly one of the held calls is the probe; the other is still held.
    expect(admitted).toEqual([{ probe: true, heldMs: expect.any(Number) }]);
    expect(admitted[0]!.heldMs).toBeGreaterThanOrEqual(350);
    await new Promise((r) => setTimeout(r, 60));
    expect(admitted).toHaveLength(1);
    await breaker.settled(undefined);
    await Promise.all([first, second]);
    expect(admitted[1]).toMatchObject({ probe: false });
    expect(breaker.state).toBeNull();
    expect(await metricsText()).toMatch(/^broadsync_broadstreet_reachable 1$/m);
    // The held call is told the next probe time again once the probe has moved it on.
    expect(events.map((e) => e.kind)).toEqual(['opened', 'waiting', 'waiting', 'closed']);
    expect(events[2]!.state.nextProbeAt).toBeGreaterThanOrEqual(events[1]!.state.nextProbeAt + 400);
    expect(describeOutage(events[1]!.state)).toMatch(
      /^Broadstreet unreachable since \d{4}-\d\d-\d\dT[\d:.]+Z; next probe at \d{4}-\d\d-\d\dT[\d:.]+Z$/,
    );
  });

  it('a failed probe moves the next one an interval on; held calls fail once the outage budget is spent', async () => {
    const breaker = new CircuitBreaker({ threshold: 2, probeIntervalMs: 100, outageBudgetMs: 450, pollMs: 20 });
    await fail(breaker, 2);
    const probes: number[] = [];
    let error: unknown;
    const callStartedAt = Date.now();
    for (;;) {
      try {
        // One call's attempts: each one is held, probes, fails.
        const { probe } = await breaker.admit('POST /advertisers', undefined, callStartedAt);
        expect(probe).toBe(true);
        probes.push(Date.now());
        await breaker.settled(network());
      } catch (e) {
        error = e;
        break;
      }
    }
    expect(probes.length).toBeGreaterThanOrEqual(3);
    expect(probes.length).toBeLessThanOrEqual(5);
    for (let i = 1; i < probes.length; i++) expect(probes[i]! - probes[i - 1]!).toBeGreaterThanOrEqual(95);
    expect(error).toBeInstanceOf(BroadstreetUnreachableError);
    expect((error as BroadstreetUnreachableError).retryable).toBe(false);
    expect((error as Error).message).toMatch(
      /POST \/advertisers: Broadstreet unreachable since .+Z, longer than the outage budget of 0\.5 s/,
    );
  });

  it('a held call gives up when its signal aborts', async () => {
    const breaker = new CircuitBreaker({ threshold: 1, probeIntervalMs: 10_000 });
    await fail(breaker, 1);
    const controller = new AbortController();
    const held = breaker.admit('GET /zones', controller.signal);
    controller.abort(new Error('stopping'));
    await expect(held).rejects.toThrow('stopping');
  });
});

const unavailable = redisServerAvailable();
if (unavailable && process.env.CI === 'true') throw new Error(`${unavailable}; CI=true requires it`);

describe.skipIf(!!unavailable)('CircuitBreaker shared through Redis', () => {
  let redis: PrivateRedis;
  beforeAll(async () => {
    redis = new PrivateRedis(await freePort());
    await redis.start();
  });
  afterAll(async () => {
    await redis?.kill();
  });

  it("one instance's failures hold the other's calls; one probe at a time for both; either's answer frees both", async () => {
    const key = `test:breaker:${process.pid}`;
    const ttl = 5_000;
    const a = new CircuitBreaker({ threshold: 3, probeIntervalMs: 200, pollMs: 20, store: new RedisBreakerStore(redis.url, ttl, key) });
    const b = new CircuitBreaker({ threshold: 3, probeIntervalMs: 200, pollMs: 20, store: new RedisBreakerStore(redis.url, ttl, key) });
    try {
      expect(await b.admit('GET /zones')).toMatchObject({ probe: false });
      await fail(a, 3);
      // B reads the shared state at most every pollMs.
      await new Promise((r) => setTimeout(r, 30));
      const bEvents: BreakerEvent[] = [];
      b.subscribe((e) => bEvents.push(e));
      const probes: string[] = [];
      const admitted = async (name: string, breaker: CircuitBreaker) => {
        const { probe } = await breaker.admit('POST /advertisers');
        if (probe) probes.push(name);
        return probe;
      };
      // Both instances hold calls; the first probe goes to one of them only.
      const heldA = admitted('A', a);
      const heldB = admitted('B', b);
      const firstProbe = await Promise.race([heldA, heldB]);
      expect(firstProbe).toBe(true);
      expect(probes).toHaveLength(1);
      await new Promise((r) => setTimeout(r, 80));
      expect(probes).toHaveLength(1);
      expect(bEvents[0]).toMatchObject({ kind: 'opened' });
      // The probe was answered on whichever instance sent it: both go on.
      await (probes[0] === 'A' ? a : b).settled(undefined);
      const [pa, pb] = await Promise.all([heldA, heldB]);
      expect([pa, pb].filter(Boolean)).toHaveLength(1);
      expect(a.state).toBeNull();
      expect(b.state).toBeNull();
      expect(bEvents.at(-1)).toMatchObject({ kind: 'closed' });
    } finally {
      await a.dispose();
      await b.dispose();
    }
  });
});
