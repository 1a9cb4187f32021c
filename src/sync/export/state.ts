// What one export works with while it runs, and its per-entity report
// (SyncItem rows).
import { IN_CHUNK } from '../../db/paged.ts';
import type { Network } from '../../generated/prisma/client.ts';
import type { RunContext } from '../context.ts';
import type { FieldChange } from '../merge.ts';
import type { RemoteNames } from './names.ts';
import type { ExportPlan, PlanItem } from './plan.ts';

export type Outcome = 'CREATED' | 'UPDATED' | 'DELETED' | 'UNCHANGED' | 'CONFLICT' | 'FAILED' | 'SKIPPED' | 'EXISTING';
/** retryable: for a FAILED outcome, whether a retry run could succeed (what a skipped child inherits). */
/** deferred: a transient failure in a phase's first pass, not recorded yet: the second pass tries it again. */
export type Result = { outcome: Outcome; retryable?: boolean; deferred?: boolean };

export interface ExportState {
  plan: ExportPlan;
  names: RemoteNames;
  outcomes: Map<string, Outcome>;
  /** Of failed and skipped items: whether a retry run could succeed. */
  retryable: Map<string, boolean>;
  network: Network;
  /** Items (itemKey) in their phase's second pass: a transient failure is recorded, no longer deferred (export.ts). */
  secondPass: Set<string>;
}

export interface ItemRecord {
  item: PlanItem;
  outcome: string;
  message?: string;
  resolvedName?: string;
  broadstreetId?: number;
  /** Field changes planned or made (updates), or the conflicting fields' remote values. */
  changes?: FieldChange[];
  /** A dry run's fingerprints of what it planned from (src/sync/plan/stamps.ts). */
  localStamp?: string;
  remoteStamp?: string;
}

/** The columns of a SyncItem that an outcome sets. */
const itemData = (r: ItemRecord) => ({
  outcome: r.outcome,
  message: r.message ?? null,
  resolvedName: r.resolvedName ?? null,
  broadstreetId: r.broadstreetId ?? null,
  ...(r.changes ? { changes: r.changes as never } : {}),
  ...(r.localStamp ? { localStamp: r.localStamp } : {}),
  ...(r.remoteStamp ? { remoteStamp: r.remoteStamp } : {}),
});

/** Writes the per-entity report (SyncItem), creating or updating each row. */
export async function recordItems(ctx: RunContext, records: ItemRecord[]): Promise<void> {
  if (records.length === 0) return;
  if (records.length === 1) {
    // One entity's outcome (most calls): a single upsert, not a read and a transaction.
    const r = records[0]!;
    await ctx.db.syncItem.upsert({
      where: { runId_mongoId: { runId: ctx.run.id, mongoId: r.item.mongoId } },
      create: { runId: ctx.run.id, entityType: r.item.type, mongoId: r.item.mongoId, name: r.item.name, ...itemData(r) },
      update: itemData(r),
    });
    return;
  }
  const existing = new Set<string>();
  // In chunks: Prisma refuses a query with more bound values than the database
  // allows (an export of 1,000 entities failed here at once on SQLite).
  for (let i = 0; i < records.length; i += IN_CHUNK) {
    const mongoIds = records.slice(i, i + IN_CHUNK).map((r) => r.item.mongoId);
    const rows = await ctx.db.syncItem.findMany({ where: { runId: ctx.run.id, mongoId: { in: mongoIds } }, select: { mongoId: true } });
    for (const row of rows) existing.add(row.mongoId);
  }

  const fresh = records.filter((r) => !existing.has(r.item.mongoId));
  for (let i = 0; i < fresh.length; i += IN_CHUNK) {
    await ctx.db.syncItem.createMany({
      data: fresh
        .slice(i, i + IN_CHUNK)
        .map((r) => ({ runId: ctx.run.id, entityType: r.item.type, mongoId: r.item.mongoId, name: r.item.name, ...itemData(r) })),
    });
  }
  const known = records.filter((r) => existing.has(r.item.mongoId));
  if (known.length > 0) {
    await ctx.db.$transaction(
      known.map((r) =>
        ctx.db.syncItem.update({ where: { runId_mongoId: { runId: ctx.run.id, mongoId: r.item.mongoId } }, data: itemData(r) }),
      ),
    );
  }
}
