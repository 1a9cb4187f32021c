// The client's behaviour, written once and run twice: against msw handlers
// driven by the emulator's core, and against the emulator over a real socket.
import { beforeEach, describe, expect, it } from 'vitest';
import { BroadstreetError, type AttemptInfo, type BroadstreetClientOptions } from '../../src/broadstreet/index.ts';
import type { EmulatorCore } from '../../src/emulator/index.ts';
import { rejectionOf, testClient } from './helpers.ts';

export interface ContractSetup {
  baseUrl(): string;
  core(): EmulatorCore;
  /** Options every client gets (over msw: send through the fetch msw intercepts). */
  clientOptions?: Partial<BroadstreetClientOptions>;
}

export function clientContract(setup: ContractSetup): void {
  const client = (overrides: Partial<BroadstreetClientOptions> = {}) =>
    testClient(setup.baseUrl(), { ...setup.clientOptions, ...overrides });
  const store = () => setup.core().store;
  const faults = () => setup.core().faults;
  const stats = () => setup.core().stats;
  const advertiserWithCampaigns = () =>
    store()
      .advertisersOf(85)
      .find((a) => store().campaignsOf(a.id).length > 0 && store().advertisementsOfAdvertiser(a.id).length > 0)!;

  beforeEach(() => setup.core().reset());

  describe('reads', () => {
    it('lists and gets networks, normalised', async () => {
      const networks = await client().listNetworks();
      expect(networks.map((n) => n.id)).toEqual([...store().networks.keys()]);
      const seeded = store().networks.get(85)!;
      expect(networks[0]).toEqual({
        id: 85,
        name: 'Demo Network',
        groupId: seeded.groupId,
        webHomeUrl: seeded.webHomeUrl,
        logoUrl: seeded.logoUrl,
        valetActive: seeded.valetActive,
        path: '/networks/85',
        advertiserCount: null,
        zoneCount: null,
      });
      const network = await client().getNetwork(85);
      expect(network).toMatchObject({ id: 85, advertiserCount: store().advertisersOf(85).length, zoneCount: store().zonesOf(85).length });
    });

    it('lists and gets advertisers, keeping nulls and scheme-less URLs', async () => {
      const advertisers = await client().listAdvertisers(85);
      const seeded = store().advertisersOf(85);
      expect(advertisers.map((a) => a.name)).toEqual(seeded.map((a) => a.name));
      for (const [i, a] of advertisers.entries()) {
        expect(a).toEqual({
          id: seeded[i]!.id,
          name: seeded[i]!.name,
          logoUrl: seeded[i]!.logoUrl,
          webHomeUrl: seeded[i]!.webHomeUrl,
          notes: seeded[i]!.notes,
          admins: seeded[i]!.admins,
        });
      }
      expect(await client().getAdvertiser(seeded[0]!.id)).toEqual(advertisers[0]);
    });

    it('lists and gets zones, names with newlines intact', async () => {
      const zone = store().zonesOf(85)[0]!;
      zone.name = 'Sidebar\nTop';
      const zones = await client().listZones(85);
      expect(zones[0]).toEqual({ id: zone.id, name: 'Sidebar\nTop', networkId: 85, alias: zone.alias, selfServe: zone.selfServe });
      expect(await client().getZone(zone.id)).toEqual(zones[0]);
    });

    it('lists advertisements with the advertiser name, by network, advertiser or zone', async () => {
      const advertiser = advertiserWithCampaigns();
      const all = await client().listAdvertisements(85);
      expect(all).toHaveLength(store().advertisementsOf(85).length);
      const mine = await client().listAdvertisements(85, { advertiserId: advertiser.id });
      expect(mine.map((a) => a.id)).toEqual(
        store()
          .advertisementsOfAdvertiser(advertiser.id)
          .map((a) => a.id),
      );
      expect(mine[0]).toMatchObject({
        advertiserName: advertiser.name,
        type: expect.stringMatching(/Advertisement$/),
        previewUrl: expect.any(String),
      });
      const placement = store().placementsOf(store().campaignsOf(advertiser.id)[0]!.id)[0]!;
      const inZone = await client().listAdvertisements(85, { zoneId: placement.zoneId });
      expect(inZone.map((a) => a.id)).toContain(placement.advertisementId);
    });

    it('lists campaigns by advertiser or zone; weight names become numbers, null dates and display types stay null', async () => {
      const advertiser = advertiserWithCampaigns();
      const [first, second] = store().campaignsOf(advertiser.id);
      Object.assign(first!, { weight: 127, startDate: null, endDate: null, displayType: null });
      if (second) second.weight = 0.5;
      const campaigns = await client().listCampaigns({ advertiserId: advertiser.id });
      expect(campaigns[0]).toMatchObject({
        id: first!.id,
        advertiserId: advertiser.id,
        weight: 127,
        startDate: null,
        endDate: null,
        displayType: null,
      });
      if (second) expect(campaigns[1]!.weight).toBe(0.5);
      const zoneId = store().placementsOf(first!.id)[0]?.zoneId;
      if (zoneId) expect((await client().listCampaigns({ zoneId })).map((c) => c.id)).toContain(first!.id);
      expect(await client().getCampaign(first!.id)).toEqual(campaigns[0]);
    });

    it('lists placements from the bare array', async () => {
      const campaign = [...store().campaigns.values()].find((c) => store().placementsOf(c.id).length > 0)!;
      const placements = await client().listPlacements(campaign.id);
      expect(placements).toEqual(
        store()
          .placementsOf(campaign.id)
          .map((p) => ({ advertisementId: p.advertisementId, zoneId: p.zoneId, restrictions: p.restrictions })),
      );
    });
  });

  describe('writes', () => {
    it('creates an advertiser and a zone', async () => {
      const advertiser = await client().createAdvertiser(85, { name: 'Fresh Co', webHomeUrl: 'fresh.example', notes: null });
      expect(advertiser).toMatchObject({ name: 'Fresh Co', webHomeUrl: 'fresh.example', notes: null });
      expect(store().advertisers.get(advertiser.id)).toMatchObject({ networkId: 85, name: 'Fresh Co', origin: 'api' });
      const zone = await client().createZone(85, { name: 'New Zone', alias: 'nz', selfServe: true });
      expect(zone).toEqual({ id: zone.id, name: 'New Zone', networkId: 85, alias: 'nz', selfServe: true });
      expect(store().zones.get(zone.id)).toMatchObject({ alias: 'nz', selfServe: true });
    });

    it('creates a campaign: weight sent as a number, read back as its number; write-only fields stored', async () => {
      const advertiser = advertiserWithCampaigns();
      const campaign = await client().createCampaign(advertiser.id, {
        name: 'Summer Push',
        startDate: '2025-06-01',
        endDate: null,
        weight: 1.5,
        displayType: 'allow_repeat_campaign',
        pacingType: 'even',
        impressionMaxType: 'cap',
        paused: true,
        notes: 'from test',
        maxImpressionCount: 5000,
        archived: false,
      });
      expect(campaign).toMatchObject({
        name: 'Summer Push',
        advertiserId: advertiser.id,
        startDate: '2025-06-01',
        endDate: null,
        weight: 1.5,
        displayType: 'allow_repeat_campaign',
        maxImpressionCount: 5000,
        active: false,
      });
      expect(store().campaigns.get(campaign.id)).toMatchObject({
        weight: 1.5,
        paused: true,
        notes: 'from test',
        pacingType: 'even',
        archived: false,
      });
    });

    it('creates a placement (201, empty body) sending restrictions as one comma-joined string', async () => {
      const advertiser = advertiserWithCampaigns();
      const campaignId = store().campaignsOf(advertiser.id)[0]!.id;
      const advertisementId = store().advertisementsOfAdvertiser(advertiser.id)[0]!.id;
      const zoneId = store()
        .zonesOf(85)
        .find((z) => !store().placements.has(`${campaignId}:${advertisementId}:${z.id}`))!.id;
      await expect(
        client().createPlacement({ campaignId, advertisementId, zoneId, restrictions: ['mobile', 'tablet'] }),
      ).resolves.toBeUndefined();
      expect(store().placementsOf(campaignId)).toContainEqual(
        expect.objectContaining({ advertisementId, zoneId, restrictions: ['mobile', 'tablet'] }),
      );
      const again = await rejectionOf(client().createPlacement({ campaignId, advertisementId, zoneId }));
      expect(again).toMatchObject({
        code: 'VALIDATION',
        status: 422,
        fieldErrors: { zone_id: 'has already been taken' },
        outcomeUnknown: false,
      });
    });

    it('updates and deletes', async () => {
      const advertiser = advertiserWithCampaigns();
      expect(await client().updateAdvertiser(advertiser.id, { notes: 'updated' })).toMatchObject({ id: advertiser.id, notes: 'updated' });
      const campaign = store().campaignsOf(advertiser.id)[0]!;
      expect((await client().updateCampaign(campaign.id, { weight: 0 })).weight).toBe(0);
      const placement = store().placementsOf(campaign.id)[0]!;
      await client().deletePlacement(placement);
      expect(store().placementsOf(campaign.id)).not.toContainEqual(placement);
      const zone = await client().createZone(85, { name: 'Temp' });
      expect((await client().updateZone(zone.id, { name: 'Temp 2' })).name).toBe('Temp 2');
      await client().deleteZone(zone.id);
      await client().deleteCampaign(campaign.id);
      await client().deleteAdvertiser(advertiser.id);
      expect([store().zones.has(zone.id), store().campaigns.has(campaign.id), store().advertisers.has(advertiser.id)]).toEqual([
        false,
        false,
        false,
      ]);
    });
  });

  describe('error classes', () => {
    it('NOT_FOUND for an unknown id, not retried', async () => {
      const error = await rejectionOf(client().getAdvertiser(1));
      expect(error).toBeInstanceOf(BroadstreetError);
      expect(error).toMatchObject({
        code: 'NOT_FOUND',
        status: 404,
        retryable: false,
        endpoint: 'GET /advertisers/1',
        attempts: 1,
        outcomeUnknown: false,
      });
      expect(stats().byEndpoint['GET /advertisers/{id}']).toBe(1);
    });

    it('VALIDATION with the field messages for a 422, and for a 400', async () => {
      const error = await rejectionOf(client().createAdvertiser(85, { name: '' }));
      expect(error).toMatchObject({
        code: 'VALIDATION',
        status: 422,
        retryable: false,
        endpoint: 'POST /advertisers',
        fieldErrors: { name: "can't be blank" },
        outcomeUnknown: false,
      });
      expect(error.message).toContain("name can't be blank");
      const refused = await rejectionOf(client().listAdvertisers(0));
      expect(refused).toMatchObject({ code: 'VALIDATION', status: 400, endpoint: 'GET /advertisers' });
      expect(refused.message).toContain('network_id must be an integer id');
    });

    it('AUTH for a bad token (401), FORBIDDEN for a refusal (403), neither retried', async () => {
      const wrong = client({ token: 'wrong-token' });
      expect(await rejectionOf(wrong.listNetworks())).toMatchObject({ code: 'AUTH', status: 401, retryable: false, attempts: 1 });
      setup.core().config = { ...setup.core().config, authFailureStatus: 403 };
      expect(await rejectionOf(wrong.listNetworks())).toMatchObject({ code: 'FORBIDDEN', status: 403, retryable: false, attempts: 1 });
      expect(stats().total).toBe(2);
    });

    it('RATE_LIMIT is retried after Retry-After, also for a write', async () => {
      faults().script({ kind: '429', retryAfter: 1, endpoint: 'POST /advertisers' });
      const attempts: AttemptInfo[] = [];
      const created = await client().createAdvertiser(85, { name: 'Patient' }, { onAttempt: (a) => attempts.push(a) });
      expect(attempts).toHaveLength(1);
      expect(attempts[0]).toMatchObject({
        endpoint: 'POST /advertisers',
        attempt: 1,
        willRetry: true,
        error: { code: 'RATE_LIMIT', status: 429, retryable: true },
      });
      expect(attempts[0]!.delayMs).toBeGreaterThanOrEqual(1000);
      expect(
        store()
          .advertisersOf(85)
          .filter((a) => a.name === 'Patient'),
      ).toEqual([expect.objectContaining({ id: created.id })]);
    });

    it('RATE_LIMIT surfaces when attempts run out', async () => {
      faults().script({ kind: '429', retryAfter: 0, count: 3 });
      const attempts: AttemptInfo[] = [];
      const error = await rejectionOf(client({ maxAttempts: 3 }).listNetworks({ onAttempt: (a) => attempts.push(a) }));
      expect(error).toMatchObject({ code: 'RATE_LIMIT', retryable: true, attempts: 3 });
      expect(attempts.map((a) => [a.attempt, a.willRetry])).toEqual([
        [1, true],
        [2, true],
        [3, false],
      ]);
      expect(attempts[2]!.delayMs).toBeUndefined();
    });

    it('NETWORK 5xx and HTML pages on a read are retried until they pass', async () => {
      faults().script({ kind: '5xx', endpoint: 'GET /zones' }, { kind: 'html', endpoint: 'GET /zones' });
      const attempts: AttemptInfo[] = [];
      const zones = await client().listZones(85, { onAttempt: (a) => attempts.push(a) });
      expect(zones).toHaveLength(store().zonesOf(85).length);
      expect(attempts.map((a) => [a.error?.code, a.error?.status])).toEqual([
        ['NETWORK', 503],
        ['NETWORK', 502],
      ]);
      expect(stats().byEndpoint['GET /zones']).toBe(3);
    });

    it('NETWORK for HTML, truncated JSON or an empty body on a 200, naming the endpoint', async () => {
      faults().script(
        { kind: 'html', status: 200, endpoint: 'GET /networks' },
        { kind: 'malformed', endpoint: 'GET /networks' },
        { kind: 'empty', endpoint: 'GET /networks' },
      );
      const once = client({ maxAttempts: 1 });
      const html = await rejectionOf(once.listNetworks());
      expect(html).toMatchObject({ code: 'NETWORK', status: 200, endpoint: 'GET /networks', retryable: true, outcomeUnknown: false });
      expect(html.message).toBe('GET /networks: answered 200 with an HTML page instead of JSON');
      expect((await rejectionOf(once.listNetworks())).message).toContain('malformed (possibly truncated) JSON');
      expect((await rejectionOf(once.listNetworks())).message).toContain('an empty body');
    });

    it('a 5xx on a create is NOT retried: the outcome is unknown', async () => {
      faults().script({ kind: '5xx', endpoint: 'POST /advertisers' });
      const attempts: AttemptInfo[] = [];
      const error = await rejectionOf(client().createAdvertiser(85, { name: 'Maybe' }, { onAttempt: (a) => attempts.push(a) }));
      expect(error).toMatchObject({ code: 'NETWORK', status: 503, retryable: false, outcomeUnknown: true, attempts: 1 });
      expect(attempts).toEqual([expect.objectContaining({ attempt: 1, willRetry: false })]);
      expect(stats().byEndpoint['POST /advertisers']).toBe(1);
    });

    it('a dropped connection on a create: outcome unknown, whether or not it was created', async () => {
      faults().script({ kind: 'reset', endpoint: 'POST /zones' }, { kind: 'created-then-dropped', endpoint: 'POST /zones' });
      const notCreated = await rejectionOf(client().createZone(85, { name: 'Lost' }));
      const created = await rejectionOf(client().createZone(85, { name: 'Made' }));
      for (const error of [notCreated, created])
        expect(error).toMatchObject({ code: 'NETWORK', retryable: false, outcomeUnknown: true, endpoint: 'POST /zones' });
      expect(
        store()
          .zonesOf(85)
          .map((z) => z.name),
      ).toEqual(expect.arrayContaining(['Made']));
      expect(
        store()
          .zonesOf(85)
          .map((z) => z.name),
      ).not.toContain('Lost');
    });

    it('a create answered with garbage: outcome unknown (it was accepted, its id cannot be read)', async () => {
      faults().script({ kind: 'malformed', endpoint: 'POST /campaigns' }, { kind: 'empty', endpoint: 'POST /campaigns' });
      const advertiserId = advertiserWithCampaigns().id;
      for (const name of ['Garbled', 'Blank']) {
        const error = await rejectionOf(client().createCampaign(advertiserId, { name }));
        expect(error).toMatchObject({ code: 'NETWORK', status: 201, outcomeUnknown: true, retryable: false });
        expect(
          store()
            .campaignsOf(advertiserId)
            .filter((c) => c.name === name),
        ).toHaveLength(1);
      }
    });

    it('a placement create needs no body: a garbled one still counts as created', async () => {
      const advertiser = advertiserWithCampaigns();
      const campaignId = store().campaignsOf(advertiser.id)[0]!.id;
      const advertisementId = store().advertisementsOfAdvertiser(advertiser.id)[0]!.id;
      const zoneId = store()
        .zonesOf(85)
        .find((z) => !store().placements.has(`${campaignId}:${advertisementId}:${z.id}`))!.id;
      faults().script({ kind: 'malformed', endpoint: 'POST /placements' });
      await client().createPlacement({ campaignId, advertisementId, zoneId });
      expect(store().placements.has(`${campaignId}:${advertisementId}:${zoneId}`)).toBe(true);
    });

    it('NETWORK on a timeout: retried for a read, outcome unknown for a write', async () => {
      faults().script({ kind: 'latency', latencyMs: 300, endpoint: 'GET /networks' });
      const attempts: AttemptInfo[] = [];
      const networks = await client({ timeoutMs: 100 }).listNetworks({ onAttempt: (a) => attempts.push(a) });
      expect(networks.length).toBeGreaterThan(0);
      expect(attempts[0]!.error).toMatchObject({ code: 'NETWORK', causeCode: 'TIMEOUT', retryable: true });
      faults().script({ kind: 'latency', latencyMs: 300, endpoint: 'POST /advertisers' });
      const error = await rejectionOf(client({ timeoutMs: 100 }).createAdvertiser(85, { name: 'Slow' }));
      expect(error).toMatchObject({ code: 'NETWORK', causeCode: 'TIMEOUT', outcomeUnknown: true, retryable: false });
      expect(error.message).toBe('POST /advertisers: timed out after 100 ms; the write may or may not have taken effect');
    });
  });

  describe('cancellation', () => {
    it('an already aborted signal sends nothing', async () => {
      const controller = new AbortController();
      controller.abort(new Error('stop'));
      await expect(client().listNetworks({ signal: controller.signal })).rejects.toThrow('stop');
      expect(stats().total).toBe(0);
    });

    it('aborting during a backoff stops the retries with the signal reason', async () => {
      faults().script({ kind: '5xx', count: 5, endpoint: 'GET /networks' });
      const controller = new AbortController();
      const slow = client({ retry: { baseDelayMs: 60_000, maxDelayMs: 60_000 } });
      const pending = slow.listNetworks({ signal: controller.signal, onAttempt: () => controller.abort(new Error('cancelled by run')) });
      await expect(pending).rejects.toThrow('cancelled by run');
      expect(stats().byEndpoint['GET /networks']).toBe(1);
    });

    it('aborting an in-flight request rejects with the signal reason', async () => {
      faults().script({ kind: 'latency', latencyMs: 400, endpoint: 'GET /networks' });
      const pending = client().listNetworks({ signal: AbortSignal.timeout(50) });
      await expect(pending).rejects.toMatchObject({ name: 'TimeoutError' });
    });
  });
}
