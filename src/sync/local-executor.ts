// The embedded executor: runs execute in this process, several networks at
// once, and a start resumes what a dead process left unfinished.
import { RunEngine, STALE_OWNER_MS } from './engine.ts';
import { ownerAlive, type RunExecutor } from './executor.ts';
import type { Services } from './services.ts';

export class LocalExecutor implements RunExecutor {
  private readonly running = new Map<number, Promise<unknown>>();
  private readonly stopping = new AbortController();
  private readonly engine: RunEngine;

  constructor(private readonly services: Services) {
    this.engine = new RunEngine(services);
  }

  async submit(runId: number): Promise<void> {
    if (this.stopping.signal.aborted || this.running.has(runId)) return;
    const execution = this.engine
      .execute(runId, { signal: this.stopping.signal })
      .catch((error: unknown) => this.services.logger.error({ err: error, runId }, 'run execution failed'))
      .finally(() => this.running.delete(runId));
    this.running.set(runId, execution);
  }

  async start(): Promise<void> {
    const unfinished = await this.services.db.syncRun.findMany({
      where: { status: { in: ['QUEUED', 'RUNNING'] } },
      orderBy: { id: 'asc' },
    });
    for (const run of unfinished) {
      if (run.status === 'RUNNING' && ownerAlive(run.owner, run.heartbeatAt, STALE_OWNER_MS)) continue;
      this.services.logger.info({ runId: run.id, status: run.status }, 'resuming a run left unfinished');
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
