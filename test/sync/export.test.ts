// An export of local entities with local parents, end to end.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '../helpers/db.ts';
import { databaseSkipReason } from '../helpers/database.ts';
import { anyAdvertisement, localAdvertiser, localCampaign, localPlacement, localZone, networkRow } from '../helpers/local-entities.ts';
import { DEFAULT_CONCURRENCY } from '../../src/config.ts';
import { countsByType, phasesInOrder, startSyncEnv, type SyncEnv } from '../helpers/sync.ts';

const skip = databaseSkipReason();
const NETWORK = 85;

describe.skipIf(!!skip)('export', () => {
  let env: SyncEnv;
  beforeAll(async () => {
    env = await startSyncEnv({ size: 'tiny' });
    const { run } = await env.sync({ networkId: NETWORK, direction: 'IMPORT' });
    expect(run.status).toBe('SUCCEEDED');
  });
  afterAll(() => env?.stop());

  /**
   * Records every call the emulator receives as "METHOD /path name" (the name
   * in its body, if any), in arrival order; `hold` may keep one waiting.
   * `restore` puts the emulator's own handler back.
   */
  function recordCalls(hold?: (label: string) => Promise<void> | undefined) {
    const { core } = env.emulator;
    const handle = core.handle.bind(core);
    const calls: string[] = [];
    core.handle = async (call) => {
      const name = (JSON.parse(new TextDecoder().decode(call.body) || '{}') as { name?: string }).name;
      const label = `${call.method.toUpperCase()} ${call.path}${name ? ` ${name}` : ''}`;
      calls.push(label);
      await hold?.(label);
      return handle(call);
    };
    return { calls, restore: () => void (core.handle = handle) };
  }

  it('creates local entities in Broadstreet, parents first, and stores their ids', async () => {
    const network = await networkRow(NETWORK);
    const advertiser = await localAdvertiser(network.id, 'Acme Local', { webHomeUrl: 'https://acme.example', notes: 'new' });
    const campaign = await localCampaign(network.id, advertiser.id, 'Spring Push', {
      startDate: '2027-03-01',
      endDate: '2027-05-31',
      weight: 1.5,
      paused: true,
    });
    const zone = await localZone(network.id, 'Sidebar Local', { alias: 'sidebar-local' });
    const ad = await anyAdvertisement(network.id);
    const placement = await localPlacement(network.id, { campaignId: campaign.id, advertisementId: ad.id, zoneId: zone.id }, ['mobile']);
    const syncedAdvertiser = await db().advertiser.findFirstOrThrow({ where: { networkId: network.id, broadstreetId: { not: null } } });
    const campaignOfSynced = await localCampaign(network.id, syncedAdvertiser.id, 'Summer Push');
    const createdBefore = { ...env.emulator.stats.created };

    const { run, events } = await env.sync({ networkId: NETWORK, direction: 'EXPORT' });
    expect(run.status).toBe('SUCCEEDED');

    const store = env.emulator.store;
    const a = await db().advertiser.findUniqueOrThrow({ where: { id: advertiser.id } });
    const z = await db().zone.findUniqueOrThrow({ where: { id: zone.id } });
    const c = await db().campaign.findUniqueOrThrow({ where: { id: campaign.id } });
    const c2 = await db().campaign.findUniqueOrThrow({ where: { id: campaignOfSynced.id } });
    const p = await db().placement.findUniqueOrThrow({ where: { id: placement.id } });
    for (const row of [a, z, c, c2]) {
      expect(row.broadstreetId).not.toBeNull();
      expect(row.syncedAt).not.toBeNull();
      expect(row.intentName).toBeNull();
    }
    expect(p.syncedAt).not.toBeNull();
    expect(p.intentRunId).toBeNull();

    expect(store.advertisers.get(a.broadstreetId!)).toMatchObject({
      networkId: NETWORK,
      name: 'Acme Local',
      webHomeUrl: 'https://acme.example',
      notes: 'new',
    });
    expect(store.zones.get(z.broadstreetId!)).toMatchObject({ networkId: NETWORK, name: 'Sidebar Local', alias: 'sidebar-local' });
    expect(store.campaigns.get(c.broadstreetId!)).toMatchObject({
      advertiserId: a.broadstreetId,
      name: 'Spring Push',
      startDate: '2027-03-01',
      endDate: '2027-05-31',
      weight: 1.5,
      paused: true,
    });
    expect(store.campaigns.get(c2.broadstreetId!)).toMatchObject({ advertiserId: syncedAdvertiser.broadstreetId, name: 'Summer Push' });
    expect(store.placementsOf(c.broadstreetId!)).toEqual([
      expect.objectContaining({
        campaignId: c.broadstreetId,
        advertisementId: ad.broadstreetId,
        zoneId: z.broadstreetId,
        restrictions: ['mobile'],
      }),
    ]);

    const created = env.emulator.stats.created;
    expect(created.advertiser - createdBefore.advertiser).toBe(1);
    expect(created.zone - createdBefore.zone).toBe(1);
    expect(created.campaign - createdBefore.campaign).toBe(2);
    expect(created.placement - createdBefore.placement).toBe(1);

    expect(phasesInOrder(events)).toEqual(['VALIDATION', 'ADVERTISERS', 'ZONES', 'CAMPAIGNS', 'PLACEMENTS', 'CLEANUP']);
    for (let i = 1; i < events.length; i++) expect(events[i]!.percentage).toBeGreaterThanOrEqual(events[i - 1]!.percentage);
    expect(events.at(-1)).toMatchObject({ status: 'SUCCEEDED', percentage: 100 });
    expect(countsByType(run)).toEqual({
      ADVERTISER: { created: 1, updated: 0, unchanged: 0, failed: 0, skipped: 0 },
      ZONE: { created: 1, updated: 0, unchanged: 0, failed: 0, skipped: 0 },
      CAMPAIGN: { created: 2, updated: 0, unchanged: 0, failed: 0, skipped: 0 },
      PLACEMENT: { created: 1, updated: 0, unchanged: 0, failed: 0, skipped: 0 },
    });
  });

  it('creates under "Name (1)" when the name is taken in Broadstreet, and warns', async () => {
    const network = await networkRow(NETWORK);
    const taken = env.emulator.store.advertisersOf(NETWORK)[0]!.name;
    const twin = await localAdvertiser(network.id, taken);
    const { run, events } = await env.sync({ networkId: NETWORK, direction: 'EXPORT' });
    expect(run.status).toBe('SUCCEEDED');
    const row = await db().advertiser.findUniqueOrThrow({ where: { id: twin.id } });
    expect(row.name).toBe(`${taken} (1)`);
    expect(env.emulator.store.advertisers.get(row.broadstreetId!)!.name).toBe(`${taken} (1)`);
    expect(events.flatMap((e) => e.warnings)).toContainEqual(expect.stringContaining(`created as "${taken} (1)"`));
  });

  it('pipelines the phases: a campaign goes out while another advertiser is still being created, and its own waits for it', async () => {
    const network = await networkRow(NETWORK);
    const held = await localAdvertiser(network.id, 'Pipeline Held');
    const free = await localAdvertiser(network.id, 'Pipeline Free');
    const heldCampaign = await localCampaign(network.id, held.id, 'Campaign of the held one');
    const freeCampaign = await localCampaign(network.id, free.id, 'Campaign of the free one');
    // The emulator holds the create of one advertiser until the other's campaign has arrived.
    const { store } = env.emulator;
    let release = () => {};
    const holding = new Promise<void>((resolve) => (release = resolve));
    const { calls: sent, restore } = recordCalls((label) => (label === 'POST /advertisers Pipeline Held' ? holding : undefined));
    try {
      const started = await env.startSync({ networkId: NETWORK, direction: 'EXPORT' });
      const runId = started.run.id as string;
      const following = env.follow(runId);
      const deadline = Date.now() + 10_000;
      while (!sent.includes('POST /campaigns Campaign of the free one') && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 10));
      // The free advertiser's campaign was sent while the held advertiser's create had no answer yet.
      expect(sent).toContain('POST /campaigns Campaign of the free one');
      expect(sent).not.toContain('POST /campaigns Campaign of the held one');
      expect([...store.advertisers.values()].some((a) => a.name === 'Pipeline Held')).toBe(false);
      release();
      const events = await following;
      const run = await env.run(runId);
      expect(run.status).toBe('SUCCEEDED');
      // The held one's campaign went out only after its advertiser, under its Broadstreet id.
      expect(sent.indexOf('POST /campaigns Campaign of the held one')).toBeGreaterThan(sent.indexOf('POST /advertisers Pipeline Held'));
      const [a, c] = await Promise.all([
        db().advertiser.findUniqueOrThrow({ where: { id: held.id } }),
        db().campaign.findUniqueOrThrow({ where: { id: heldCampaign.id } }),
      ]);
      expect(store.campaigns.get(c.broadstreetId!)).toMatchObject({ advertiserId: a.broadstreetId, name: 'Campaign of the held one' });
      expect((await db().campaign.findUniqueOrThrow({ where: { id: freeCampaign.id } })).broadstreetId).not.toBeNull();
      // Progress still goes phase by phase: in order, monotone, and no phase counts more than its own work.
      expect(phasesInOrder(events)).toEqual(['VALIDATION', 'ADVERTISERS', 'ZONES', 'CAMPAIGNS', 'PLACEMENTS', 'CLEANUP']);
      for (let i = 1; i < events.length; i++) expect(events[i]!.percentage).toBeGreaterThanOrEqual(events[i - 1]!.percentage);
      for (const e of events) expect(e.current, `${e.phase} ${e.current}/${e.total}`).toBeLessThanOrEqual(e.total);
      expect(countsByType(run)).toMatchObject({ ADVERTISER: { created: 2, failed: 0 }, CAMPAIGN: { created: 2, failed: 0 } });
    } finally {
      release();
      restore();
    }
  });

  it("reads the zones' names while the advertisers are created, not once their phase has started them all; each list once", async () => {
    const network = await networkRow(NETWORK);
    // More advertisers than calls in flight (DEFAULT_CONCURRENCY): the zones' phase begins only once some have finished.
    const advertisers = Array.from({ length: DEFAULT_CONCURRENCY * 2 }, (_, i) => `Prefetch Advertiser ${i}`);
    for (const name of advertisers) await localAdvertiser(network.id, name);
    const zone = await localZone(network.id, 'Prefetch Zone');
    // The emulator holds the advertisers' list, which every advertiser's create waits for.
    let release = () => {};
    const holding = new Promise<void>((resolve) => (release = resolve));
    const { calls, restore } = recordCalls((label) => (label === 'GET /advertisers' ? holding : undefined));
    let following: Promise<unknown> | undefined;
    try {
      const started = await env.startSync({ networkId: NETWORK, direction: 'EXPORT' });
      const runId = started.run.id as string;
      following = env.follow(runId);
      const deadline = Date.now() + 10_000;
      while (!calls.includes('GET /zones') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      // The zones' list went out while no advertiser could be created yet.
      expect(calls).toEqual(['GET /advertisers', 'GET /zones']);
      release();
      await following;
      expect((await env.run(runId)).status).toBe('SUCCEEDED');
      expect(calls.filter((c) => c.startsWith('GET '))).toEqual(['GET /advertisers', 'GET /zones']);
      expect(calls.filter((c) => c.startsWith('POST /advertisers '))).toHaveLength(advertisers.length);
      // The zone's create waited for its phase, which begins once DEFAULT_CONCURRENCY advertisers had been created.
      const advertiserCreates = calls.flatMap((c, i) => (c.startsWith('POST /advertisers ') ? [i] : []));
      expect(calls.indexOf('POST /zones Prefetch Zone')).toBeGreaterThan(advertiserCreates[DEFAULT_CONCURRENCY - 1]!);
      expect((await db().zone.findUniqueOrThrow({ where: { id: zone.id } })).broadstreetId).not.toBeNull();
    } finally {
      release();
      // A failed expectation leaves no run going for the tests after it.
      await following?.catch(() => {});
      restore();
    }
  });

  it('reads no list of names for a type it creates nothing of', async () => {
    const network = await networkRow(NETWORK);
    await localAdvertiser(network.id, 'Only Advertisers');
    const { calls, restore } = recordCalls();
    try {
      const { run } = await env.sync({ networkId: NETWORK, direction: 'EXPORT' });
      expect(run.status).toBe('SUCCEEDED');
      expect(calls).toEqual(['GET /advertisers', 'POST /advertisers Only Advertisers']);
    } finally {
      restore();
    }
  });

  it('an export with nothing local succeeds doing nothing', async () => {
    const before = env.emulator.stats.total;
    const { run } = await env.sync({ networkId: NETWORK, direction: 'EXPORT' });
    expect(run.status).toBe('SUCCEEDED');
    expect(run.counts).toEqual([]);
    expect(env.emulator.stats.total).toBe(before);
  });
});
