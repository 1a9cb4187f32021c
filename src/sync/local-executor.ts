// The embedded executor: runs execute in this process, several networks at
// once, and a start resumes what a dead process left unfinished.
import { db } from '../db/index.ts';
import { logger } from '../logger.ts';
import type { BroadstreetApi } from './broadstreet-port.ts';
import { executeRun, STALE_OWNER_MS } from './engine.ts';
import { ownerAlive, type RunExecutor } from './executor.ts';

export class LocalExecutor implements RunExecutor {
  private readonly running = new Map<number, Promise<unknown>>();
  private readonly stopping = new AbortController();

  constructor(
    private readonly client: BroadstreetApi | null,
    private readonly concurrency: number,
  ) {}

  async submit(runId: number): Promise<void> {
    if (this.stopping.signal.aborted || this.running.has(runId)) return;
    const execution = executeRun(runId, { client: this.client, signal: this.stopping.signal, concurrency: this.concurrency })
      .catch((error: unknown) => logger.error({ err: error, runId }, 'run execution failed'))
      .finally(() => this.running.delete(runId));
    this.running.set(runId, execution);
  }

  async start(): Promise<void> {
    const unfinished = await db().syncRun.findMany({
      where: { status: { in: ['QUEUED', 'RUNNING'] } },
      orderBy: { id: 'asc' },
    });
    for (const run of unfinished) {
      if (run.status === 'RUNNING' && ownerAlive(run.owner, run.heartbeatAt, STALE_OWNER_MS)) continue;
      logger.info({ runId: run.id, status: run.status }, 'resuming a run left unfinished');
      await this.submit(run.id);
    }
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    await Promise.allSettled(this.running.values());
  }

  /** Resolves when every run this executor started has stopped (tests). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running.values()]);
  }
}
