// The emulator speaks Broadstreet v1 as broadstreet-api.md describes it.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.ts';
import { raw } from './helpers.ts';

let emu: RunningEmulator;
beforeAll(async () => {
  emu = await startEmulator({ seed: 11, size: 'small' });
});
afterAll(() => emu.stop());
beforeEach(() => emu.reset());

const firstAdvertiser = () => emu.store.advertisersOf(85)[0]!;

describe('lists and singles', () => {
  it('wraps lists and singles in their type name', async () => {
    const networks = await raw(emu, 'GET', '/networks');
    expect(networks.status).toBe(200);
    expect(networks.json.networks).toHaveLength(emu.store.networks.size);
    expect(Object.keys(networks.json.networks[0]).sort()).toEqual([
      'group_id',
      'id',
      'logo',
      'name',
      'path',
      'valet_active',
      'web_home_url',
    ]);
    const network = await raw(emu, 'GET', '/networks/85');
    expect(network.json.network).toMatchObject({ id: 85, name: 'Demo Network', advertiser_count: 12, zone_count: 10 });
    const advertisers = await raw(emu, 'GET', '/advertisers', { query: { network_id: 85 } });
    expect(advertisers.json.advertisers.map((a: { id: number }) => a.id)).toEqual(emu.store.advertisersOf(85).map((a) => a.id));
    expect(Object.keys(advertisers.json.advertisers[0]).sort()).toEqual(['admins', 'id', 'logo', 'name', 'notes', 'web_home_url']);
    const zones = await raw(emu, 'GET', '/zones', { query: { network_id: 85 } });
    expect(zones.json.zones[0]).toEqual({
      id: expect.any(Number),
      name: expect.any(String),
      network_id: 85,
      alias: emu.store.zonesOf(85)[0]!.alias,
      self_serve: expect.any(Boolean),
    });
    const advertiser = await raw(emu, 'GET', `/advertisers/${firstAdvertiser().id}`);
    expect(advertiser.json.advertiser.name).toBe(firstAdvertiser().name);
  });

  it('lists campaigns with exactly the live keys and weights as names', async () => {
    const advertiserId = firstAdvertiser().id;
    const campaign = emu.store.campaignsOf(advertiserId)[0]!;
    campaign.weight = 127;
    const res = await raw(emu, 'GET', '/campaigns', { query: { advertiser_id: advertiserId } });
    const item = res.json.campaigns[0];
    expect(Object.keys(item).sort()).toEqual(
      ['active', 'advertiser_id', 'display_type', 'end_date', 'id', 'max_impression_count', 'name', 'path', 'start_date', 'weight'].sort(),
    );
    expect(item.weight).toBe('sponsorship');
  });

  it('lists campaigns by zone, and refuses neither or both filters with 400', async () => {
    const placement = [...emu.store.placements.values()][0]!;
    const byZone = await raw(emu, 'GET', '/campaigns', { query: { zone_id: placement.zoneId } });
    expect(byZone.json.campaigns.map((c: { id: number }) => c.id)).toContain(placement.campaignId);
    const neither = await raw(emu, 'GET', '/campaigns');
    expect(neither).toMatchObject({ status: 400, json: { message: expect.any(String) } });
    const both = await raw(emu, 'GET', '/campaigns', { query: { zone_id: placement.zoneId, advertiser_id: firstAdvertiser().id } });
    expect(both.status).toBe(400);
  });

  it('lists placements as a bare array without campaign_id', async () => {
    const placement = [...emu.store.placements.values()][0]!;
    const res = await raw(emu, 'GET', '/placements', { query: { campaign_id: placement.campaignId } });
    expect(Array.isArray(res.json)).toBe(true);
    expect(res.json).toContainEqual({
      advertisement_id: placement.advertisementId,
      zone_id: placement.zoneId,
      restrictions: placement.restrictions,
    });
  });

  it('lists advertisements with the advertiser NAME, filtered by advertiser or zone; no GET by id', async () => {
    const advertiser = firstAdvertiser();
    const all = await raw(emu, 'GET', '/advertisements', { query: { network_id: 85 } });
    expect(all.json.advertisements).toHaveLength(emu.store.advertisementsOf(85).length);
    const mine = await raw(emu, 'GET', '/advertisements', { query: { network_id: 85, advertiser_id: advertiser.id } });
    expect(mine.json.advertisements.length).toBeGreaterThan(0);
    for (const ad of mine.json.advertisements) expect(ad.advertiser).toBe(advertiser.name);
    const placement = [...emu.store.placements.values()].find((p) => emu.store.campaigns.get(p.campaignId)!.networkId === 85)!;
    const inZone = await raw(emu, 'GET', '/advertisements', { query: { network_id: 85, zone_id: placement.zoneId } });
    expect(inZone.json.advertisements.map((a: { id: number }) => a.id)).toContain(placement.advertisementId);
    // Live, without network_id the list is empty rather than an error (also with zone_id alone).
    expect((await raw(emu, 'GET', '/advertisements')).json).toEqual({ advertisements: [] });
    expect((await raw(emu, 'GET', '/advertisements', { query: { zone_id: placement.zoneId } })).json).toEqual({ advertisements: [] });
    const single = await raw(emu, 'GET', `/advertisements/${placement.advertisementId}`);
    expect(single).toMatchObject({ status: 404, json: { message: 'Not Found' } });
  });

  it('answers 404 {"message":"Not Found"} for unknown ids and paths, 400 for a missing scope', async () => {
    expect(await raw(emu, 'GET', '/advertisers/1')).toMatchObject({ status: 404, json: { message: 'Not Found' } });
    expect(await raw(emu, 'GET', '/advertisers', { query: { network_id: 999999 } })).toMatchObject({ status: 404 });
    expect(await raw(emu, 'GET', '/nothing-here')).toMatchObject({ status: 404, json: { message: 'Not Found' } });
    expect(await raw(emu, 'GET', '/zones')).toMatchObject({ status: 400, json: { message: 'network_id is required' } });
  });
});

