// Advertiser writes and the reads that have rules. Resolvers call these and
// re-read the returned row with their own selection.
import type { Db } from '../db/index.ts';
import { DependencyError } from '../domain/errors.ts';
import { newMongoId } from '../domain/ids.ts';
import { findByRef, findNetwork, type EntityRef } from '../domain/refs.ts';
import { assertValid, checkParentPresent, definedOnly, problemsOfEdit } from '../domain/rules.ts';
import { ValidationError } from '../domain/errors.ts';
import { assertNoExportRunning, guardedWrite, isSynced } from '../domain/writes.ts';
import { assertChangeable, assertNoLiveChildren, deletingData, syncedEditData } from '../sync/edits.ts';
import type { Advertiser } from '../generated/prisma/client.ts';
import { checkAdvertiser, NO_LOCAL_ADMINS, type AdvertiserAdmin } from './advertiser.rules.ts';

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

/**
 * Changes an advertiser. A local-only one changes as it is; a synced one
 * reads CHANGED until the next export pushes the changed fields (PUT takes
 * name, webHomeUrl and notes; admins cannot be set through Broadstreet's API).
 */
export async function updateAdvertiser(db: Db, input: AdvertiserChanges): Promise<Advertiser> {
  const row = await findChangeableAdvertiser(db, input.advertiser);
  const { advertiser: _ref, ...fields } = input;
  const changes = definedOnly(fields);
  assertValid(problemsOfEdit(checkAdvertiser({ ...row, ...changes }), isSynced(row), changes));
  if (!isSynced(row)) {
    return guardedWrite(`advertiser ${row.mongoId} was not updated`, () =>
      db.advertiser.update({ where: { id: row.id, broadstreetId: null }, data: changes as never }),
    );
  }
  if (changes.admins !== undefined) {
    throw ValidationError.of([{ path: ['input', 'admins'], message: NO_LOCAL_ADMINS }]);
  }
  return guardedWrite(`advertiser ${row.mongoId} was not updated`, () =>
    db.advertiser.update({
      where: { id: row.id, updatedAt: row.updatedAt },
      data: syncedEditData('ADVERTISER', row, changes) as never,
    }),
  );
}

/**
 * Deletes an advertiser that has no live campaigns: a local-only one at once;
 * a synced one is marked DELETING and the next export deletes it in Broadstreet.
 */
export async function deleteAdvertiser(db: Db, ref: EntityRef): Promise<Advertiser> {
  const row = await findChangeableAdvertiser(db, ref);
  if (isSynced(row)) {
    if (row.deletedAt) return row;
    await assertNoLiveChildren(db, 'ADVERTISER', row);
    return guardedWrite(`advertiser ${row.mongoId} was not deleted`, () =>
      db.advertiser.update({ where: { id: row.id, updatedAt: row.updatedAt }, data: deletingData('ADVERTISER', row) as never }),
    );
  }
  const campaigns = await db.campaign.count({ where: { advertiserId: row.id } });
  if (campaigns > 0) {
    throw new DependencyError(`advertiser ${row.mongoId} has ${campaigns} campaign(s); delete them first (deleting never cascades)`);
  }
  await guardedWrite(`advertiser ${row.mongoId} was not deleted`, () =>
    db.advertiser.delete({ where: { id: row.id, broadstreetId: null } }),
  );
  return row;
}

async function findChangeableAdvertiser(db: Db, ref: EntityRef): Promise<Advertiser> {
  const row = await findByRef(db, 'advertiser', ref, { path: ['input', 'advertiser'] });
  assertChangeable('ADVERTISER', row);
  await assertNoExportRunning(db, row.networkId);
  return row;
}
