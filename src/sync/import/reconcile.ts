// Writes one phase of imported entities (e.g. the advertisements of every
// advertiser), scope by scope: creates what is new, updates what changed,
// leaves the rest, and marks as removed what Broadstreet no longer has.
// Local-only rows (no broadstreetId) are never read or written here.
//
// The network's existing rows of the phase are read once, up front, and new
// rows are written in chunks across scopes (BatchedCreates): per-scope
// statements made a 100,000-entity import spend most of its time in Prisma.
import { insertRows, type BulkTable } from '../../db/bulk-insert.ts';
import { IN_CHUNK } from '../../db/paged.ts';
import type { Db } from '../../db/index.ts';
import type { EntityType } from '../../domain/enums.ts';
import { newMongoId } from '../../domain/ids.ts';
import { forEachInSlices, yieldToEventLoop } from '../../domain/slices.ts';
import { findAllPaged } from '../../db/paged.ts';
import type { RunContext } from '../context.ts';
import { specOf } from '../specs.ts';
import { BatchedCreates } from './batched-creates.ts';
import { ACTION_OF_OUTCOME, columnChanges, createKey, importPlanOf } from './import-plan.ts';
import { conflictError, goneImported, mergeImported } from './merge-row.ts';

const UPDATE_CHUNK = 200;

export type ImportModel = 'advertiser' | 'zone' | 'advertisement' | 'campaign';

export interface RemoteRow {
  broadstreetId: number;
  /** Column values as stored locally. */
  fields: Record<string, unknown>;
}

export interface PhaseSpec {
  entityType: EntityType;
  model: ImportModel;
  /** The local network id every row gets. */
  networkId: number;
  /** The column a scope is (networkId for network lists, advertiserId for per-advertiser lists). */
  scopeColumn: 'networkId' | 'advertiserId';
  /** Required columns a payload may leave out (a new row needs a value; an existing one keeps its own). */
  createDefaults?: Record<string, unknown>;
}

interface ExistingRow {
  id: number;
  broadstreetId: number;
  removedAt: Date | null;
  [column: string]: unknown;
}

/** The Prisma delegate for a model, typed to what this module calls. */
interface Delegate {
  findMany(args: object): Promise<ExistingRow[]>;
  update(args: { where: { id: number }; data: object }): Promise<unknown>;
  updateMany(args: object): Promise<{ count: number }>;
}

const delegate = (db: Db, model: ImportModel) => db[model] as unknown as Delegate;

/** The table behind a model: Prisma names it after the model (advertiser → "Advertiser"). */
const tableOf = (model: ImportModel) => `${model[0]!.toUpperCase()}${model.slice(1)}` as BulkTable;

export interface ScopeResult {
  created: number;
  updated: number;
  unchanged: number;
}

export class PhaseReconciler {
  private readonly model: Delegate;
  private readonly creates: BatchedCreates;
  /** The network's rows of this model with a broadstreetId, as the phase began. */
  private existing = new Map<number, ExistingRow>();
  /** broadstreetIds listed by Broadstreet in any scope of this phase. */
  private readonly seen = new Set<number>();
  /** Scopes whose list was fetched: only these can have rows gone from Broadstreet. */
  private readonly fetchedScopes = new Set<number>();

  constructor(
    private readonly ctx: RunContext,
    private readonly spec: PhaseSpec,
  ) {
    this.model = delegate(ctx.db, spec.model);
    const table = tableOf(spec.model);
    this.creates = new BatchedCreates(ctx, spec.entityType, (rows) => insertRows(ctx.db, table, rows));
  }

  /**
   * Reads the existing rows (matched by broadstreetId across the network: an
   * entity moved to another parent is updated, not created twice).
   */
  async load(): Promise<void> {
    const where = { networkId: this.spec.networkId, broadstreetId: { not: null } };
    const rows = await findAllPaged((page) =>
      this.model.findMany({ where: { AND: [where, page.where] }, orderBy: page.orderBy, take: page.take }),
    );
    this.existing = new Map(rows.map((row) => [row.broadstreetId, row]));
  }

