// Zone writes and the reads that have rules.
import type { Db } from '../db/index.ts';
import { DependencyError } from '../domain/errors.ts';
import { newMongoId } from '../domain/ids.ts';
import { findByRef, findNetwork, type EntityRef } from '../domain/refs.ts';
import { assertValid, checkParentPresent, definedOnly, problemsOfEdit } from '../domain/rules.ts';
import { ValidationError } from '../domain/errors.ts';
import { assertNoExportRunning, guardedWrite, isSynced } from '../domain/writes.ts';
import { assertChangeable, assertNoLiveChildren, deletingData, syncedEditData } from '../sync/edits.ts';
import type { Zone } from '../generated/prisma/client.ts';
import { checkZone } from './zone.rules.ts';

export interface NewZone {
  /** Broadstreet network id. */
  networkId: number;
  name: string;
  alias?: string | null;
  selfServe?: boolean | null;
}

export async function createZone(db: Db, input: NewZone): Promise<Zone> {
  const fields = { name: input.name, alias: input.alias || null, selfServe: input.selfServe ?? false };
  assertValid(checkZone(fields));
  const network = await findNetwork(db, input.networkId);
  assertValid(checkParentPresent('networkId', network));
  return db.zone.create({ data: { ...fields, mongoId: newMongoId(), networkId: network.id, createdLocally: true } });
}

export interface ZoneChanges {
  zone: EntityRef;
  name?: string | null;
  alias?: string | null;
  selfServe?: boolean | null;
}

/** Broadstreet's PUT /zones/{id} takes name and alias only. */
export const SYNCED_SELF_SERVE =
  "Broadstreet's API cannot change the self-serve flag of an existing zone: change it in Broadstreet (the next import brings it here)";

/**
 * Changes a zone. A local-only one changes as it is; a synced one reads
 * CHANGED until the next export pushes name and alias.
 */
export async function updateZone(db: Db, input: ZoneChanges): Promise<Zone> {
  const row = await findChangeableZone(db, input.zone);
  const changes = definedOnly({ name: input.name, alias: input.alias === '' ? null : input.alias, selfServe: input.selfServe });
  assertValid(problemsOfEdit(checkZone({ ...row, ...changes }), isSynced(row), changes));
  if (!isSynced(row)) {
    return guardedWrite(`zone ${row.mongoId} was not updated`, () =>
      db.zone.update({ where: { id: row.id, broadstreetId: null }, data: changes as never }),
    );
  }
  if (changes.selfServe !== undefined && changes.selfServe !== row.selfServe) {
    throw ValidationError.of([{ path: ['input', 'selfServe'], message: SYNCED_SELF_SERVE }]);
  }
  const { selfServe: _unchanged, ...synced } = changes;
  return guardedWrite(`zone ${row.mongoId} was not updated`, () =>
    db.zone.update({ where: { id: row.id, updatedAt: row.updatedAt }, data: syncedEditData('ZONE', row, synced) as never }),
  );
}

/**
 * Deletes a zone that no live placement uses: a local-only one at once; a
 * synced one is marked DELETING and the next export deletes it in Broadstreet.
 */
export async function deleteZone(db: Db, ref: EntityRef): Promise<Zone> {
  const row = await findChangeableZone(db, ref);
  if (isSynced(row)) {
    if (row.deletedAt) return row;
    await assertNoLiveChildren(db, 'ZONE', row);
    return guardedWrite(`zone ${row.mongoId} was not deleted`, () =>
      db.zone.update({ where: { id: row.id, updatedAt: row.updatedAt }, data: deletingData('ZONE', row) as never }),
    );
  }
  const placements = await db.placement.count({ where: { zoneId: row.id } });
  if (placements > 0) {
    throw new DependencyError(`zone ${row.mongoId} has ${placements} placement(s); delete them first (deleting never cascades)`);
  }
  await guardedWrite(`zone ${row.mongoId} was not deleted`, () => db.zone.delete({ where: { id: row.id, broadstreetId: null } }));
  return row;
}

async function findChangeableZone(db: Db, ref: EntityRef): Promise<Zone> {
  const row = await findByRef(db, 'zone', ref, { path: ['input', 'zone'] });
  assertChangeable('ZONE', row);
  await assertNoExportRunning(db, row.networkId);
  return row;
}
