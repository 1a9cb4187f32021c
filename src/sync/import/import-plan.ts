// The plan of an import (DESIGN.md §2b "Plan and apply"). A dry run stores
// per entity what the import would do — CREATE, UPDATE (field from → to),
// DELETE (Broadstreet no longer has it: the row becomes removed) or CONFLICT —
// with fingerprints of the local row and of Broadstreet's values it planned
// from. Entities it would leave unchanged are counted, not stored.
//
// A run with applyPlan executes exactly that plan: every action the import
// would take now is matched to the plan's entry for that entity (by planKey).
// The same action from the same local row and the same Broadstreet values is
// taken; anything else — an entity that changed on either side since, that
// is new in Broadstreet since, or that the plan left unchanged and now needs
// an action — is skipped as CONFLICT ("changed since the plan"), never taken
// blindly. Planned entities the run never met (gone from Broadstreet's lists,
// or under a parent that was skipped) are reported the same way at the end.
import type { EntityType } from '../../domain/enums.ts';
import type { RunContext } from '../context.ts';
import { syncError } from '../failures.ts';
import type { FieldChange } from '../merge.ts';
import { sameValue } from '../merge.ts';
import { CHANGED_SINCE_PLAN } from '../export/since-plan.ts';
import { localStamp, remoteStamp } from '../plan/stamps.ts';
import type { SyncedField } from '../spec.ts';
import { specOf } from '../specs.ts';
import type { GoneOutcome, ImportOutcome } from './merge-row.ts';

export type ImportAction = 'CREATE' | 'UPDATE' | 'DELETE' | 'CONFLICT' | 'UNCHANGED';

const PLANNED: Record<Exclude<ImportAction, 'UNCHANGED'>, string> = {
  CREATE: 'PLANNED_CREATE',
  UPDATE: 'PLANNED_UPDATE',
  DELETE: 'PLANNED_DELETE',
  CONFLICT: 'CONFLICT',
};
const DONE: Record<Exclude<ImportAction, 'UNCHANGED'>, string> = {
  CREATE: 'CREATED',
  UPDATE: 'UPDATED',
  DELETE: 'DELETED',
  CONFLICT: 'CONFLICT',
};
/** The plan action of a row's import outcome: the merge of a row Broadstreet still lists, or of one it no longer does (removed). */
export const ACTION_OF_OUTCOME = {
  updated: 'UPDATE',
  unchanged: 'UNCHANGED',
  conflicts: 'CONFLICT',
  removed: 'DELETE',
} as const satisfies Record<ImportOutcome | GoneOutcome, ImportAction>;

const ACTION_OF: Record<string, ImportAction> = {
  PLANNED_CREATE: 'CREATE',
  PLANNED_UPDATE: 'UPDATE',
  PLANNED_DELETE: 'DELETE',
  CONFLICT: 'CONFLICT',
};

/** One entity's action, as the import is about to take it. */
export interface ImportStep {
  type: EntityType;
  /** The local row's mongoId, or for a create the one the new row will get. */
  mongoId: string;
  /** Existing rows: their mongoId; creates: createKey(). */
  key: string;
  name: string | null;
  broadstreetId: number | null;
  action: ImportAction;
  /** The local row as read (null for a create). */
  row: Record<string, unknown> | null;
  /** Broadstreet's values as read (null when it no longer lists the entity). */
  remote: unknown;
  changes?: FieldChange[];
  message?: string;
}

/** The key of an entity the import would create: its type and Broadstreet identity. */
export const createKey = (type: EntityType, ...identity: (number | string)[]) => `${type}:${identity.join(':')}`;

interface Entry {
  key: string;
  mongoId: string;
  entityType: string;
  name: string | null;
  broadstreetId: number | null;
  outcome: string;
  localStamp: string | null;
  remoteStamp: string | null;
}

interface ItemRow {
  runId: number;
  entityType: string;
  mongoId: string;
  planKey: string;
  name: string | null;
  broadstreetId: number | null;
  outcome: string;
  message: string | null;
  changes?: never;
  localStamp: string | null;
  remoteStamp: string | null;
}

const CHUNK = 500;
const EMPTY: ReadonlySet<number> = new Set();

/**
 * The changes an update writes, for the report: columns of `data` that differ
 * from the row's. Each is named as an export plan names it, by its synced
 * field's GraphQL name (the type's two-way spec); a column no field syncs
 * keeps its column name.
 */
