// The one owner of a run's stored state: its status (by an explicit table of
// allowed transitions, in the spirit of Nango's task states), its lease, and
// its event log. Every write to a SyncRun row, and every SyncEvent, goes
// through here; each is one conditional statement (or transaction) whose
// `where` states what the transition requires, so two writers can never both
// win.
//
// The lease. Scale-out executes a run under the queue's lease (a BullMQ job
// lock), the embedded executor under this process's own. The `owner` column
// is kept beside them as a fencing token, for this reason: a queue lease can
// expire while its worker still runs (an event loop stalled past the lock),
// and the queue then hands the run to another worker. Until the first one
// notices, both execute; the owner check makes every write of the old one
// fail (OwnershipLostError), so the two never interleave in the run's log.
// test/sync/run-store.test.ts shows that overlap.
import type { Db, Prisma } from '../db/index.ts';
import type { SyncStatus } from '../domain/enums.ts';
import type { SyncRun } from '../generated/prisma/client.ts';
import type { Clock } from './clock.ts';
import { INSTANCE_ID, ownerAlive, ownerProcessGone } from './executor.ts';
import type { ProgressEvent, RunCounts } from './types.ts';

/** The statuses a run may move to from each status; a run never leaves a terminal one. */
export const TRANSITIONS: Readonly<Record<SyncStatus, readonly SyncStatus[]>> = {
  QUEUED: ['RUNNING', 'CANCELLED'],
  RUNNING: ['RUNNING', 'SUCCEEDED', 'PARTIAL', 'FAILED', 'CANCELLED'],
  SUCCEEDED: [],
  PARTIAL: [],
  FAILED: [],
  CANCELLED: [],
};

