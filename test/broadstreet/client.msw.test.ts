// The client against msw handlers that answer from the emulator's core.
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RejectedItem } from '../../src/broadstreet/index.ts';
import { ITEMS_PER_TURN } from '../../src/broadstreet/http.ts';
import { createEmulatorCore } from '../../src/emulator/index.ts';
import { BROADSTREET_BASE_URL, broadstreetHandlers } from '../../src/emulator/msw.ts';
import { clientContract } from './contract.ts';
import { overFetch, rejectionOf, testClient, TEST_TOKEN } from './helpers.ts';

const core = createEmulatorCore({ seed: 21, size: 'small', token: TEST_TOKEN });
const server = setupServer(...broadstreetHandlers(core));
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());

describe('client over msw', () => {
  clientContract({ baseUrl: () => BROADSTREET_BASE_URL, core: () => core, clientOptions: overFetch });

  describe('responses that do not fit', () => {
    const override = (path: string, body: string, init: ResponseInit = { status: 200, headers: { 'content-type': 'application/json' } }) =>
      server.use(http.get(`${BROADSTREET_BASE_URL}${path}`, () => new HttpResponse(body, init), { once: true }));
    const once = () => testClient(BROADSTREET_BASE_URL, { ...overFetch, maxAttempts: 1 });

    it('a wrong envelope is a VALIDATION error naming the endpoint and the problem, not a crash', async () => {
      override('/advertisers', JSON.stringify({ advertisers: 'none' }));
      const error = await rejectionOf(once().listAdvertisers(85));
      expect(error).toMatchObject({ code: 'VALIDATION', status: 200, endpoint: 'GET /advertisers', retryable: false });
      expect(error.message).toMatch(/^GET \/advertisers: answered 200 with JSON of an unexpected shape \(advertisers: .+\)/);
    });

    it('an item of a wrong shape is left out and reported, naming its field; the others are returned', async () => {
      override(
        '/advertisers',
        JSON.stringify({
          advertisers: [
            { id: 'abc', name: 5 },
            { id: 7, name: 'Fine' },
          ],
        }),
      );
      const rejected: RejectedItem[] = [];
      const listed = await once().listAdvertisers(85, { onRejected: (item) => rejected.push(item) });
      expect(listed).toEqual([expect.objectContaining({ id: 7, name: 'Fine' })]);
      expect(rejected).toEqual([{ endpoint: 'GET /advertisers', id: null, problems: expect.stringMatching(/^id: .+; name: /) }]);
    });

    it('a list larger than a validation slice is validated whole, in order, its bad items reported and skipped', async () => {
      const size = ITEMS_PER_TURN * 2 + 234;
      const bad = new Set([3, ITEMS_PER_TURN + 1, size - 1]);
      const advertisers = Array.from({ length: size }, (_, i) =>
        bad.has(i) ? { id: i + 1, name: null } : { id: i + 1, name: `Advertiser ${i + 1}` },
      );
      override('/advertisers', JSON.stringify({ advertisers }));
      const rejected: RejectedItem[] = [];
      const listed = await once().listAdvertisers(85, { onRejected: (item) => rejected.push(item) });
      const good = advertisers.filter((_, i) => !bad.has(i));
      expect(listed.map((a) => [a.id, a.name])).toEqual(good.map((a) => [a.id, a.name]));
      expect(rejected.map((r) => r.id)).toEqual([...bad].map((i) => i + 1));
      expect(rejected.every((r) => r.endpoint === 'GET /advertisers' && /^name: /.test(r.problems))).toBe(true);
    });

    it('an unknown weight name is refused rather than guessed', async () => {
      override('/campaigns', JSON.stringify({ campaigns: [{ id: 1, name: 'x', advertiser_id: 2, weight: 'premium' }] }));
      const rejected: RejectedItem[] = [];
      expect(await once().listCampaigns({ advertiserId: 2 }, { onRejected: (item) => rejected.push(item) })).toEqual([]);
      expect(rejected).toEqual([expect.objectContaining({ id: 1, problems: expect.stringContaining('unknown weight "premium"') })]);
    });

    it('tolerates extra fields, missing optional ones and the documented object form of placements', async () => {
      override(
        '/campaigns',
        JSON.stringify({
          campaigns: [{ id: 1, name: 'x', advertiser_id: 2, weight: '1.5', start_date: '2024-01-02 10:00:00', brand_new_field: { a: 1 } }],
          meta: {},
        }),
      );
      expect((await once().listCampaigns({ advertiserId: 2 }))[0]).toMatchObject({
        id: 1,
        weight: 1.5,
        startDate: '2024-01-02',
        endDate: null,
        displayType: null,
      });
      override('/placements', JSON.stringify({ placements: [{ advertisement_id: 3, zone_id: '4', restrictions: null }] }));
      expect(await once().listPlacements(9)).toEqual([{ advertisementId: 3, zoneId: 4, restrictions: [] }]);
    });

    it('reports Rails-style error lists as one message per field', async () => {
      server.use(
        http.post(
          `${BROADSTREET_BASE_URL}/zones`,
          () => HttpResponse.json({ errors: { name: ["can't be blank", 'is too short'] } }, { status: 422 }),
          { once: true },
        ),
      );
      const error = await rejectionOf(once().createZone(85, { name: '' }));
      expect(error.fieldErrors).toEqual({ name: "can't be blank, is too short" });
    });
  });
});
