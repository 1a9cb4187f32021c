// Advertiser writes and the reads that have rules. Resolvers call these and
// re-read the returned row with their own selection.
import type { Db } from '../db/index.ts';
import { DependencyError } from '../domain/errors.ts';
import { newMongoId } from '../domain/ids.ts';
import { findByRef, findNetwork, type EntityRef } from '../domain/refs.ts';
import { assertValid, checkParentPresent, definedOnly } from '../domain/rules.ts';
import { assertLocalOnly, assertNoExportRunning, guardedWrite } from '../domain/writes.ts';
import type { Advertiser } from '../generated/prisma/client.ts';
import { checkAdvertiser, type AdvertiserAdmin } from './advertiser.rules.ts';

export interface NewAdvertiser {
  /** Broadstreet network id. */
  networkId: number;
  name: string;
  webHomeUrl?: string | null;
  notes?: string | null;
  admins?: AdvertiserAdmin[] | null;
}

export async function createAdvertiser(db: Db, input: NewAdvertiser): Promise<Advertiser> {
  const fields = {
    name: input.name,
    webHomeUrl: input.webHomeUrl ?? null,
    notes: input.notes ?? null,
    admins: input.admins ?? [],
  };
  assertValid(checkAdvertiser(fields));
  const network = await findNetwork(db, input.networkId);
  assertValid(checkParentPresent('networkId', network));
  return db.advertiser.create({
    data: { ...fields, mongoId: newMongoId(), networkId: network.id, createdLocally: true },
  });
}

export interface AdvertiserChanges {
  advertiser: EntityRef;
  name?: string | null;
  webHomeUrl?: string | null;
  notes?: string | null;
  admins?: AdvertiserAdmin[] | null;
}

export async function updateAdvertiser(db: Db, input: AdvertiserChanges): Promise<Advertiser> {
  const row = await findLocalAdvertiser(db, input.advertiser);
  const { advertiser: _ref, ...fields } = input;
  const changes = definedOnly(fields);
  assertValid(checkAdvertiser({ ...row, ...changes }));
  return guardedWrite(`advertiser ${row.mongoId} was not updated`, () =>
    db.advertiser.update({ where: { id: row.id, broadstreetId: null }, data: changes as never }),
  );
}

/** Deletes a local-only advertiser that nothing refers to; returns the deleted row. */
export async function deleteAdvertiser(db: Db, ref: EntityRef): Promise<Advertiser> {
  const row = await findLocalAdvertiser(db, ref);
  const campaigns = await db.campaign.count({ where: { advertiserId: row.id } });
  if (campaigns > 0) {
    throw new DependencyError(`advertiser ${row.mongoId} has ${campaigns} campaign(s); delete them first (deleting never cascades)`);
  }
  await guardedWrite(`advertiser ${row.mongoId} was not deleted`, () =>
    db.advertiser.delete({ where: { id: row.id, broadstreetId: null } }),
  );
  return row;
}

async function findLocalAdvertiser(db: Db, ref: EntityRef): Promise<Advertiser> {
  const row = await findByRef(db, 'advertiser', ref, { path: ['input', 'advertiser'] });
  assertLocalOnly('ADVERTISER', row);
  await assertNoExportRunning(db, row.networkId);
  return row;
}
