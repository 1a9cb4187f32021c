// The progress of one executing run: counters, phase and percentage, and the
// ordered event log. Every event is stored (with the run's new state, in one
// transaction) before it is published. Phase changes and the final event are
// emitted at once; per-entity ticks, errors and warnings are coalesced into at
// most one event per COALESCE_MS, and never dropped.
import type { EntityType, SyncPhase, SyncStatus } from '../domain/enums.ts';
import { recordEntityOutcome, recordSyncError } from '../observability/metrics.ts';
import { runFinished } from '../observability/runs.ts';
import type { RunStore, RunUpdate } from './run-store.ts';
import type { Logger } from '../logger.ts';
import type { AppPubSub } from '../pubsub.ts';
import type { Clock } from './clock.ts';
import {
  COUNT_KINDS,
  DRY_RUN_KINDS,
  type CountKind,
  type EntityCounts,
  type ProgressEvent,
  type RunCounts,
  type SyncErrorRecord,
} from './types.ts';

export const COALESCE_MS = 250;

/** What a run's progress writes to and publishes on. */
export interface ProgressServices {
  runs: Pick<RunStore, 'appendEvent'>;
  pubsub: AppPubSub;
  logger: Logger;
  clock: Clock;
}

export type PhasePlan = readonly (readonly [SyncPhase, number])[];

export interface RunState {
  id: number;
  lastSeq: number;
  percentage: number;
  counts: RunCounts;
  /** A dry run counts what it would do as planned work (DRY_RUN_KINDS), never as done. */
  dryRun?: boolean;
}

/** Entities completed so far, whatever their outcome. */
function entitiesDone(counts: RunCounts): number {
  return Object.values(counts).reduce((sum, c) => sum + COUNT_KINDS.reduce((n, kind) => n + (c?.[kind] ?? 0), 0), 0);
}

export function emptyCounts(): EntityCounts {
  return Object.fromEntries(COUNT_KINDS.map((k) => [k, 0])) as EntityCounts;
}

export class RunProgress {
  private seq: number;
  private percentage: number;
  private phaseIndex = -1;
  private current = 0;
  private total = 0;
  private message = '';
  private readonly counts: RunCounts;
  private pendingErrors: SyncErrorRecord[] = [];
  private pendingWarnings: string[] = [];
  private dirty = false;
  private lastEmitAt = 0;
  private timer: NodeJS.Timeout | undefined;
  private chain: Promise<void> = Promise.resolve();
  private failure: unknown;
  private readonly doneAtStart: number;
  private progressed = false;
  /** Types whose phase is behind the run (a pipeline entered the next one while their last calls finish). */
  private readonly trailing = new Set<EntityType>();

  constructor(
    private readonly services: ProgressServices,
    private readonly run: RunState,
    private readonly plan: PhasePlan,
  ) {
    this.seq = run.lastSeq;
    this.percentage = run.percentage;
    this.counts = structuredClone(run.counts);
    this.doneAtStart = entitiesDone(this.counts);
  }

  get runCounts(): RunCounts {
    return this.counts;
  }

  get phase(): SyncPhase | null {
    return this.plan[this.phaseIndex]?.[0] ?? null;
  }

  /** Moves to a phase of the plan (phases never go backwards); emits at once. */
  async enterPhase(phase: SyncPhase, total: number, message: string): Promise<void> {
    const index = this.plan.findIndex(([p]) => p === phase);
    if (index < 0) throw new Error(`phase ${phase} is not in this run's plan`);
    if (index < this.phaseIndex) throw new Error(`phase ${phase} comes before ${this.phase}`);
    this.phaseIndex = index;
    this.current = 0;
    this.total = total;
    this.message = message;
    await this.emitNow('RUNNING');
  }

  /** Grows the current phase's total (work discovered while it runs). */
  addToTotal(n: number): void {
    this.total += n;
  }

  /** Counts one entity's outcome and advances the phase (not for a trailing type's); coalesced. */
  record(entityType: EntityType, kind: CountKind, message?: string, n = 1): void {
    this.count(entityType, kind, n);
    if (this.trailing.has(entityType)) this.schedule();
    else this.advance(n, message);
  }

  /**
   * From now on `entityType`'s outcomes are counted without advancing the
   * current phase: its own phase is behind, and the next one was entered
   * while its last calls finish. Percentages stay monotone, and each phase's
   * current counts only its own work.
   */
  trail(entityType: EntityType): void {
    this.trailing.add(entityType);
  }