export function columnChanges(
  type: EntityType,
  row: Record<string, unknown>,
  data: Record<string, unknown> | null,
  columns: readonly string[],
): FieldChange[] {
  return changesByField(row, data, columns, specOf(type).twoWay?.fields ?? []);
}

/** columnChanges with the synced fields given. */
export function changesByField(
  row: Record<string, unknown>,
  data: Record<string, unknown> | null,
  columns: readonly string[],
  synced: readonly SyncedField[],
): FieldChange[] {
  if (!data) return [];
  const fieldOf = new Map(synced.map((f) => [f.column, f.field]));
  return columns
    .filter((c) => c in data && !sameValue(row[c], data[c]))
    .map((c) => ({ field: fieldOf.get(c) ?? c, from: row[c] ?? null, to: data[c] ?? null, driftChecked: true }));
}

/** The plan of each running import (kept off RunContext: the context module stays free of the import's). */
const PLANS = new WeakMap<RunContext, ImportPlan>();

/** An import's plan: kept by a dry run, followed by an applyPlan run; null for an ordinary import. */
export function importPlanOf(ctx: RunContext): ImportPlan | null {
  return PLANS.get(ctx) ?? null;
}

export class ImportPlan {
  private readonly pending: ItemRow[] = [];
  private readonly decided = new Map<string, string | null>();
  /** mongoIds with an item in this run: one item per entity (SyncItem is unique by run and mongoId). */
  private readonly storedIds = new Set<string>();
  /** A dry run's rows it would mark removed, by type: it writes nothing, so what hangs off them is found from these. */
  private readonly goneIds = new Map<EntityType, Set<number>>();
  private chain: Promise<void> = Promise.resolve();

  private constructor(
    private readonly ctx: RunContext,
    /** record: a dry run storing its plan; apply: a run executing a stored one. */
    private readonly mode: 'record' | 'apply',
    private readonly entries: Map<string, Entry>,
  ) {}

  /** The plan an import run keeps or follows; null for an ordinary import (it stores no per-entity report). */
  static async open(ctx: RunContext): Promise<ImportPlan | null> {
    if (!ctx.run.dryRun && ctx.run.applyPlanId == null) return null;
    const plan = ctx.run.dryRun ? new ImportPlan(ctx, 'record', new Map()) : new ImportPlan(ctx, 'apply', await loadEntries(ctx));
    // A resumed run (its process died): what it stored already is decided, and stored once.
    const stored = await ctx.db.syncItem.findMany({
      where: { runId: ctx.run.id },
      select: { planKey: true, mongoId: true, outcome: true },
    });
    for (const item of stored) {
      const key = item.planKey ?? item.mongoId;
      plan.decided.set(key, item.outcome === 'CONFLICT' && !ctx.run.dryRun ? null : item.mongoId);
      plan.entries.delete(key);
      plan.storedIds.add(item.mongoId);
    }
    PLANS.set(ctx, plan);
    return plan;
  }

  /**
   * Whether the import takes this step now: the mongoId to take it under, or
   * null. A dry run records it (and writes nothing anyway); an apply takes it
   * only as planned (a create under the plan's mongoId), else reports it as
   * changed since the plan and skips it.
   */
  take(step: ImportStep): string | null {
    // An entity met twice (a dry run writes nothing, so its removal cascade meets a removed campaign again): one answer.
    const before = this.decided.get(step.key);
    if (before !== undefined) return before;
    const taken = this.decide(step);
    this.decided.set(step.key, taken);
    return taken;
  }

  /** The mongoId to take the step under (a planned create keeps the plan's), or null: skipped. */
  private decide(step: ImportStep): string | null {
    const local = step.row ? localStamp(step.row) : null;
    const remote = step.remote === null ? null : remoteStamp(step.remote);
    if (this.mode === 'record') {
      if (step.action !== 'UNCHANGED') this.store(step, PLANNED[step.action], step.message ?? null, local, remote);
      return step.mongoId;
    }
    const entry = this.entries.get(step.key);
    this.entries.delete(step.key);
    const planned: ImportAction = (entry && ACTION_OF[entry.outcome]) || 'UNCHANGED';
    if (planned === step.action && (!entry || (entry.localStamp === local && entry.remoteStamp === remote))) {
      const mongoId = entry?.mongoId ?? step.mongoId;
      if (step.action !== 'UNCHANGED') this.store({ ...step, mongoId }, DONE[step.action], step.message ?? null, local, remote);
      return mongoId;
    }
    const why =
      planned === step.action
        ? 'its values here or in Broadstreet are not what the plan saw'
        : `the plan ${planned === 'UNCHANGED' ? 'left it unchanged' : `meant to ${planned.toLowerCase()} it`}, it now needs ${step.action === 'UNCHANGED' ? 'nothing' : `a ${step.action.toLowerCase()}`}`;
    this.skip(step.type, step.mongoId, step.key, step.name, step.broadstreetId, why);
    return null;
  }

