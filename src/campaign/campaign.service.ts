// Campaign writes and the reads that have rules.
import type { Db } from '../db/index.ts';
import { DependencyError } from '../domain/errors.ts';
import { newMongoId } from '../domain/ids.ts';
import { findByRef, type EntityRef } from '../domain/refs.ts';
import { assertValid, definedOnly } from '../domain/rules.ts';
import { assertLocalOnly, assertNoExportRunning, guardedWrite } from '../domain/writes.ts';
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

export async function updateCampaign(db: Db, input: CampaignChanges): Promise<Campaign> {
  const row = await findLocalCampaign(db, input.campaign);
  const { campaign: _ref, ...fields } = input;
  const changes = definedOnly(fields);
  assertValid(checkCampaign({ ...row, ...changes }));
  return guardedWrite(`campaign ${row.mongoId} was not updated`, () =>
    db.campaign.update({ where: { id: row.id, broadstreetId: null }, data: changes as never }),
  );
}

/** Deletes a local-only campaign that has no placements; returns the deleted row. */
export async function deleteCampaign(db: Db, ref: EntityRef): Promise<Campaign> {
  const row = await findLocalCampaign(db, ref);
  const placements = await db.placement.count({ where: { campaignId: row.id } });
  if (placements > 0) {
    throw new DependencyError(`campaign ${row.mongoId} has ${placements} placement(s); delete them first (deleting never cascades)`);
  }
  await guardedWrite(`campaign ${row.mongoId} was not deleted`, () => db.campaign.delete({ where: { id: row.id, broadstreetId: null } }));
  return row;
}

async function findLocalCampaign(db: Db, ref: EntityRef): Promise<Campaign> {
  const row = await findByRef(db, 'campaign', ref, { path: ['input', 'campaign'] });
  assertLocalOnly('CAMPAIGN', row);
  await assertNoExportRunning(db, row.networkId);
  return row;
}
