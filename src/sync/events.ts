// Reading a run's stored events back as ProgressEvents.
import type { Db } from '../db/index.ts';
import type { SyncPhase, SyncStatus } from '../domain/enums.ts';
import type { SyncEvent } from '../generated/prisma/client.ts';
import type { ProgressEvent, SyncErrorRecord } from './types.ts';

type StoredError = Omit<SyncErrorRecord, 'at'> & { at: string };

export function eventFromRow(row: SyncEvent): ProgressEvent {
  return {
    seq: row.seq,
    runId: row.runId,
    status: row.status as SyncStatus,
    phase: row.phase as SyncPhase | null,
    current: row.current,
    total: row.total,
    percentage: row.percentage,
    message: row.message,
    errors: (row.errors as unknown as StoredError[]).map((e) => ({ ...e, at: new Date(e.at) })),
    warnings: row.warnings as string[],
    at: row.at,
  };
}

/** Events of a run with afterSeq < seq (< beforeSeq), in order; the first `take` of them when given. */
export async function loadEvents(db: Db, runId: number, afterSeq = 0, beforeSeq?: number, take?: number): Promise<ProgressEvent[]> {
  const rows = await db.syncEvent.findMany({
    where: { runId, seq: { gt: afterSeq, ...(beforeSeq !== undefined ? { lt: beforeSeq } : {}) } },
    orderBy: { seq: 'asc' },
    take,
  });
  return rows.map(eventFromRow);
}

/** Rebuilds an event that crossed a process boundary (dates arrive as strings). */
export function reviveEvent(event: ProgressEvent): ProgressEvent {
  return {
    ...event,
    at: new Date(event.at),
    errors: event.errors.map((e) => ({ ...e, at: new Date(e.at) })),
  };
}
