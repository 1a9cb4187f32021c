// The embedded executor: runs execute in this process, several networks at
// once, and a start resumes what a dead process left unfinished.
import { RunEngine } from './engine.ts';
import type { RunExecutor } from './executor.ts';
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
    for (const run of await this.services.runs.resumable()) {
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