describe('authentication', () => {
  it('refuses a missing or wrong token with 401 by default', async () => {
    expect((await raw(emu, 'GET', '/networks', { token: null })).status).toBe(401);
    expect((await raw(emu, 'GET', '/networks', { token: 'wrong' })).status).toBe(401);
  });

  it('answers 403 when configured to, and accepts the token in a form body', async () => {
    const strict = await startEmulator({ size: 'tiny', token: 'other-token', authFailureStatus: 403 });
    try {
      expect((await raw(strict, 'GET', '/networks', { token: 'demo-token' })).status).toBe(403);
      const viaBody = await raw(strict, 'POST', '/advertisers', {
        token: null,
        query: { network_id: 85 },
        form: { access_token: 'other-token', name: 'Body Auth' },
      });
      expect(viaBody.status).toBe(201);
    } finally {
      await strict.stop();
    }
  });
});

describe('creates and updates', () => {
  it('merges query and JSON, form and multipart bodies', async () => {
    const json = await raw(emu, 'POST', '/advertisers', {
      query: { network_id: 85 },
      json: { name: 'Json Co', web_home_url: 'json.example' },
    });
    const form = await raw(emu, 'POST', '/advertisers', { query: { network_id: 85 }, form: { name: 'Form Co' } });
    const multipart = await raw(emu, 'POST', '/advertisers', { multipart: { network_id: '85', name: 'Multipart Co', notes: 'hi' } });
    expect([json.status, form.status, multipart.status]).toEqual([201, 201, 201]);
    expect(json.json.advertiser).toMatchObject({ name: 'Json Co', web_home_url: 'json.example', notes: null });
    expect(multipart.json.advertiser).toMatchObject({ name: 'Multipart Co', notes: 'hi' });
    const names = emu.store.advertisersOf(85).map((a) => a.name);
    expect(names).toEqual(expect.arrayContaining(['Json Co', 'Form Co', 'Multipart Co']));
    expect(emu.stats.created.advertiser).toBe(3);
  });

  it('lets the body win over the query string', async () => {
    const res = await raw(emu, 'POST', '/zones', { query: { network_id: 85, name: 'From Query' }, json: { name: 'From Body' } });
    expect(res.json.zone.name).toBe('From Body');
  });

  it('refuses a blank name with 422 field errors and stores nothing', async () => {
    const before = emu.store.advertisers.size;
    const res = await raw(emu, 'POST', '/advertisers', { query: { network_id: 85 }, json: { name: '  ' } });
    expect(res).toMatchObject({ status: 422, json: { errors: { name: "can't be blank" } } });
    expect(emu.store.advertisers.size).toBe(before);
  });

  it('answers 404 for an unknown parent', async () => {
    expect((await raw(emu, 'POST', '/advertisers', { query: { network_id: 4242 }, json: { name: 'X' } })).status).toBe(404);
    expect((await raw(emu, 'POST', '/campaigns', { query: { advertiser_id: 4242 }, json: { name: 'X' } })).status).toBe(404);
    expect((await raw(emu, 'POST', '/placements', { json: { campaign_id: 4242, advertisement_id: 1, zone_id: 1 } })).status).toBe(404);
  });

  it('allows duplicate names (Broadstreet has no uniqueness)', async () => {
    const name = firstAdvertiser().name;
    const res = await raw(emu, 'POST', '/advertisers', { query: { network_id: 85 }, json: { name } });
    expect(res.status).toBe(201);
    expect(emu.store.advertisersOf(85).filter((a) => a.name === name).length).toBeGreaterThanOrEqual(2);
  });

  it(
    'creates a campaign: dates with a time are echoed as dates, numbers come back as weight names, ' +
      'write-only fields are kept but not returned',
    async () => {
      const advertiserId = firstAdvertiser().id;
      const res = await raw(emu, 'POST', '/campaigns', {
        query: { advertiser_id: advertiserId },
        json: {
          name: 'Launch',
          start_date: '2025-03-01 08:30:00',
          end_date: '2025-04-01',
          weight: 0.5,
          paused: true,
          notes: 'n',
          pacing_type: 'even',
        },
      });
      expect(res.status).toBe(201);
      expect(res.json.campaign).toMatchObject({
        name: 'Launch',
        start_date: '2025-03-01',
        end_date: '2025-04-01',
        weight: 'low',
        display_type: 'no_repeat',
        active: false,
      });
      expect(res.json.campaign).not.toHaveProperty('paused');
      expect(res.json.campaign).not.toHaveProperty('notes');
      const stored = emu.store.campaigns.get(res.json.campaign.id)!;
      expect(stored).toMatchObject({ paused: true, notes: 'n', pacingType: 'even', weight: 0.5, advertiserId });
    },
  );

  it('refuses bad campaign fields with every field error at once', async () => {
    const res = await raw(emu, 'POST', '/campaigns', {
      query: { advertiser_id: firstAdvertiser().id },
      json: { name: '', start_date: '2025-02-30', weight: 'huge', display_type: 'sometimes' },
    });
    expect(res.status).toBe(422);
    expect(res.json.errors).toEqual({
      name: "can't be blank",
      start_date: 'is not a valid date',
      weight: 'is not a valid weight',
      display_type: 'is not included in the list',
    });
    const endBeforeStart = await raw(emu, 'POST', '/campaigns', {
      query: { advertiser_id: firstAdvertiser().id },
      json: { name: 'x', start_date: '2025-05-01', end_date: '2025-04-01' },
    });
    expect(endBeforeStart.json.errors).toEqual({ end_date: 'must be after the start date' });
  });

  it('creates a placement with 201 and an EMPTY body; restrictions arrive as one string', async () => {
    const { campaign, ad, zone } = freshTriple();
    const res = await raw(emu, 'POST', '/placements', {
      json: { campaign_id: campaign, advertisement_id: ad, zone_id: zone, restrictions: 'mobile, tablet' },
    });
    expect(res.status).toBe(201);
    expect(res.text).toBe('');
    expect(emu.store.placementsOf(campaign)).toContainEqual(
      expect.objectContaining({ advertisementId: ad, zoneId: zone, restrictions: ['mobile', 'tablet'] }),
    );
  });

  it('refuses a duplicate triple, a restrictions array and unknown references with 422', async () => {
    const existing = [...emu.store.placements.values()][0]!;
    const duplicate = await raw(emu, 'POST', '/placements', {
      json: { campaign_id: existing.campaignId, advertisement_id: existing.advertisementId, zone_id: existing.zoneId },
    });
    expect(duplicate).toMatchObject({ status: 422, json: { errors: { zone_id: 'has already been taken' } } });
    const { campaign, ad, zone } = freshTriple();
    const array = await raw(emu, 'POST', '/placements', {
      json: { campaign_id: campaign, advertisement_id: ad, zone_id: zone, restrictions: ['a'] },
    });
    expect(array.json.errors).toHaveProperty('restrictions');
    const unknown = await raw(emu, 'POST', '/placements', { json: { campaign_id: campaign, advertisement_id: 7, zone_id: 8 } });
    expect(unknown.json.errors).toEqual({ advertisement_id: 'does not exist', zone_id: 'does not exist' });
    const missing = await raw(emu, 'POST', '/placements', { json: { campaign_id: campaign } });
    expect(missing.json.errors).toEqual({ advertisement_id: "can't be blank", zone_id: "can't be blank" });
    expect(emu.store.placementsOf(campaign).some((p) => p.advertisementId === ad && p.zoneId === zone)).toBe(false);
  });

  it('updates with PUT and deletes with 204', async () => {
    const zone = emu.store.zonesOf(85)[0]!;
    // PUT /zones/{id} requires name, changed or not [doc].
    const nameless = await raw(emu, 'PUT', `/zones/${zone.id}`, { json: { alias: 'top' } });
    expect(nameless).toMatchObject({ status: 422, json: { errors: { name: "can't be blank" } } });
    expect(emu.store.zones.get(zone.id)!.alias).not.toBe('top');
    const put = await raw(emu, 'PUT', `/zones/${zone.id}`, { json: { name: zone.name, alias: 'top' } });
    expect(put.json.zone).toMatchObject({ id: zone.id, name: zone.name, alias: 'top' });
    const campaign = emu.store.campaignsOf(firstAdvertiser().id)[0]!;
    const weight = await raw(emu, 'PUT', `/campaigns/${campaign.id}`, { json: { weight: 1.5 } });
    expect(weight.json.campaign.weight).toBe('high');
    const del = await raw(emu, 'DELETE', `/zones/${zone.id}`);
    expect(del).toMatchObject({ status: 204, text: '' });
    expect(emu.store.zones.has(zone.id)).toBe(false);
    expect(emu.store.placementsInZone(zone.id)).toEqual([]);
  });

  it('deletes a placement by its triple in the query string', async () => {
    const p = [...emu.store.placements.values()][0]!;
    const query = { campaign_id: p.campaignId, advertisement_id: p.advertisementId, zone_id: p.zoneId };
    expect((await raw(emu, 'DELETE', '/placements', { query })).status).toBe(204);
    expect((await raw(emu, 'DELETE', '/placements', { query })).status).toBe(404);
    expect(emu.store.placementsOf(p.campaignId)).not.toContainEqual(p);
  });
});

