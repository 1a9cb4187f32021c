// Issue 14 #4: networks of one group share zones. A placement of network 85's
// campaign that names a zone of network 131 (same group) is imported: the zone
// is read from its network's list (or on its own) and stored under its own
// network, which is created (not imported as a whole) when it is not here yet.
// Issue 18: the fewest reads — the group's one other network's zone list and
// the network list; none at all once the zones are stored here.
import { describe, expect, it } from 'vitest';
import { db } from '../helpers/db.ts';
import { databaseSkipReason } from '../helpers/database.ts';
import { networkRow } from '../helpers/local-entities.ts';
import { countsByType, syncEnvPerTest } from '../helpers/sync.ts';

const skip = databaseSkipReason();

describe.skipIf(!!skip)('zones shared across a group of networks', () => {
  const startEnv = syncEnvPerTest();

  it('imports placements whose zone lives in another network of the group', async () => {
    // Seed 3: two zones of the first network's placements live in the second.
    const env = await startEnv({ size: 'tiny', seed: 3 });
    const { store } = env.emulator;
    const [first, second] = [...store.networks.values()];
    const shared = [...store.placements.values()].filter(
      (p) => store.campaigns.get(p.campaignId)!.networkId === first!.id && store.zones.get(p.zoneId)!.networkId === second!.id,
    );
    const zoneIds = [...new Set(shared.map((p) => p.zoneId))];
    expect(zoneIds.length).toBeGreaterThan(1);

    env.emulator.stats.reset();
    const { run } = await env.sync({ networkId: first!.id, direction: 'IMPORT' });
    expect(run.status).toBe('SUCCEEDED');
    // The group has one other network: its zone list holds every shared zone. The network list (the imported
    // network's own fields, read once) names the group and that network.
    const { byEndpoint } = env.emulator.stats;
    expect(byEndpoint['GET /zones/{id}'] ?? 0).toBe(0);
    expect(byEndpoint['GET /zones']).toBe(2);
    expect(byEndpoint['GET /networks']).toBe(1);
    expect(byEndpoint['GET /networks/{id}'] ?? 0).toBe(0);
    const ownPlacements = [...store.placements.values()].filter((p) => store.campaigns.get(p.campaignId)!.networkId === first!.id);
    expect(countsByType(run).PLACEMENT).toMatchObject({ created: ownPlacements.length, failed: 0 });
    const other = await networkRow(second!.id);
    expect(other).toMatchObject({ name: second!.name, syncedAt: null, groupId: second!.groupId });
    const stored = await db().zone.findMany({ where: { broadstreetId: { in: zoneIds } } });
    expect(stored.map((z) => z.networkId)).toEqual(zoneIds.map(() => other.id));
    const triple = shared[0]!;
    const placement = await db().placement.findFirst({
      where: {
        campaign: { broadstreetId: triple.campaignId },
        zone: { broadstreetId: triple.zoneId },
        advertisement: { broadstreetId: triple.advertisementId },
      },
    });
    expect(placement).not.toBeNull();

    // Imported again, the shared zones are found here: no read beyond the network's own lists.
    env.emulator.stats.reset();
    const again = await env.sync({ networkId: first!.id, direction: 'IMPORT' });
    expect(again.run.status).toBe('SUCCEEDED');
    expect(countsByType(again.run).PLACEMENT).toMatchObject({ unchanged: ownPlacements.length, failed: 0 });
    expect(env.emulator.stats.byEndpoint).toMatchObject({ 'GET /zones': 1, 'GET /networks': 1 });
    expect(env.emulator.stats.byEndpoint['GET /networks/{id}'] ?? 0).toBe(0);
    expect(env.emulator.stats.byEndpoint['GET /zones/{id}'] ?? 0).toBe(0);

    // Importing the other network later takes its zones over without duplicating the shared ones.
    const second_ = await env.sync({ networkId: second!.id, direction: 'IMPORT' });
    expect(second_.run.status).toBe('SUCCEEDED');
    expect(await db().zone.count({ where: { broadstreetId: { in: zoneIds } } })).toBe(zoneIds.length);
    expect((await networkRow(second!.id)).syncedAt).not.toBeNull();
  });

  it('reads each shared zone on its own when the sister network cannot be listed', async () => {
    const env = await startEnv({ size: 'tiny', seed: 3 });
    const { store } = env.emulator;
    const [first, second] = [...store.networks.values()];
    const zoneIds = new Set(
      [...store.placements.values()]
        .filter((p) => store.campaigns.get(p.campaignId)!.networkId === first!.id && store.zones.get(p.zoneId)!.networkId === second!.id)
        .map((p) => p.zoneId),
    );
    expect(zoneIds.size).toBe(2);
    env.emulator.faults.script({ kind: '5xx', status: 403, count: 1, endpoint: `GET /zones?network_id=${second!.id}` });
    env.emulator.stats.reset();
    const { run } = await env.sync({ networkId: first!.id, direction: 'IMPORT' });
    expect(run.status).toBe('SUCCEEDED');
    expect(countsByType(run).PLACEMENT).toMatchObject({ failed: 0 });
    expect(env.emulator.stats.byEndpoint['GET /zones/{id}']).toBe(2);
    expect(await db().zone.count({ where: { broadstreetId: { in: [...zoneIds] }, network: { broadstreetId: second!.id } } })).toBe(2);
  });

  it('a shared zone missing from its network and from the zone list fails its placements alone', async () => {
    const env = await startEnv({ size: 'tiny', seed: 3 });
    const { store } = env.emulator;
    const [first, second] = [...store.networks.values()];
    const shared = [...store.placements.values()].filter(
      (p) => store.campaigns.get(p.campaignId)!.networkId === first!.id && store.zones.get(p.zoneId)!.networkId === second!.id,
    );
    const [kept, gone] = [...new Set(shared.map((p) => p.zoneId))];
    store.zones.delete(gone!);
    env.emulator.stats.reset();
    const { run } = await env.sync({ networkId: first!.id, direction: 'IMPORT' });
    expect(run.status).toBe('PARTIAL');
    expect(countsByType(run).PLACEMENT!.failed).toBe(shared.filter((p) => p.zoneId === gone).length);
    // The kept zone comes from the sister list; the gone one, missing from it, is read on its own (404).
    expect(env.emulator.stats.byEndpoint['GET /zones/{id}']).toBe(1);
    expect(await db().zone.count({ where: { broadstreetId: kept!, network: { broadstreetId: second!.id } } })).toBe(1);
    expect(await db().zone.count({ where: { broadstreetId: gone! } })).toBe(0);
  });

  it('with several other networks in the group, reads the first shared zone on its own and names its network from the list', async () => {
    const env = await startEnv({ size: 'tiny', seed: 3 });
    const { store } = env.emulator;
    const [first, second] = [...store.networks.values()];
    // A third network of the same group, with no zones: the group no longer tells where a shared zone lives.
    store.addNetwork({ ...second!, id: 9_999_001, name: 'Third of the group' });
    const zoneIds = new Set(
      [...store.placements.values()]
        .filter((p) => store.campaigns.get(p.campaignId)!.networkId === first!.id && store.zones.get(p.zoneId)!.networkId === second!.id)
        .map((p) => p.zoneId),
    );
    env.emulator.stats.reset();
    const { run } = await env.sync({ networkId: first!.id, direction: 'IMPORT' });
    expect(run.status).toBe('SUCCEEDED');
    expect(countsByType(run).PLACEMENT).toMatchObject({ failed: 0 });
    // One zone on its own (it names network 2), the rest from network 2's list; both networks from the network list.
    expect(env.emulator.stats.byEndpoint).toMatchObject({
      'GET /zones/{id}': 1,
      'GET /zones': 2,
      'GET /networks': 1,
    });
    expect(env.emulator.stats.byEndpoint['GET /networks/{id}'] ?? 0).toBe(0);
    expect(await db().zone.count({ where: { broadstreetId: { in: [...zoneIds] }, network: { broadstreetId: second!.id } } })).toBe(
      zoneIds.size,
    );
    expect(await networkRow(second!.id)).toMatchObject({ name: second!.name, syncedAt: null });
  });
});
