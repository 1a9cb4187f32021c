// Campaign writes and the reads that have rules.
import type { Db } from '../db/index.ts';
import { DependencyError } from '../domain/errors.ts';
import { newMongoId } from '../domain/ids.ts';
import { findByRef, type EntityRef } from '../domain/refs.ts';
import { assertValid, definedOnly, problemsOfEdit } from '../domain/rules.ts';
import { assertNoExportRunning, guardedWrite, isSynced } from '../domain/writes.ts';
import { assertChangeable, assertNoLiveChildren, assertParentsNotDeleting, deletingData, syncedEditData } from '../sync/edits.ts';
import type { Campaign } from '../generated/prisma/client.ts';
import { CAMPAIGN_DEFAULTS, checkCampaign, checkCampaignParent, type CampaignFields } from './campaign.rules.ts';

type Nullish<T> = { [K in keyof T]?: T[K] | null };

export interface NewCampaign extends Nullish<Omit<CampaignFields, 'name'>> {
  advertiser: EntityRef;
  name: string;
}

export async function createCampaign(db: Db, input: NewCampaign): Promise<Campaign> {
  const fields = withDefaults(input);
  assertValid(checkCampaign(fields));
  const advertiser = await findByRef(db, 'advertiser', input.advertiser, { path: ['input', 'advertiser'] });
  assertValid(checkCampaignParent(advertiser));
  assertParentsNotDeleting('CAMPAIGN', [{ type: 'ADVERTISER', row: advertiser }]);
  return db.campaign.create({
    data: { ...fields, mongoId: newMongoId(), networkId: advertiser.networkId, advertiserId: advertiser.id, createdLocally: true },
  });
}

function withDefaults(input: NewCampaign): CampaignFields {
  return {
    name: input.name,
    startDate: input.startDate ?? null,
    endDate: input.endDate ?? null,
    weight: input.weight ?? CAMPAIGN_DEFAULTS.weight,
    displayType: input.displayType ?? CAMPAIGN_DEFAULTS.displayType,
    pacingType: input.pacingType ?? CAMPAIGN_DEFAULTS.pacingType,
    impressionMaxType: input.impressionMaxType ?? CAMPAIGN_DEFAULTS.impressionMaxType,
    maxImpressionCount: input.maxImpressionCount ?? null,
    paused: input.paused ?? CAMPAIGN_DEFAULTS.paused,
    archived: input.archived ?? CAMPAIGN_DEFAULTS.archived,
    notes: input.notes ?? null,
  };
}

export interface CampaignChanges extends Nullish<CampaignFields> {
  campaign: EntityRef;
}

/**
 * Changes a campaign. A local-only one changes as it is; a synced one reads
 * CHANGED until the next export pushes the changed fields (an edit of one
 * marked for deletion restores it).
 */
export async function updateCampaign(db: Db, input: CampaignChanges): Promise<Campaign> {
  const row = await findChangeableCampaign(db, input.campaign);
  const { campaign: _ref, ...fields } = input;
  const changes = definedOnly(fields);
  assertValid(problemsOfEdit(checkCampaign({ ...row, ...changes }), isSynced(row), changes));
  if (!isSynced(row)) {
    return guardedWrite(`campaign ${row.mongoId} was not updated`, () =>
      db.campaign.update({ where: { id: row.id, broadstreetId: null }, data: changes as never }),
    );
  }
  if (row.deletedAt) {
    const advertiser = await db.advertiser.findUniqueOrThrow({ where: { id: row.advertiserId } });
    assertParentsNotDeleting('CAMPAIGN', [{ type: 'ADVERTISER', row: advertiser }]);
  }
  return guardedWrite(`campaign ${row.mongoId} was not updated`, () =>
    db.campaign.update({ where: { id: row.id, updatedAt: row.updatedAt }, data: syncedEditData('CAMPAIGN', row, changes) as never }),
  );
}

/**
 * Deletes a campaign that has no live placements: a local-only one at once
 * (returned as it was); a synced one is marked DELETING and the next export
 * deletes it in Broadstreet.
 */
export async function deleteCampaign(db: Db, ref: EntityRef): Promise<Campaign> {
  const row = await findChangeableCampaign(db, ref);
  if (isSynced(row)) {
    if (row.deletedAt) return row;
    await assertNoLiveChildren(db, 'CAMPAIGN', row);
    return guardedWrite(`campaign ${row.mongoId} was not deleted`, () =>
      db.campaign.update({ where: { id: row.id, updatedAt: row.updatedAt }, data: deletingData('CAMPAIGN', row) as never }),
    );
  }
  const placements = await db.placement.count({ where: { campaignId: row.id } });
  if (placements > 0) {
    throw new DependencyError(`campaign ${row.mongoId} has ${placements} placement(s); delete them first (deleting never cascades)`);
  }
  await guardedWrite(`campaign ${row.mongoId} was not deleted`, () => db.campaign.delete({ where: { id: row.id, broadstreetId: null } }));
  return row;
}

async function findChangeableCampaign(db: Db, ref: EntityRef): Promise<Campaign> {
  const row = await findByRef(db, 'campaign', ref, { path: ['input', 'campaign'] });
  assertChangeable('CAMPAIGN', row);
  await assertNoExportRunning(db, row.networkId);
  return row;
}
