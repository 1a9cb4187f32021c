// The entity types in dependency order (parents first), each with its spec.
// Imports and exports walk this list; a phase works on the type whose spec
// names it.
import { advertisementSync } from '../advertisement/advertisement.sync.ts';
import { advertiserSync } from '../advertiser/advertiser.sync.ts';
import { campaignSync } from '../campaign/campaign.sync.ts';
import type { EntityType, ExportableType, SyncPhase } from '../domain/enums.ts';
import { networkSync } from '../network/network.sync.ts';
import { placementSync } from '../placement/placement.sync.ts';
import { zoneSync } from '../zone/zone.sync.ts';
import type { EntitySyncSpec, ExportSpec, NamedExport } from './spec.ts';

export const SPECS: readonly EntitySyncSpec[] = [networkSync, advertiserSync, zoneSync, advertisementSync, campaignSync, placementSync];

const byType = new Map<EntityType, EntitySyncSpec>(SPECS.map((s) => [s.type, s]));

export function specOf(type: EntityType): EntitySyncSpec {
  return byType.get(type)!;
}

/** The entity type a phase works on, if any. */
export function phaseEntity(phase: SyncPhase): EntityType | undefined {
  return SPECS.find((s) => s.phase === phase)?.type;
}

export type ExportableSpec = EntitySyncSpec & { type: ExportableType; export: ExportSpec<any, any> };

/** The types an export sends, parents first. */
export const EXPORT_SPECS = SPECS.filter((s): s is ExportableSpec => s.export !== undefined);

export function exportSpecOf(type: ExportableType): ExportableSpec {
  return EXPORT_SPECS.find((s) => s.type === type)!;
}

/** The named types whose names are unique under an entity of `type` (campaigns under an advertiser). */
export function namedUnder(type: ExportableType): ExportableSpec[] {
  return EXPORT_SPECS.filter((s) => {
    const how = s.export.how;
    return how.identity === 'name' && how.nameScope.under === type;
  });
}

export type NamedSpec = ExportableSpec & { export: { how: NamedExport<any, any> } };

export function isNamed(spec: ExportableSpec): spec is NamedSpec {
  return spec.export.how.identity === 'name';
}