  /**
   * Reconciles one scope's remote list; new rows are queued, changed ones
   * updated now. rejectedIds: listed, but of a shape that could not be read —
   * left as they are, never marked removed. A large list (the network's
   * advertisers) is compared in slices, handing the event loop back between them.
   */
  async scope(scopeId: number, remote: RemoteRow[], rejectedIds: readonly number[] = []): Promise<ScopeResult> {
    this.fetchedScopes.add(scopeId);
    for (const id of rejectedIds) this.seen.add(id);
    const now = new Date();
    const creates: Record<string, unknown>[] = [];
    const updates: { id: number; data: object }[] = [];
    let unchanged = 0;
    let conflicts = 0;
    let updated = 0;
    const type = this.spec.entityType;
    const plan = importPlanOf(this.ctx);
    await forEachInSlices(remote, ({ broadstreetId, fields }) => {
      this.seen.add(broadstreetId);
      const row = this.existing.get(broadstreetId);
      if (!row) {
        const fresh = newMongoId();
        const step = { type, mongoId: fresh, key: createKey(type, broadstreetId), broadstreetId, row: null };
        const mongoId = plan ? plan.take({ ...step, name: nameOf(fields), action: 'CREATE', remote: stampable(fields) }) : fresh;
        if (mongoId === null) return;
        creates.push({
          mongoId,
          broadstreetId,
          networkId: this.spec.networkId,
          ...this.spec.createDefaults,
          ...fields,
          syncedAt: now,
        });
      } else {
        const write = mergeImported(this.spec.entityType, row as never, fields, this.ctx.run.id, now);
        if (plan) {
          const action = ACTION_OF_OUTCOME[write.outcome];
          const changes = action === 'UPDATE' ? columnChanges(type, row, write.data, Object.keys(fields)) : undefined;
          const step = { type, mongoId: row.mongoId as string, key: row.mongoId as string, broadstreetId, row };
          if (plan.take({ ...step, name: nameOf(row), action, remote: stampable(fields), changes }) === null) return;
        }
        if (write.data) updates.push({ id: row.id, data: write.data });
        if (write.outcome === 'unchanged') unchanged += 1;
        if (write.outcome === 'updated') updated += 1;
        if (write.outcome === 'conflicts') {
          conflicts += 1;
          this.ctx.progress.error(conflictError(this.spec.entityType, row as never, write.data?.conflict ?? row.conflict));
        }
      }
    });
    this.ctx.progress.count(this.spec.entityType, 'unchanged', unchanged);
    this.ctx.progress.count(this.spec.entityType, 'conflicts', conflicts);
    if (conflicts > 0) {
      this.ctx.progress.warn(
        `${conflicts} ${this.spec.entityType.toLowerCase()}(s) changed on both sides: in conflict until resolveConflict`,
      );
    }
    if (!this.ctx.run.dryRun) {
      for (let i = 0; i < updates.length; i += UPDATE_CHUNK) {
        // better-sqlite3 settles in microtasks: back-to-back chunks would hold the event loop.
        if (i > 0) await yieldToEventLoop();
        const chunk = updates.slice(i, i + UPDATE_CHUNK);
        await this.ctx.db.$transaction(chunk.map((u) => this.model.update({ where: { id: u.id }, data: u.data }) as never));
      }
    }
    this.ctx.progress.count(this.spec.entityType, 'updated', updated);
    await this.creates.add(creates);
    await plan?.flush();
    return { created: creates.length, updated, unchanged };
  }

  /** Writes what is queued (also after a failure: fetched rows are not thrown away). */
  flush(): Promise<void> {
    return this.creates.flush();
  }