/** A campaign of network 85 with one of its advertiser's ads and a zone it is not yet placed in. */
function freshTriple() {
  const advertiser = emu.store
    .advertisersOf(85)
    .find((a) => emu.store.advertisementsOfAdvertiser(a.id).length > 0 && emu.store.campaignsOf(a.id).length > 0)!;
  const campaign = emu.store.campaignsOf(advertiser.id)[0]!.id;
  const ad = emu.store.advertisementsOfAdvertiser(advertiser.id)[0]!.id;
  const zone = emu.store.zonesOf(85).find((z) => !emu.store.placements.has(`${campaign}:${ad}:${z.id}`))!.id;
  return { campaign, ad, zone };
}

describe("changes from Broadstreet's side (inspection API)", () => {
  const send = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${emu.origin}/__emulator${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    return { status: response.status, json: (await response.json()) as any };
  };

  it('edits a campaign with wire-named fields, validated as PUT is, without counting a request', async () => {
    const campaign = emu.store.campaignsOf(firstAdvertiser().id)[0]!;
    const before = emu.stats.total;
    const edited = await send('PUT', `/records/campaign/${campaign.id}`, { weight: 0.5, end_date: '2031-01-31' });
    expect(edited).toMatchObject({ status: 200, json: { campaign: { id: campaign.id, weight: 'low', end_date: '2031-01-31' } } });
    expect(emu.store.campaigns.get(campaign.id)).toMatchObject({ weight: 0.5, endDate: '2031-01-31' });
    const refused = await send('PUT', `/records/campaign/${campaign.id}`, { start_date: 'soon' });
    expect(refused).toMatchObject({ status: 422, json: { errors: { start_date: 'is not a valid date' } } });
    expect(emu.stats.total).toBe(before);
  });

  it('deletes an advertiser with its campaigns, and a placement by its triple; unknown records are 404', async () => {
    const p = [...emu.store.placements.values()][0]!;
    const query = `campaign_id=${p.campaignId}&advertisement_id=${p.advertisementId}&zone_id=${p.zoneId}`;
    expect(await send('PUT', `/records/placement?${query}`, { restrictions: ['tablet'] })).toMatchObject({ status: 200 });
    expect(emu.store.placementsOf(p.campaignId).find((x) => x.zoneId === p.zoneId)!.restrictions).toEqual(['tablet']);
    expect((await send('DELETE', `/records/placement?${query}`)).status).toBe(200);
    expect((await send('DELETE', `/records/placement?${query}`)).status).toBe(404);
    const advertiser = firstAdvertiser();
    const campaigns = emu.store.campaignsOf(advertiser.id).map((c) => c.id);
    expect((await send('DELETE', `/records/advertiser/${advertiser.id}`)).status).toBe(200);
    expect(emu.store.advertisers.has(advertiser.id)).toBe(false);
    for (const id of campaigns) expect(emu.store.campaigns.has(id)).toBe(false);
    expect((await send('DELETE', `/records/advertiser/${advertiser.id}`)).status).toBe(404);
  });
});
