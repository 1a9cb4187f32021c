// An import of a seeded network, end to end: server and emulator on real
// sockets, progress over a real graphql-ws client, the database checked
// against the emulator's data.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '../helpers/db.ts';
import { newMongoId } from '../../src/domain/ids.ts';
import { parseRunId } from '../../src/sync/sync.schema.ts';
import { databaseSkipReason } from '../helpers/database.ts';
import { countsByType, phasesInOrder, startSyncEnv, type SyncEnv } from '../helpers/sync.ts';

const skip = databaseSkipReason();
const NETWORK = 85;

describe.skipIf(!!skip)('import', () => {
  let env: SyncEnv;
  beforeAll(async () => {
    env = await startSyncEnv({ size: 'small' });
  });
  afterAll(() => env?.stop());

  it('imports a seeded network exactly, with ordered phases and monotonic progress', async () => {
    const { run, events } = await env.sync({ networkId: NETWORK, direction: 'IMPORT' });
    expect(run.status).toBe('SUCCEEDED');

    const store = env.emulator.store;
    const network = await db().network.findUniqueOrThrow({ where: { broadstreetId: NETWORK } });
    expect(network.name).toBe(store.networks.get(NETWORK)!.name);

    const remoteAdvertisers = store.advertisersOf(NETWORK);
    const localAdvertisers = await db().advertiser.findMany({ where: { networkId: network.id } });
    expect(localAdvertisers.map((a) => [a.broadstreetId, a.name, a.webHomeUrl, a.notes]).sort()).toEqual(
      remoteAdvertisers.map((a) => [a.id, a.name, a.webHomeUrl, a.notes]).sort(),
    );
    const remoteZones = store.zonesOf(NETWORK);
    const localZones = await db().zone.findMany({ where: { networkId: network.id } });
    expect(localZones.map((z) => [z.broadstreetId, z.name, z.alias, z.selfServe]).sort()).toEqual(
      remoteZones.map((z) => [z.id, z.name, z.alias, z.selfServe]).sort(),
    );

    const remoteAds = remoteAdvertisers.flatMap((a) => store.advertisementsOfAdvertiser(a.id));
    const localAds = await db().advertisement.findMany({ where: { networkId: network.id }, include: { advertiser: true } });
    expect(localAds.map((a) => [a.broadstreetId, a.name, a.type, a.advertiser.broadstreetId]).sort()).toEqual(
      remoteAds.map((a) => [a.id, a.name, a.type, a.advertiserId]).sort(),
    );

    const remoteCampaigns = remoteAdvertisers.flatMap((a) => store.campaignsOf(a.id));
    const localCampaigns = await db().campaign.findMany({ where: { networkId: network.id }, include: { advertiser: true } });
    expect(
      localCampaigns
        .map((c) => [c.broadstreetId, c.name, c.advertiser.broadstreetId, c.startDate, c.endDate, c.weight, c.displayType])
        .sort(),
    ).toEqual(remoteCampaigns.map((c) => [c.id, c.name, c.advertiserId, c.startDate, c.endDate, c.weight, c.displayType]).sort());

    const remotePlacements = remoteCampaigns.flatMap((c) => store.placementsOf(c.id));
    const localPlacements = await db().placement.findMany({
      where: { networkId: network.id },
      include: { campaign: true, advertisement: true, zone: true },
    });
    expect(
      localPlacements.map((p) => [p.campaign.broadstreetId, p.advertisement.broadstreetId, p.zone.broadstreetId, p.restrictions]).sort(),
    ).toEqual(remotePlacements.map((p) => [p.campaignId, p.advertisementId, p.zoneId, p.restrictions]).sort());
    expect(localPlacements.every((p) => p.syncedAt !== null)).toBe(true);

    expect(phasesInOrder(events)).toEqual(['NETWORKS', 'ADVERTISERS', 'ZONES', 'ADVERTISEMENTS', 'CAMPAIGNS', 'PLACEMENTS', 'CLEANUP']);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    for (let i = 1; i < events.length; i++) expect(events[i]!.percentage).toBeGreaterThanOrEqual(events[i - 1]!.percentage);
    const final = events.at(-1)!;
    expect(final).toMatchObject({ status: 'SUCCEEDED', percentage: 100 });
    expect(run.percentage).toBe(100);

    const counts = countsByType(run);
    expect(counts.ADVERTISER!.created).toBe(remoteAdvertisers.length);
    expect(counts.ZONE!.created).toBe(remoteZones.length);
    expect(counts.ADVERTISEMENT!.created).toBe(remoteAds.length);
    expect(counts.CAMPAIGN!.created).toBe(remoteCampaigns.length);
    expect(counts.PLACEMENT!.created).toBe(remotePlacements.length);
    const stored = await db().syncRun.findUniqueOrThrow({ where: { id: parseRunId(run.id)! } });
    expect(stored.lastSeq).toBe(final.seq);
  });

  it('a second import changes nothing, marks what Broadstreet dropped, and never touches local-only rows', async () => {
    const network = await db().network.findUniqueOrThrow({ where: { broadstreetId: NETWORK } });
    const local = await db().advertiser.create({
      data: { mongoId: newMongoId(), networkId: network.id, name: 'Only here', admins: [], createdLocally: true },
    });
    const dropped = env.emulator.store.zonesOf(NETWORK)[0]!;
    expect(env.emulator.store.deleteZone(dropped.id)).toBe(true);

    const { run } = await env.sync({ networkId: NETWORK, direction: 'IMPORT' });
    expect(run.status).toBe('SUCCEEDED');
    const counts = countsByType(run);
    expect(counts.ADVERTISER).toMatchObject({ created: 0, updated: 0 });
    expect(counts.CAMPAIGN).toMatchObject({ created: 0, updated: 0 });
    expect(counts.ADVERTISER!.unchanged).toBeGreaterThan(0);

    expect(await db().advertiser.findUniqueOrThrow({ where: { id: local.id } })).toEqual(local);
    const zone = await db().zone.findFirstOrThrow({ where: { broadstreetId: dropped.id } });
    expect(zone.removedAt).not.toBeNull();
  });
});
