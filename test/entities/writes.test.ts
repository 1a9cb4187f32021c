// When another writer gets in between a check and a write, the database's
// refusal comes back as a typed error, on both providers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '../helpers/db.ts';
import { ConflictError, DependencyError } from '../../src/domain/errors.ts';
import { newMongoId } from '../../src/domain/ids.ts';
import { guardedWrite } from '../../src/domain/writes.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { databaseSkipReason, TEST_PROVIDER } from '../helpers/database.ts';
import { seedAdvertisement, seedAdvertiser, seedCampaign, seedNetwork, seedPlacement, seedZone } from '../helpers/seed.ts';

const skip = databaseSkipReason();
if (skip) console.warn(`skipped: ${skip}`);

describe.skipIf(!!skip)(`guardedWrite on ${TEST_PROVIDER}`, () => {
  let t: TestApp;
  let network: { id: number };

  beforeAll(async () => {
    t = await startTestApp();
    network = await seedNetwork(85);
  });
  afterAll(() => t?.stop());

  it('a row exported (or deleted) meanwhile: ConflictError', async () => {
    const exported = await seedAdvertiser(network.id);
    const write = guardedWrite('not updated', () =>
      db().advertiser.update({ where: { id: exported.id, broadstreetId: null }, data: { name: 'x' } }),
    );
    await expect(write).rejects.toThrow(ConflictError);
    await expect(write).rejects.toThrow(/changed meanwhile/);
  });

  it('a child added meanwhile: DependencyError, nothing deleted', async () => {
    const advertiser = await seedAdvertiser(network.id, { broadstreetId: null });
    await seedCampaign(advertiser, { broadstreetId: null });
    await expect(guardedWrite('not deleted', () => db().advertiser.delete({ where: { id: advertiser.id } }))).rejects.toThrow(
      DependencyError,
    );
    expect(await db().advertiser.findUnique({ where: { id: advertiser.id } })).not.toBeNull();
  });

  it('a placement triple taken meanwhile: ConflictError', async () => {
    const advertiser = await seedAdvertiser(network.id);
    const parents = {
      campaign: await seedCampaign(advertiser),
      advertisement: await seedAdvertisement(advertiser),
      zone: await seedZone(network.id),
    };
    await seedPlacement(parents);
    const duplicate = guardedWrite('not created', () =>
      db().placement.create({
        data: {
          mongoId: newMongoId(),
          networkId: network.id,
          campaignId: parents.campaign.id,
          advertisementId: parents.advertisement.id,
          zoneId: parents.zone.id,
          restrictions: [],
        },
      }),
    );
    await expect(duplicate).rejects.toThrow(ConflictError);
  });
});
