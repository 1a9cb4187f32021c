// The business rules re-checked before export: the same ones the entity API
// enforces on create and update, applied to the stored row.
import { checkAdvertiser } from '../../advertiser/advertiser.rules.ts';
import { checkCampaign } from '../../campaign/campaign.rules.ts';
import { checkPlacement } from '../../placement/placement.rules.ts';
import { checkZone } from '../../zone/zone.rules.ts';
import type { ExportType } from './plan.ts';

const CHECKS: Record<ExportType, (row: never) => { path: string[]; message: string }[]> = {
  ADVERTISER: checkAdvertiser,
  ZONE: checkZone,
  CAMPAIGN: checkCampaign,
  PLACEMENT: checkPlacement,
};

/** Problems that keep a stored row from being exported, in words ("endDate: must not be before …"). */
export function problemsOf(type: ExportType, row: object): string[] {
  return CHECKS[type](row as never).map((p) => (p.path.length > 0 ? `${p.path.join('.')}: ${p.message}` : p.message));
}