  /** A dry run: these rows would become removed (the import then treats them as such). */
  markedGone(type: EntityType, ids: readonly number[]): void {
    if (this.mode !== 'record' || ids.length === 0) return;
    const set = this.goneIds.get(type) ?? new Set<number>();
    for (const id of ids) set.add(id);
    this.goneIds.set(type, set);
  }

  /** A dry run's rows of a type that would be removed by now (empty for a run that writes). */
  plannedGone(type: EntityType): ReadonlySet<number> {
    return this.goneIds.get(type) ?? EMPTY;
  }

  /** Writes what is stored so far; at the end of an apply, reports the planned entities it never met. */
  async finish(): Promise<void> {
    if (this.mode === 'apply') {
      for (const entry of this.entries.values()) {
        this.skip(
          entry.entityType as EntityType,
          entry.mongoId,
          entry.key,
          entry.name,
          entry.broadstreetId,
          'the import no longer meets it where the plan did (gone from Broadstreet, or its parent was not applied)',
        );
      }
      this.entries.clear();
    }
    this.flush();
    await this.chain;
  }

  /** Queues the stored items for writing in chunks (called as phases go; finish waits for them). */
  flush(): Promise<void> {
    while (this.pending.length > 0) {
      const chunk = this.pending.splice(0, CHUNK);
      this.chain = this.chain.then(() => this.ctx.db.syncItem.createMany({ data: chunk }).then(() => undefined));
    }
    return this.chain;
  }

  private skip(type: EntityType, mongoId: string, key: string, name: string | null, broadstreetId: number | null, why: string) {
    const what = `${type.toLowerCase()}${broadstreetId != null ? ` ${broadstreetId}` : ''}${name ? ` (${name})` : ''}`;
    const message = `${what} ${CHANGED_SINCE_PLAN}: ${why}; not applied`;
    this.ctx.progress.error(syncError('CONFLICT', message, { entityType: type, mongoId, broadstreetId }, { retryable: false }));
    this.ctx.progress.count(type, 'conflicts');
    this.store({ type, mongoId, key, name, broadstreetId }, 'CONFLICT', message, null, null);
  }

  private store(
    step: Pick<ImportStep, 'type' | 'mongoId' | 'key' | 'name' | 'broadstreetId' | 'changes'>,
    outcome: string,
    message: string | null,
    local: string | null,
    remote: string | null,
  ): void {
    if (this.storedIds.has(step.mongoId)) return;
    this.storedIds.add(step.mongoId);
    this.pending.push({
      runId: this.ctx.run.id,
      entityType: step.type,
      mongoId: step.mongoId,
      planKey: step.key,
      name: step.name,
      broadstreetId: step.broadstreetId,
      outcome,
      message,
      ...(step.changes ? { changes: step.changes as never } : {}),
      localStamp: local,
      remoteStamp: remote,
    });
    if (this.pending.length >= CHUNK) this.flush();
  }
}

/** The plan's entries, by planKey. */
async function loadEntries(ctx: RunContext): Promise<Map<string, Entry>> {
  const entries = new Map<string, Entry>();
  // Keyset pages: a plan of a large network holds many entries.
  for (let after = 0; ; ) {
    const rows = await ctx.db.syncItem.findMany({
      where: { runId: ctx.run.applyPlanId!, id: { gt: after } },
      select: {
        id: true,
        planKey: true,
        mongoId: true,
        entityType: true,
        name: true,
        broadstreetId: true,
        outcome: true,
        localStamp: true,
        remoteStamp: true,
      },
      orderBy: { id: 'asc' },
      take: 5000,
    });
    for (const r of rows) entries.set(r.planKey ?? r.mongoId, { ...r, key: r.planKey ?? r.mongoId });
    if (rows.length < 5000) break;
    after = rows.at(-1)!.id;
  }
  return entries;
}
