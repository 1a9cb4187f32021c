// Placement writes and the reads that have rules. Broadstreet identifies a
// placement by its triple (campaign, advertisement, zone); so do we, uniquely.
import type { Db } from '../db/index.ts';
import { ConflictError, NotFoundError } from '../domain/errors.ts';
import { newMongoId } from '../domain/ids.ts';
import { findByRef, type EntityRef } from '../domain/refs.ts';
import { assertValid } from '../domain/rules.ts';
import { assertLocalOnly, assertNoExportRunning, guardedWrite } from '../domain/writes.ts';
import type { Campaign, Placement } from '../generated/prisma/client.ts';
import { checkPlacement, checkPlacementParents } from './placement.rules.ts';

export interface NewPlacement {
  campaign: EntityRef;
  /** Broadstreet id of the advertisement (advertisements are import-only). */
  advertisementId: number;
  zone: EntityRef;
  restrictions?: string[] | null;
}

export async function createPlacement(db: Db, input: NewPlacement): Promise<Placement> {
  const fields = { restrictions: input.restrictions ?? [] };
  assertValid(checkPlacement(fields));
  const parents = await findParents(db, input);
  assertValid(checkPlacementParents(parents));
  const triple = { campaignId: parents.campaign.id, advertisementId: parents.advertisement.id, zoneId: parents.zone.id };
  const existing = await db.placement.findUnique({ where: { campaignId_advertisementId_zoneId: triple } });
  if (existing) throw tripleTaken(existing);
  return guardedWrite('the placement was not created', () =>
    db.placement.create({
      data: { ...fields, ...triple, mongoId: newMongoId(), networkId: parents.campaign.networkId, createdLocally: true },
    }),
  );
}

async function findParents(db: Db, input: NewPlacement) {
  const campaign = await findByRef(db, 'campaign', input.campaign, { path: ['input', 'campaign'] });
  const [advertisement, zone] = await Promise.all([
    findByRef(
      db,
      'advertisement',
      { broadstreetId: input.advertisementId },
      { networkId: campaign.networkId, path: ['input', 'advertisementId'] },
    ),
    // A mongoId is global: a zone of another network is found, then refused by the rules with a clear message.
    findByRef(db, 'zone', input.zone, { ...inNetworkOf(campaign, input.zone), path: ['input', 'zone'] }),
  ]);
  return { campaign, advertisement, zone };
}

function inNetworkOf(campaign: Campaign, ref: EntityRef): { networkId?: number } {
  return ref.broadstreetId != null ? { networkId: campaign.networkId } : {};
}

function tripleTaken(existing: Placement): ConflictError {
  return new ConflictError(
    `this campaign already places this advertisement in this zone (placement ${existing.mongoId}); a placement's triple is unique`,
  );
}

export async function updatePlacement(db: Db, input: { mongoId: string; restrictions: string[] }): Promise<Placement> {
  const row = await findLocalPlacement(db, input.mongoId);
  const changes = { restrictions: input.restrictions };
  assertValid(checkPlacement(changes));
  return guardedWrite(`placement ${row.mongoId} was not updated`, () =>
    db.placement.update({ where: { id: row.id, syncedAt: null }, data: changes }),
  );
}

/** Deletes a local-only placement; returns the deleted row. */
export async function deletePlacement(db: Db, mongoId: string): Promise<Placement> {
  const row = await findLocalPlacement(db, mongoId);
  await guardedWrite(`placement ${row.mongoId} was not deleted`, () => db.placement.delete({ where: { id: row.id, syncedAt: null } }));
  return row;
}

async function findLocalPlacement(db: Db, mongoId: string): Promise<Placement> {
  const row = await db.placement.findUnique({ where: { mongoId } });
  if (!row) throw new NotFoundError(`no placement with mongoId ${mongoId}`, 'PLACEMENT');
  assertLocalOnly('PLACEMENT', row);
  await assertNoExportRunning(db, row.networkId);
  return row;
}
