// Zone writes and the reads that have rules.
import type { Db } from '../db/index.ts';
import { DependencyError } from '../domain/errors.ts';
import { newMongoId } from '../domain/ids.ts';
import { findByRef, findNetwork, type EntityRef } from '../domain/refs.ts';
import { assertValid, checkParentPresent, definedOnly } from '../domain/rules.ts';
import { assertLocalOnly, assertNoExportRunning, guardedWrite } from '../domain/writes.ts';
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

export async function updateZone(db: Db, input: ZoneChanges): Promise<Zone> {
  const row = await findLocalZone(db, input.zone);
  const changes = definedOnly({ name: input.name, alias: input.alias === '' ? null : input.alias, selfServe: input.selfServe });
  assertValid(checkZone({ ...row, ...changes }));
  return guardedWrite(`zone ${row.mongoId} was not updated`, () =>
    db.zone.update({ where: { id: row.id, broadstreetId: null }, data: changes as never }),
  );
}

/** Deletes a local-only zone that no placement uses; returns the deleted row. */
export async function deleteZone(db: Db, ref: EntityRef): Promise<Zone> {
  const row = await findLocalZone(db, ref);
  const placements = await db.placement.count({ where: { zoneId: row.id } });
  if (placements > 0) {
    throw new DependencyError(`zone ${row.mongoId} has ${placements} placement(s); delete them first (deleting never cascades)`);
  }
  await guardedWrite(`zone ${row.mongoId} was not deleted`, () => db.zone.delete({ where: { id: row.id, broadstreetId: null } }));
  return row;
}

async function findLocalZone(db: Db, ref: EntityRef): Promise<Zone> {
  const row = await findByRef(db, 'zone', ref, { path: ['input', 'zone'] });
  assertLocalOnly('ZONE', row);
  await assertNoExportRunning(db, row.networkId);
  return row;
}