  /** Advances the phase by n units of work; coalesced. */
  advance(n = 1, message?: string): void {
    this.current += n;
    if (message) this.message = message;
    this.schedule();
  }

  /** Counts without advancing (e.g. children skipped along with a failed parent). */
  count(entityType: EntityType, done: CountKind, n = 1): void {
    const kind = this.run.dryRun ? (DRY_RUN_KINDS[done] ?? done) : done;
    const counts = (this.counts[entityType] ??= emptyCounts());
    counts[kind] += n;
    recordEntityOutcome(entityType, kind, n);
    this.dirty = true;
  }

  error(record: SyncErrorRecord): void {
    recordSyncError(record.entityType, record.code);
    this.pendingErrors.push(record);
    this.schedule();
  }

  warn(text: string): void {
    this.pendingWarnings.push(text);
    this.schedule();
  }

  note(message: string): void {
    this.message = message;
    this.schedule();
  }

  /** Emits whatever is pending now. */
  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.dirty || this.pendingErrors.length || this.pendingWarnings.length) await this.emitNow('RUNNING');
    else await this.settled();
  }

  /** The final event: the run's end state, stored with its status. */
  async finish(status: SyncStatus, message: string, failureReason?: string): Promise<ProgressEvent> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (status === 'SUCCEEDED' || status === 'PARTIAL') {
      this.phaseIndex = this.plan.length - 1;
      this.current = this.total;
    }
    this.message = message;
    let final: ProgressEvent | undefined;
    await this.enqueue(async () => {
      final = await this.write(status, { failureReason: failureReason ?? null });
    });
    runFinished(this.services.logger, final!, this.counts);
    return final!;
  }

  /** Throws the failure of a coalesced emit, if one failed. */
  async settled(): Promise<void> {
    await this.chain;
    if (this.failure) throw this.failure;
  }

  /** The first event after this execution completed an entity says so: the run is not stalled. */
  private progressMark(): { stalledAttempts?: number } {
    if (this.progressed || entitiesDone(this.counts) === this.doneAtStart) return {};
    this.progressed = true;
    return { stalledAttempts: 0 };
  }

  private schedule(): void {
    this.dirty = true;
    if (this.timer) return;
    const wait = Math.max(0, this.lastEmitAt + COALESCE_MS - Date.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.emitNow('RUNNING').catch(() => {});
    }, wait);
  }

  private emitNow(status: SyncStatus): Promise<void> {
    return this.enqueue(async () => {
      await this.write(status);
    });
  }

  private enqueue(work: () => Promise<void>): Promise<void> {
    const next = this.chain.then(async () => {
      if (this.failure) throw this.failure;
      try {
        await work();
      } catch (error) {
        this.failure ??= error;
        throw error;
      }
    });
    this.chain = next.catch(() => {});
    return next;
  }

  private computePercentage(): number {
    const totalWeight = this.plan.reduce((sum, [, w]) => sum + w, 0) || 1;
    const done = this.plan.slice(0, Math.max(0, this.phaseIndex)).reduce((sum, [, w]) => sum + w, 0);
    const weight = this.plan[this.phaseIndex]?.[1] ?? 0;
    const fraction = this.total > 0 ? Math.min(1, this.current / this.total) : 0;
    return Math.floor((100 * (done + weight * fraction)) / totalWeight);
  }

  private async write(status: SyncStatus, update: RunUpdate = {}): Promise<ProgressEvent> {
    this.percentage = Math.max(this.percentage, status === 'SUCCEEDED' || status === 'PARTIAL' ? 100 : this.computePercentage());
    const errors = this.pendingErrors;
    const warnings = this.pendingWarnings;
    this.pendingErrors = [];
    this.pendingWarnings = [];
    this.dirty = false;
    const event: ProgressEvent = {
      seq: this.seq + 1,
      runId: this.run.id,
      status,
      phase: this.phase,
      current: this.current,
      total: this.total,
      percentage: this.percentage,
      message: this.message,
      errors,
      warnings,
      at: this.services.clock.now(),
    };
    await this.services.runs.appendEvent(event, this.counts, { ...update, ...this.progressMark() });
    this.seq = event.seq;
    this.lastEmitAt = Date.now();
    this.services.pubsub.publish('sync:progress', event.runId, event);
    return event;
  }
}
