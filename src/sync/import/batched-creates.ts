// New rows of one import phase, written in chunks across the phase's scopes
// rather than one statement per scope: an import of 100,000 entities has
// ~40,000 scopes of a few rows each, and every statement has a fixed CPU cost
// (measured: a 10,000-entity import went from 17 s of CPU to 9 s). Each chunk
// is one multi-row INSERT (src/db/bulk-insert.ts). 200 rows a chunk: against
// 50, a 30,000-entity import took 7 s instead of 10; 500 saved little more and
// raised the event loop's p99 delay.
// Chunks are written one at a time, in order, with a turn of the event loop
// before each; rows are counted once written.
import type { EntityType } from '../../domain/enums.ts';
import type { RunContext } from '../context.ts';

export const CREATE_CHUNK = 200;

export class BatchedCreates {
  private pending: Record<string, unknown>[] = [];
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly ctx: RunContext,
    private readonly entityType: EntityType,
    private readonly write: (rows: Record<string, unknown>[]) => Promise<unknown>,
  ) {}

  /** Queues rows; resolves once every full chunk queued so far is written (backpressure). */
  add(rows: Record<string, unknown>[]): Promise<void> {
    if (this.ctx.run.dryRun) {
      this.ctx.progress.count(this.entityType, 'created', rows.length);
      return Promise.resolve();
    }
    this.pending.push(...rows);
    while (this.pending.length >= CREATE_CHUNK) this.enqueue(this.pending.splice(0, CREATE_CHUNK));
    return this.chain;
  }

  /** Writes whatever is queued. */
  flush(): Promise<void> {
    if (this.pending.length > 0) this.enqueue(this.pending.splice(0));
    return this.chain;
  }

  private enqueue(chunk: Record<string, unknown>[]): void {
    this.chain = this.chain.then(async () => {
      // better-sqlite3 is synchronous, so a Prisma call on it settles in
      // microtasks: back-to-back chunks (a network's 10,000 advertisers) would
      // hold the event loop for seconds. Yield to it before each chunk.
      await new Promise<void>((resolve) => setImmediate(resolve));
      await this.write(chunk);
      this.ctx.progress.count(this.entityType, 'created', chunk.length);
    });
  }
}
