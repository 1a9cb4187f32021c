// What every local write shares: only local-only entities may change, and a
// race lost to another writer is a typed error, not a crash.
import { Prisma, type Db } from '../db/index.ts';
import { ACTIVE_STATUSES, type EntityType } from './enums.ts';
import { ConflictError, DependencyError, ReadOnlyError } from './errors.ts';

interface SyncedRow {
  mongoId: string;
  broadstreetId?: number | null;
  syncedAt: Date | null;
}

/** Is the row in Broadstreet? Placements have no broadstreetId: syncedAt says it. */
export function isSynced(row: SyncedRow): boolean {
  return 'broadstreetId' in row ? row.broadstreetId != null : row.syncedAt != null;
}

/** Refuses to change an entity that exists in Broadstreet: it is changed there and imported. */
export function assertLocalOnly(entityType: EntityType, row: SyncedRow): void {
  if (!isSynced(row)) return;
  const which = row.broadstreetId != null ? ` (Broadstreet id ${row.broadstreetId})` : '';
  throw new ReadOnlyError(
    `${entityType.toLowerCase()} ${row.mongoId} is synced with Broadstreet${which}: it is read-only here`,
    entityType,
    row.mongoId,
  );
}

/**
 * Runs a write whose preconditions were checked just before; maps the
 * database's refusal when another writer got in between (a unique triple
 * taken, a child added, the row exported or deleted) to a typed error.
 */
export async function guardedWrite<T>(what: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (!(error instanceof Prisma.PrismaClientKnownRequestError)) throw error;
    if (error.code === 'P2002') throw new ConflictError(`${what}: it already exists`);
    if (error.code === 'P2003') throw new DependencyError(`${what}: other entities refer to it`);
    if (error.code === 'P2025') throw new ConflictError(`${what}: it changed meanwhile (exported or deleted); read it again`);
    throw error;
  }
}

/**
 * Refuses to change or delete a local entity while an export of its network
 * is queued or running: the export may be creating it in Broadstreet at this
 * moment, and a change now would be lost or leave an orphan there.
 */
export async function assertNoExportRunning(db: Db, networkId: number): Promise<void> {
  const network = await db.network.findUniqueOrThrow({ where: { id: networkId }, select: { broadstreetId: true } });
  const run = await db.syncRun.findFirst({
    where: { networkId: network.broadstreetId ?? -1, direction: 'EXPORT', dryRun: false, status: { in: [...ACTIVE_STATUSES] } },
    select: { id: true },
  });
  if (run) {
    throw new ConflictError(`an export of network ${network.broadstreetId} is in progress (run ${run.id}); try again when it has finished`);
  }
}
