// Issue 14 #7: a date-only start or end is read by Broadstreet in the
// account's time zone, as that day's midnight. An export sends whole days:
// the start's first second and the end's last.
import { describe, expect, it } from 'vitest';
import { db } from '../helpers/db.ts';
import { databaseSkipReason } from '../helpers/database.ts';
import { localAdvertiser, localCampaign, networkRow } from '../helpers/local-entities.ts';
import { countsByType, syncEnvPerTest } from '../helpers/sync.ts';

const skip = databaseSkipReason();
const NETWORK = 85;

describe.skipIf(!!skip)('campaign dates cover whole days', () => {
  const startEnv = syncEnvPerTest();

  it('exports start 00:00:00 and end 23:59:59; the dates read back as they were', async () => {
    const env = await startEnv({ size: 'tiny' });
    expect((await env.sync({ networkId: NETWORK, direction: 'IMPORT' })).run.status).toBe('SUCCEEDED');
    const network = await networkRow(NETWORK);
    const advertiser = await localAdvertiser(network.id, 'Dated Advertiser');
    const campaign = await localCampaign(network.id, advertiser.id, 'Whole Days', { startDate: '2026-03-01', endDate: '2026-03-31' });
    const exported = await env.sync({ networkId: NETWORK, direction: 'EXPORT' });
    expect(exported.run.status).toBe('SUCCEEDED');
    const { broadstreetId } = await db().campaign.findUniqueOrThrow({ where: { id: campaign.id } });
    const remote = env.emulator.store.campaigns.get(broadstreetId!)!;
    expect(remote).toMatchObject({
      startDate: '2026-03-01',
      endDate: '2026-03-31',
      startsAt: '2026-03-01 00:00:00',
      endsAt: '2026-03-31 23:59:59',
    });
    const reimported = await env.sync({ networkId: NETWORK, direction: 'IMPORT', entityTypes: ['CAMPAIGN'] });
    expect(reimported.run.status).toBe('SUCCEEDED');
    expect(await db().campaign.findUniqueOrThrow({ where: { id: campaign.id } })).toMatchObject({
      startDate: '2026-03-01',
      endDate: '2026-03-31',
    });
  });

  it('an exported campaign reads as unchanged on its first re-import (issue 14 #13)', async () => {
    const env = await startEnv({ size: 'tiny' });
    expect((await env.sync({ networkId: NETWORK, direction: 'IMPORT' })).run.status).toBe('SUCCEEDED');
    const network = await networkRow(NETWORK);
    const advertiser = await localAdvertiser(network.id, 'Fresh Advertiser');
    await localCampaign(network.id, advertiser.id, 'Fresh One', { startDate: '2026-05-01' });
    await localCampaign(network.id, advertiser.id, 'Fresh Two', { weight: 1.5, displayType: 'allow_repeat_campaign' });
    expect((await env.sync({ networkId: NETWORK, direction: 'EXPORT' })).run.status).toBe('SUCCEEDED');
    const reimported = await env.sync({ networkId: NETWORK, direction: 'IMPORT' });
    expect(reimported.run.status).toBe('SUCCEEDED');
    expect(countsByType(reimported.run).CAMPAIGN).toMatchObject({ updated: 0, created: 0 });
    expect(countsByType(reimported.run).ADVERTISER).toMatchObject({ updated: 0, created: 0 });
  });
});
