// Fault injection, the emulator's rate limit and the inspection API.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.ts';
import { inspect, postJson, raw } from './helpers.ts';

let emu: RunningEmulator;
beforeAll(async () => {
  emu = await startEmulator({ seed: 5, size: 'tiny' });
});
afterAll(() => emu.stop());
beforeEach(() => emu.reset());

const createAdvertiser = (name: string) => raw(emu, 'POST', '/advertisers', { query: { network_id: 85 }, json: { name } });
const countNamed = (name: string) => emu.store.advertisersOf(85).filter((a) => a.name === name).length;

describe('scripted faults', () => {
  it('5xx answers without acting', async () => {
    emu.faults.script({ kind: '5xx', endpoint: 'POST /advertisers', status: 500 });
    const res = await createAdvertiser('Five');
    expect(res).toMatchObject({ status: 500, json: { message: expect.any(String) } });
    expect(countNamed('Five')).toBe(0);
  });

  it('reset drops the connection without acting', async () => {
    emu.faults.script({ kind: 'reset', endpoint: 'POST /advertisers' });
    await expect(createAdvertiser('Reset')).rejects.toThrow(TypeError);
    expect(countNamed('Reset')).toBe(0);
  });

  it('created-then-dropped acts, then drops the connection', async () => {
    emu.faults.script({ kind: 'created-then-dropped', endpoint: 'POST /advertisers' });
    await expect(createAdvertiser('Dropped')).rejects.toThrow(TypeError);
    expect(countNamed('Dropped')).toBe(1);
    expect(emu.stats.created.advertiser).toBe(1);
  });

  it('html answers an HTML page, malformed a truncated body, empty no body', async () => {
    emu.faults.script({ kind: 'html', endpoint: 'GET /networks' }, { kind: 'html', endpoint: 'GET /networks', status: 200 });
    const html = await raw(emu, 'GET', '/networks');
    expect(html.status).toBe(502);
    expect(html.headers.get('content-type')).toContain('text/html');
    expect(html.text).toMatch(/^<!DOCTYPE html>/);
    expect((await raw(emu, 'GET', '/networks')).status).toBe(200);

    emu.faults.script({ kind: 'malformed', endpoint: 'POST /advertisers' });
    const malformed = await createAdvertiser('Half');
    expect(malformed.status).toBe(201);
    expect(() => JSON.parse(malformed.text)).toThrow();
    expect(countNamed('Half')).toBe(1);

    emu.faults.script({ kind: 'empty', endpoint: 'POST /advertisers' });
    const empty = await createAdvertiser('Empty');
    expect(empty).toMatchObject({ status: 201, text: '' });
    expect(countNamed('Empty')).toBe(1);
  });

  it('429 carries Retry-After; latency delays the answer', async () => {
    emu.faults.script({ kind: '429', retryAfter: 7 }, { kind: 'latency', latencyMs: 150 });
    const limited = await raw(emu, 'GET', '/networks');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('7');
    const started = performance.now();
    expect((await raw(emu, 'GET', '/networks')).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('applies a script to the next N matching requests only, leaving others alone', async () => {
    emu.faults.script({ kind: '5xx', count: 2, endpoint: 'GET /zones' });
    expect((await raw(emu, 'GET', '/networks')).status).toBe(200);
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await raw(emu, 'GET', '/zones', { query: { network_id: 85 } })).status);
    expect(statuses).toEqual([503, 503, 200]);
    expect(emu.faults.snapshot().script).toEqual([]);
  });

  it('matches query conditions: a parameter absent, present, or equal to a value', async () => {
    const advertiser = emu.store.advertisersOf(85)[0]!;
    const list = (query: Record<string, unknown>) => raw(emu, 'GET', '/advertisements', { query: { network_id: 85, ...query } });
    emu.faults.script({ kind: '5xx', status: 403, endpoint: 'GET /advertisements?!advertiser_id' });
    expect((await list({ advertiser_id: advertiser.id })).status).toBe(200);
    expect((await list({})).status).toBe(403);
    emu.faults.script({ kind: '5xx', endpoint: `GET /advertisements?advertiser_id=${advertiser.id}&network_id=85` });
    expect((await list({})).status).toBe(200);
    expect((await list({ advertiser_id: advertiser.id + 1 })).status).toBe(200);
    expect((await list({ advertiser_id: advertiser.id })).status).toBe(503);
    emu.faults.script({ kind: '5xx', endpoint: 'GET /advertisements?zone_id' });
    expect((await list({})).status).toBe(200);
    expect((await list({ zone_id: 1 })).status).toBe(503);
    expect(emu.faults.snapshot().script).toEqual([]);
  });
});

describe('faults by rate', () => {
  it('hits about the configured share, repeatably for a seed', async () => {
    const run = async () => {
      emu.reset();
      emu.faults.setRate({ rate: 0.3, kinds: ['5xx'] });
      const statuses: number[] = [];
      for (let i = 0; i < 60; i++) statuses.push((await raw(emu, 'GET', '/networks')).status);
      return statuses;
    };
    const first = await run();
    const failures = first.filter((s) => s === 503).length;
    expect(failures).toBeGreaterThan(8);
    expect(failures).toBeLessThan(30);
    expect(await run()).toEqual(first);
  });
});

describe('rate limit', () => {
  it('answers 429 with Retry-After beyond the configured requests per sliding second', async () => {
    const limited = await startEmulator({ size: 'tiny', rateLimit: { rps: 5 } });
    try {
      const statuses = await Promise.all(Array.from({ length: 8 }, () => raw(limited, 'GET', '/networks').then((r) => r)));
      expect(statuses.filter((r) => r.status === 200)).toHaveLength(5);
      const rejected = statuses.filter((r) => r.status === 429);
      expect(rejected).toHaveLength(3);
      expect(Number(rejected[0]!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(limited.stats.byStatus).toMatchObject({ 200: 5, 429: 3 });
    } finally {
      await limited.stop();
    }
  });
});

describe('inspection API', () => {
  it('reports requests per endpoint, the busiest second and creations', async () => {
    await Promise.all([raw(emu, 'GET', '/networks'), raw(emu, 'GET', '/networks'), createAdvertiser('Counted')]);
    const stats = await inspect(emu, '/stats');
    expect(stats.requests.byEndpoint).toEqual({ 'GET /networks': 2, 'POST /advertisers': 1 });
    expect(stats.requests.total).toBe(3);
    expect(stats.busiestSecond).toBe(3);
    expect(stats.created.advertiser).toBe(1);
    expect(stats.entities.advertiser).toBe(emu.store.advertisers.size);
  });

  it('reports duplicates by name within a scope that involve created entities', async () => {
    await createAdvertiser('Twice');
    await createAdvertiser('Twice');
    await raw(emu, 'POST', '/advertisers', { query: { network_id: 131 }, json: { name: 'Twice' } });
    const stats = await inspect(emu, '/stats');
    expect(stats.duplicates.createdByApi).toEqual([{ type: 'advertiser', scope: 'network:85', name: 'Twice', count: 2, createdByApi: 2 }]);
  });

  it('scripts faults and changes settings over HTTP, as another process would', async () => {
    const scripted = await inspect(emu, '/faults', postJson({ script: [{ kind: 'reset', endpoint: 'GET /networks' }] }));
    expect(scripted.script).toEqual([{ kind: 'reset', endpoint: 'GET /networks', count: 1 }]);
    await expect(raw(emu, 'GET', '/networks')).rejects.toThrow();
    const bad = await fetch(`${emu.origin}/__emulator/faults`, postJson({ script: [{ kind: 'meteor' }] }));
    expect(bad.status).toBe(400);
    const config = await inspect(emu, '/config', postJson({ authFailureStatus: 403 }));
    expect(config.authFailureStatus).toBe(403);
    expect((await raw(emu, 'GET', '/networks', { token: 'nope' })).status).toBe(403);
    emu.core.config = { ...emu.core.config, authFailureStatus: 401 };
  });

  it('resets data and statistics, and dumps one network', async () => {
    await createAdvertiser('Gone After Reset');
    await inspect(emu, '/reset', { method: 'POST' });
    expect(countNamed('Gone After Reset')).toBe(0);
    expect((await inspect(emu, '/stats')).requests.total).toBe(0);
    const data = await inspect(emu, '/data?network_id=85');
    expect(data.network.id).toBe(85);
    expect(data.advertisers).toHaveLength(emu.store.advertisersOf(85).length);
    expect(data.placements.length).toBeGreaterThan(0);
    expect((await inspect(emu, '/data')).networks).toContain(85);
  });

  it('never reuses an id after a reset, for seeded and created entities alike (issue 14 #12)', async () => {
    const idsOf = async () => {
      const advertisers = (await raw(emu, 'GET', '/advertisers', { query: { network_id: 85 } })).json.advertisers as { id: number }[];
      const zones = (await raw(emu, 'GET', '/zones', { query: { network_id: 85 } })).json.zones as { id: number }[];
      return [...advertisers, ...zones].map((e) => e.id);
    };
    const created = (await createAdvertiser('Before Reset')).json.advertiser.id as number;
    const before = await idsOf();
    await inspect(emu, '/reset', { method: 'POST' });
    const after = await idsOf();
    expect(after.length).toBeGreaterThan(0);
    expect(after.filter((id) => before.includes(id))).toEqual([]);
    const next = (await createAdvertiser('After Reset')).json.advertiser.id as number;
    const advertisersAfter = emu.store
      .advertisersOf(85)
      .filter((a) => a.id !== next)
      .map((a) => a.id);
    expect(next).toBeGreaterThan(Math.max(created, ...advertisersAfter));
  });

  it('keeps inspection requests out of the Broadstreet statistics', async () => {
    await inspect(emu, '/stats');
    expect(emu.stats.total).toBe(0);
  });
});
