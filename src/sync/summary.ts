// The numbers of a network's sync summary: entities that are local only,
// changed locally, in conflict, failing, or removed from Broadstreet.
import type { Db } from '../db/index.ts';

export interface EntityStateCounts {
  localCount: number;
  changedCount: number;
  conflictCount: number;
  erroredCount: number;
  removedCount: number;
}

/** Counts over a network's rows (its local id). */
export async function entityStateCounts(db: Db, network: { id: number; broadstreetId: number | null }): Promise<EntityStateCounts> {
  const networkId = network.id;
  const local = { networkId, broadstreetId: null, removedAt: null };
  const removed = { networkId, removedAt: { not: null } };
  const [localCounts, removedCounts, erroredCount, twoWay] = await Promise.all([
    Promise.all([
      db.advertiser.count({ where: local }),
      db.zone.count({ where: local }),
      db.campaign.count({ where: local }),
      db.placement.count({ where: { networkId, syncedAt: null, removedAt: null } }),
    ]),
    Promise.all([
      db.advertiser.count({ where: removed }),
      db.zone.count({ where: removed }),
      db.advertisement.count({ where: removed }),
      db.campaign.count({ where: removed }),
      db.placement.count({ where: removed }),
    ]),
    network.broadstreetId == null ? 0 : failingEntities(db, network.broadstreetId),
    twoWayCounts(db, networkId),
  ]);
  const sum = (ns: number[]) => ns.reduce((a, b) => a + b, 0);
  return { localCount: sum(localCounts), removedCount: sum(removedCounts), erroredCount, ...twoWay };
}

/** Entities with errors in the network's latest finished import or export (not a dry run): what still fails. */
async function failingEntities(db: Db, broadstreetNetworkId: number): Promise<number> {
  const latest = await Promise.all(
    (['IMPORT', 'EXPORT'] as const).map((direction) =>
      db.syncRun.findFirst({
        where: { networkId: broadstreetNetworkId, direction, dryRun: false, finishedAt: { not: null } },
        orderBy: { id: 'desc' },
        select: { id: true },
      }),
    ),
  );
  const runIds = latest.flatMap((r) => (r ? [r.id] : []));
  if (runIds.length === 0) return 0;
  const failing = await db.syncError.findMany({
    where: { runId: { in: runIds }, mongoId: { not: null } },
    distinct: ['mongoId'],
    select: { mongoId: true },
  });
  return failing.length;
}

/**
 * Locally changed entities (edits not yet pushed, or deletes not yet made in
 * Broadstreet) and conflicting ones, from the two-way columns that mirror each
 * row's state (changedAt, deletedAt, conflictAt; see src/sync/status.ts).
 */
async function twoWayCounts(db: Db, networkId: number): Promise<Pick<EntityStateCounts, 'changedCount' | 'conflictCount'>> {
  const changed = { networkId, conflictAt: null, removedAt: null, OR: [{ changedAt: { not: null } }, { deletedAt: { not: null } }] };
  const conflict = { networkId, conflictAt: { not: null } };
  const [changedCounts, conflictCounts] = await Promise.all([
    Promise.all([
      db.advertiser.count({ where: changed }),
      db.zone.count({ where: changed }),
      db.campaign.count({ where: changed }),
      db.placement.count({ where: changed }),
    ]),
    Promise.all([
      db.advertiser.count({ where: conflict }),
      db.zone.count({ where: conflict }),
      db.campaign.count({ where: conflict }),
      db.placement.count({ where: conflict }),
    ]),
  ]);
  const sum = (ns: number[]) => ns.reduce((a, b) => a + b, 0);
  return { changedCount: sum(changedCounts), conflictCount: sum(conflictCounts) };
}