export function canTransition(from: SyncStatus, to: SyncStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/** The statuses a run may be in for `to` to follow. */
export function statusesBefore(to: SyncStatus): SyncStatus[] {
  return (Object.keys(TRANSITIONS) as SyncStatus[]).filter((from) => canTransition(from, to));
}

/** A heartbeat older than this means the owner is gone: the lease (SYNC_LEASE_MS; this is its default). */
export const STALE_OWNER_MS = 60_000;

export class OwnershipLostError extends Error {
  override name = 'OwnershipLostError';
}

export class TransitionRefusedError extends Error {
  override name = 'TransitionRefusedError';
}

/** What an event's write also sets on the run: why it failed (a final event), or that it is moving again. */
export interface RunUpdate {
  failureReason?: string | null;
  /** 0 once an execution has completed an entity: its restarts stop counting towards the limit. */
  stalledAttempts?: number;
}

export interface RunStoreOptions {
  db: Db;
  clock: Clock;
  /** This process's identity as a run owner (INSTANCE_ID; tests make two). */
  owner?: string;
  /** How long a heartbeat holds the run (SYNC_LEASE_MS, default STALE_OWNER_MS). */
  leaseMs?: number;
}

/** The run's previous owner as its row showed at takeover (lease.ts waits for it). */
export interface Predecessor {
  owner: string | null;
  heartbeatAt: Date | null;
  /** Whether that owner is known to be gone (released the run, or its process is dead on this host). */
  gone: boolean;
}

/** A claimed run, with who held it before (for the fence: see lease.ts). */
export type ClaimedRun = SyncRun & { predecessor: Predecessor | null };

export class RunStore {
  private readonly db: Db;
  private readonly clock: Clock;
  readonly owner: string;
  readonly leaseMs: number;

  constructor(options: RunStoreOptions) {
    this.db = options.db;
    this.clock = options.clock;
    this.owner = options.owner ?? INSTANCE_ID;
    this.leaseMs = options.leaseMs ?? STALE_OWNER_MS;
  }

  /** Takes an unfinished run for this owner, unless a live owner holds it (takeOver: the queue says it is gone). */
  async claim(runId: number, { takeOver = false } = {}): Promise<ClaimedRun | null> {
    const run = await this.db.syncRun.findUnique({ where: { id: runId } });
    if (!run || !canTransition(run.status as SyncStatus, 'RUNNING')) return null;
    const ownedElsewhere = run.owner && run.owner !== this.owner;
    if (ownedElsewhere && !takeOver && ownerAlive(run.owner, run.heartbeatAt, this.leaseMs)) return null;
    const now = this.clock.now();
    const claimed = await this.db.syncRun.updateMany({
      where: { id: runId, owner: run.owner, status: run.status, lastSeq: run.lastSeq },
      data: {
        owner: this.owner,
        status: 'RUNNING',
        heartbeatAt: now,
        startedAt: run.startedAt ?? now,
        attempts: { increment: 1 },
        // Until this execution completes an entity (RunProgress resets it).
        stalledAttempts: { increment: 1 },
      },
    });
    if (claimed.count === 0) return null;
    const row = await this.db.syncRun.findUnique({ where: { id: runId } });
    if (!row) return null;
    const predecessor: Predecessor | null =
      run.status === 'RUNNING' && ownedElsewhere
        ? { owner: run.owner, heartbeatAt: run.heartbeatAt, gone: ownerProcessGone(run.owner!) }
        : null;
    return Object.assign(row, { predecessor });
  }

  /** Renews this owner's lease; false when another owner holds the run now. */
  async heartbeat(runId: number): Promise<boolean> {
    const renewed = await this.db.syncRun.updateMany({ where: { id: runId, owner: this.owner }, data: { heartbeatAt: this.clock.now() } });
    return renewed.count > 0;
  }

  /** Gives the run up (this process is stopping): whoever resumes it need not wait for the lease to go stale. */
  async release(runId: number): Promise<void> {
    await this.db.syncRun.updateMany({ where: { id: runId, owner: this.owner }, data: { owner: null } });
  }

  /**
   * Stores the next event of a run this owner holds, with the run's new state,
   * in one transaction; a final status also ends the run. Throws
   * OwnershipLostError when another owner holds it (or wrote that seq), and
   * TransitionRefusedError for a status the table does not allow.
   */
  async appendEvent(event: ProgressEvent, counts: RunCounts, update: RunUpdate = {}): Promise<void> {
    const lost = () => new OwnershipLostError(`run ${event.runId} is owned by another worker now`);
    const finished = TRANSITIONS[event.status].length === 0;
    try {
      await this.db.$transaction(async (tx) => {
        const owned = await tx.syncRun.updateMany({
          where: { id: event.runId, owner: this.owner, lastSeq: event.seq - 1, status: { in: statusesBefore(event.status) } },
          data: {
            status: event.status,
            phase: event.phase,
            percentage: event.percentage,
            counts,
            lastSeq: event.seq,
            heartbeatAt: this.clock.now(),
            ...(update.stalledAttempts !== undefined ? { stalledAttempts: update.stalledAttempts } : {}),
            ...(finished ? { finishedAt: event.at, activeKey: null, failureReason: update.failureReason ?? null } : {}),
          },
        });
        if (owned.count === 0) throw await this.refusal(tx, event, lost);
        await tx.syncEvent.create({ data: eventRow(event) });
        if (event.errors.length) {
          await tx.syncError.createMany({ data: event.errors.map((e) => ({ ...e, runId: event.runId })) });
        }
      });
    } catch (error) {
      if ((error as { code?: string }).code === 'P2002') throw lost();
      throw error;
    }
  }

  /** Ends a run that has not started, with its event; null when it is no longer queued. */
  async cancelQueued(run: SyncRun, message: string): Promise<{ run: SyncRun; event: ProgressEvent } | null> {
    const event = this.event(run, 'CANCELLED', message);
    const updated = await this.db.$transaction(async (tx) => {
      const claimed = await tx.syncRun.updateMany({
        where: { id: run.id, status: 'QUEUED', lastSeq: run.lastSeq },
        data: { status: 'CANCELLED', cancelRequested: true, activeKey: null, finishedAt: event.at, lastSeq: event.seq },
      });
      if (claimed.count === 0) return null;
      await tx.syncEvent.create({ data: eventRow(event) });
      return tx.syncRun.findUniqueOrThrow({ where: { id: run.id } });
    });
    return updated && { run: updated, event };
  }

  /** Creates a queued run with its first event; a second active run of a network fails on activeKey (P2002). */
  createQueued(data: Omit<Prisma.SyncRunUncheckedCreateInput, 'status' | 'lastSeq' | 'counts'>, message: string): Promise<SyncRun> {
    return this.db.$transaction(async (tx) => {
      const run = await tx.syncRun.create({ data: { ...data, status: 'QUEUED', counts: {}, lastSeq: 1 } });
      await tx.syncEvent.create({ data: eventRow({ ...this.event(run, 'QUEUED', message), seq: 1, percentage: 0 }) });
      return run;
    });
  }

  /** Asks a running run to stop at its next entity boundary. */
  requestCancel(runId: number): Promise<SyncRun> {
    return this.db.syncRun.update({ where: { id: runId }, data: { cancelRequested: true } });
  }

  async cancelRequested(runId: number): Promise<boolean> {
    const row = await this.db.syncRun.findUnique({ where: { id: runId }, select: { cancelRequested: true } });
    return row?.cancelRequested ?? false;
  }

  /** Unfinished runs whose owner is gone (or that never started), oldest first: what a starting executor resumes. */
  async resumable(): Promise<SyncRun[]> {
    const unfinished = await this.db.syncRun.findMany({ where: { status: { in: ['QUEUED', 'RUNNING'] } }, orderBy: { id: 'asc' } });
    return unfinished.filter((run) => run.status === 'QUEUED' || !ownerAlive(run.owner, run.heartbeatAt, this.leaseMs));
  }

  /** Ids of runs the queue should hold but may have lost: queued for a while, or running with a stale or no owner. */
  async orphaned(queuedForMs: number): Promise<number[]> {
    const now = this.clock.now().getTime();
    const rows = await this.db.syncRun.findMany({
      where: {
        OR: [
          { status: 'QUEUED', createdAt: { lt: new Date(now - queuedForMs) } },
          { status: 'RUNNING', OR: [{ owner: null }, { heartbeatAt: { lt: new Date(now - this.leaseMs) } }] },
        ],
      },
      select: { id: true },
    });
    return rows.map((r) => r.id);
  }

  private event(run: SyncRun, status: SyncStatus, message: string): ProgressEvent {
    return {
      seq: run.lastSeq + 1,
      runId: run.id,
      status,
      phase: null,
      current: 0,
      total: 0,
      percentage: run.percentage,
      message,
      errors: [],
      warnings: [],
      at: this.clock.now(),
    };
  }

  /** Why an append matched no row: a status the table refuses, or the run held by another owner. */
  private async refusal(tx: Pick<Db, 'syncRun'>, event: ProgressEvent, lost: () => Error): Promise<Error> {
    const row = await tx.syncRun.findUnique({ where: { id: event.runId }, select: { status: true, owner: true } });
    if (row && row.owner === this.owner && !canTransition(row.status as SyncStatus, event.status)) {
      return new TransitionRefusedError(`run ${event.runId} cannot go from ${row.status} to ${event.status}`);
    }
    return lost();
  }
}

function eventRow(event: ProgressEvent) {
  return {
    runId: event.runId,
    seq: event.seq,
    status: event.status,
    phase: event.phase,
    current: event.current,
    total: event.total,
    percentage: event.percentage,
    message: event.message,
    errors: event.errors.map((e) => ({ ...e, at: e.at.toISOString() })),
    warnings: event.warnings,
    at: event.at,
  };
}