  /** Ends the phase: writes what is queued, then marks as removed what no fetched scope listed. */
  async finish(): Promise<number> {
    await this.flush();
    const goneRows = [...this.existing.values()].filter(
      (row) => row.removedAt === null && this.fetchedScopes.has(row[this.spec.scopeColumn] as number) && !this.seen.has(row.broadstreetId),
    );
    return markGone(this.ctx, this.spec.entityType, this.model, goneRows);
  }
}

/**
 * Rows Broadstreet no longer lists: unchanged they are marked removed, in
 * chunks; edited or deleted here they become conflicts (remoteDeleted).
 */
export async function markGone(
  ctx: RunContext,
  entityType: EntityType,
  model: { updateMany(args: object): Promise<{ count: number }>; update(args: { where: { id: number }; data: object }): Promise<unknown> },
  rows: ExistingRow[],
  /** Gone because their parent is: one deleted here too loses nothing and is removed (its parent carries any conflict). */
  cascade = false,
): Promise<number> {
  const now = new Date();
  // Advertisements (import-only) have no two-way columns.
  const removedData = specOf(entityType).twoWay ? { removedAt: now, changedAt: null } : { removedAt: now };
  const removed: number[] = [];
  const conflicts: { id: number; data: object }[] = [];
  const plan = importPlanOf(ctx);
  for (const row of rows) {
    const gone = goneImported(entityType, row as never, ctx.run.id, now, { cascade });
    if (plan) {
      const action = ACTION_OF_OUTCOME[gone.outcome];
      const mongoId = row.mongoId as string;
      const message = action === 'DELETE' ? 'Broadstreet no longer has it: removed here' : undefined;
      const step = { type: entityType, mongoId, key: mongoId, name: nameOf(row), broadstreetId: row.broadstreetId ?? null, row };
      if (plan.take({ ...step, action, remote: null, message }) === null) continue;
    }
    if (gone.outcome === 'removed') removed.push(row.id);
    else if (gone.outcome === 'conflicts') {
      conflicts.push({ id: row.id, data: gone.data });
      ctx.progress.error(conflictError(entityType, row as never, gone.data.conflict));
    }
  }
  if (!ctx.run.dryRun) {
    for (let i = 0; i < removed.length; i += IN_CHUNK) {
      if (i > 0) await yieldToEventLoop();
      await model.updateMany({ where: { id: { in: removed.slice(i, i + IN_CHUNK) } }, data: removedData });
    }
    for (let i = 0; i < conflicts.length; i += UPDATE_CHUNK) {
      if (i > 0) await yieldToEventLoop();
      await ctx.db.$transaction(
        conflicts.slice(i, i + UPDATE_CHUNK).map((c) => model.update({ where: { id: c.id }, data: c.data }) as never),
      );
    }
  }
  await plan?.flush();
  plan?.markedGone(entityType, removed);
  const kind = entityType.toLowerCase();
  if (removed.length > 0)
    ctx.progress.warn(
      `${removed.length} ${kind}(s) no longer in Broadstreet: ${ctx.run.dryRun ? 'would be marked removed' : 'marked removed'}`,
    );
  if (conflicts.length > 0) {
    ctx.progress.count(entityType, 'conflicts', conflicts.length);
    ctx.progress.warn(
      `${conflicts.length} ${kind}(s) no longer in Broadstreet but changed here: ${ctx.run.dryRun ? 'would be in conflict' : 'in conflict until resolveConflict'}`,
    );
  }
  return removed.length;
}

/** A row's or a payload's name, for the plan's report. */
const nameOf = (values: Record<string, unknown>) => (typeof values.name === 'string' ? values.name : null);

/**
 * Broadstreet's values as a plan fingerprints them: without the local parent
 * id (an advertiser the applying run creates gets another local id than the
 * plan could know).
 */
function stampable(fields: Record<string, unknown>): Record<string, unknown> {
  const { advertiserId: _parent, ...rest } = fields;
  return rest;
}
