// Issue 18, the fewest requests: advertisements come from one list of the
// network, linked by their advertiser's name where that name is the
// advertiser's own; advertisers whose names repeat are listed alone. Checked
// against the emulator's records and its request counts.
import { afterEach, describe, expect, it } from 'vitest';
import { db } from '../helpers/db.ts';
import { databaseSkipReason } from '../helpers/database.ts';
import { countsByType, startSyncEnv, type SyncEnv } from '../helpers/sync.ts';

const skip = databaseSkipReason();
const NETWORK = 85;

describe.skipIf(!!skip)('advertisements from the network-wide list', () => {
  let env: SyncEnv | undefined;
  afterEach(async () => {
    await env?.stop();
    env = undefined;
  });

  const start = async (server: Record<string, string> = {}) => {
    env = await startSyncEnv({ size: 'small' }, { BROADSTREET_RETRY_BASE_MS: '5', ...server });
    return env;
  };
  const adRequests = (e: SyncEnv) => e.emulator.stats.byEndpoint['GET /advertisements'] ?? 0;
  /** Every ad here, as [its Broadstreet id, its advertiser's Broadstreet id], for the live ones. */
  const localLinks = async () =>
    (
      await db().advertisement.findMany({
        where: { network: { broadstreetId: NETWORK }, removedAt: null },
        include: { advertiser: true },
      })
    )
      .map((a) => [a.broadstreetId, a.advertiser.broadstreetId])
      .sort();
  const remoteLinks = (e: SyncEnv) =>
    e.emulator.store
      .advertisementsOf(NETWORK)
      .map((a) => [a.id, a.advertiserId])
      .sort();

  it('reads the ads in one request, plus one per advertiser whose name another shares, linking each to its own advertiser', async () => {
    const e = await start();
    const [first, second, third] = e.emulator.store.advertisersOf(NETWORK);
    // Two advertisers of one name (as in a real network): neither's ads can be linked by name.
    second!.name = first!.name;
    expect(e.emulator.store.advertisementsOfAdvertiser(second!.id).length).toBeGreaterThan(0);
    const names = e.emulator.store.advertisersOf(NETWORK).map((a) => a.name);
    const shared = names.filter((n) => names.indexOf(n) !== names.lastIndexOf(n)).length;
    expect(shared).toBeGreaterThanOrEqual(2);

    e.emulator.stats.reset();
    const { run } = await e.sync({ networkId: NETWORK, direction: 'IMPORT' });
    expect(run.status).toBe('SUCCEEDED');
    expect(adRequests(e)).toBe(1 + shared);
    expect(await localLinks()).toEqual(remoteLinks(e));
    expect(countsByType(run).ADVERTISEMENT!.created).toBe(e.emulator.store.advertisementsOf(NETWORK).length);

    // Broadstreet moves an ad to another advertiser and deletes another: the re-import follows both.
    const fourth = e.emulator.store.advertisersOf(NETWORK)[3]!;
    const moved = { ...e.emulator.store.advertisementsOfAdvertiser(third!.id)[0]!, advertiserId: fourth.id };
    e.emulator.store.deleteAdvertisement(moved.id);
    e.emulator.store.addAdvertisement(moved);
    const gone = e.emulator.store.advertisementsOfAdvertiser(first!.id)[0]!;
    e.emulator.store.deleteAdvertisement(gone.id);
    const again = await e.sync({ networkId: NETWORK, direction: 'IMPORT' });
    expect(again.run.status).toBe('SUCCEEDED');
    expect(await localLinks()).toEqual(remoteLinks(e));
    const movedHere = await db().advertisement.findFirstOrThrow({ where: { broadstreetId: moved.id }, include: { advertiser: true } });
    expect(movedHere.advertiser.broadstreetId).toBe(moved.advertiserId);
    expect((await db().advertisement.findFirstOrThrow({ where: { broadstreetId: gone.id } })).removedAt).not.toBeNull();
  });

  it('an ad naming no listed advertiser fails alone (DEPENDENCY) and its row here is kept', async () => {
    const e = await start();
    expect((await e.sync({ networkId: NETWORK, direction: 'IMPORT' })).run.status).toBe('SUCCEEDED');
    const stray = { ...e.emulator.store.advertisementsOf(NETWORK)[0]!, advertiserId: 1 }; // no such advertiser: the list names none
    e.emulator.store.deleteAdvertisement(stray.id);
    e.emulator.store.addAdvertisement(stray);
    const { run } = await e.sync({ networkId: NETWORK, direction: 'IMPORT' });
    expect(run.status).toBe('PARTIAL');
    expect(run.errors).toEqual([
      expect.objectContaining({ code: 'DEPENDENCY', entityType: 'ADVERTISEMENT', broadstreetId: stray.id, retryable: false }),
    ]);
    expect(run.errors[0].message).toMatch(/names the advertiser null, which is not among the advertisers Broadstreet listed/);
    expect((await db().advertisement.findFirstOrThrow({ where: { broadstreetId: stray.id } })).removedAt).toBeNull();
    expect(countsByType(run).ADVERTISEMENT!.failed).toBe(1);
  });

  it('a 403 on the network-wide list refuses the ads alone; a transient failure gets a second try', async () => {
    // The breaker is kept out: five 5xx in a row would open it (that is test/sync/outage.test.ts).
    const e = await start({ BROADSTREET_MAX_ATTEMPTS: '5', BROADSTREET_BREAKER_THRESHOLD: '1000' });
    expect((await e.sync({ networkId: NETWORK, direction: 'IMPORT' })).run.status).toBe('SUCCEEDED');
    const ads = await db().advertisement.count({ where: { removedAt: null } });

    e.emulator.faults.script({ kind: '5xx', status: 403, endpoint: 'GET /advertisements?!advertiser_id' });
    const refused = await e.sync({ networkId: NETWORK, direction: 'IMPORT' });
    expect(refused.run.status).toBe('PARTIAL');
    expect(refused.run.errors).toEqual([
      expect.objectContaining({ code: 'AUTH', entityType: 'ADVERTISEMENT', message: expect.stringMatching(/no access/) }),
    ]);
    expect(await db().advertisement.count({ where: { removedAt: null } })).toBe(ads);
    expect(countsByType(refused.run).CAMPAIGN!.unchanged).toBeGreaterThan(0);

    // Every attempt of the first try fails (5); the second try at the list succeeds.
    e.emulator.faults.script({ kind: '5xx', endpoint: 'GET /advertisements?!advertiser_id', count: 5 });
    const retried = await e.sync({ networkId: NETWORK, direction: 'IMPORT' });
    expect(retried.run.status).toBe('SUCCEEDED');
    expect(retried.events.flatMap((ev) => ev.warnings).join('\n')).toMatch(/trying again/);
    expect(countsByType(retried.run).ADVERTISEMENT!.unchanged).toBe(ads);
  });

  it('without this run listing the advertisers, ads are read per advertiser', async () => {
    const e = await start();
    expect((await e.sync({ networkId: NETWORK, direction: 'IMPORT' })).run.status).toBe('SUCCEEDED');
    e.emulator.stats.reset();
    const { run } = await e.sync({ networkId: NETWORK, direction: 'IMPORT', entityTypes: ['ADVERTISEMENT'] });
    expect(run.status).toBe('SUCCEEDED');
    expect(adRequests(e)).toBe(e.emulator.store.advertisersOf(NETWORK).length);
    expect(await localLinks()).toEqual(remoteLinks(e));
  });
});
