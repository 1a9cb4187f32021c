// Scale-out execution: runs are jobs in a BullMQ queue on Redis. A job is
// leased to exactly one worker; when that worker dies its lease expires and
// another worker takes the run over. A periodic sweep re-queues what the
// queue itself lost (a Redis restart without persistence, an enqueue that
// failed while Redis was away).
import { Queue, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { RunEngine } from '../sync/engine.ts';
import type { RunExecutor } from '../sync/executor.ts';
import type { Services } from '../sync/services.ts';
import { closeBullMQ, connectRedis } from './redis.ts';

export const QUEUE_NAME = 'broadsync-runs';
/** A dead worker's run is taken over within about LOCK_MS + STALLED_CHECK_MS. */
const LOCK_MS = 10_000;
const STALLED_CHECK_MS = 5_000;
const SWEEP_MS = 10_000;
/** A queued run this old with no job is re-queued. */
const ORPHAN_QUEUED_MS = 5_000;

export interface QueueExecutorOptions {
  redisUrl: string;
  /** Execute runs here (false: only enqueue; dedicated workers execute). */
  work: boolean;
  /** Runs one worker executes at once. */
  runsPerWorker: number;
}

interface RunJob {
  runId: number;
}

/** Thrown by the processor to hand a run back to the queue (this instance is stopping). */
class HandedBack extends Error {
  override name = 'HandedBack';
}

export class QueueExecutor implements RunExecutor {
  private readonly queue: Queue<RunJob>;
  private readonly queueConnection: Redis;
  private worker: { worker: Worker<RunJob>; connection: Redis } | undefined;
  private sweeper: NodeJS.Timeout | undefined;
  private readonly stopping = new AbortController();
  private readonly engine: RunEngine;

  constructor(
    private readonly services: Services,
    private readonly options: QueueExecutorOptions,
  ) {
    this.engine = new RunEngine(services);
    this.queueConnection = connectRedis(options.redisUrl, 'queue', services.logger, { maxRetriesPerRequest: null });
    this.queue = new Queue<RunJob>(QUEUE_NAME, {
      connection: this.queueConnection,
      defaultJobOptions: {
        removeOnComplete: true,
        removeOnFail: true,
        // A handed-back run goes straight back to the queue for another worker.
        attempts: 1_000,
        backoff: { type: 'fixed', delay: 0 },
      },
    });
    this.queue.on('error', () => {});
  }

  async submit(runId: number): Promise<void> {
    await this.queue.add('run', { runId }, { jobId: `run-${runId}` });
  }

  async start(): Promise<void> {
    if (this.options.work) this.startWorker();
    await this.sweep().catch((error: Error) => this.services.logger.warn({ err: { message: error.message } }, 'run sweep failed'));
    this.sweeper = setInterval(() => {
      this.sweep().catch((error: Error) => this.services.logger.warn({ err: { message: error.message } }, 'run sweep failed'));
    }, SWEEP_MS);
    this.sweeper.unref();
  }

  async stop(): Promise<void> {
    if (this.stopping.signal.aborted) return;
    clearInterval(this.sweeper);
    this.stopping.abort();
    if (this.worker) await closeBullMQ(this.worker.worker, this.worker.connection);
    await closeBullMQ(this.queue, this.queueConnection);
  }

  private startWorker(): void {
    const connection = connectRedis(this.options.redisUrl, 'worker', this.services.logger, { maxRetriesPerRequest: null });
    const worker = new Worker<RunJob>(QUEUE_NAME, (job) => this.process(job), {
      connection,
      concurrency: this.options.runsPerWorker,
      lockDuration: LOCK_MS,
      stalledInterval: STALLED_CHECK_MS,
      maxStalledCount: 1_000,
    });
    worker.on('error', () => {});
    this.worker = { worker, connection };
  }

  private async process(job: Job<RunJob>): Promise<void> {
    const outcome = await this.engine.execute(job.data.runId, { signal: this.stopping.signal, takeOver: true });
    if (outcome === 'interrupted' && this.stopping.signal.aborted) {
      throw new HandedBack(`run ${job.data.runId} handed back: this instance is stopping`);
    }
  }

  /** Re-queues runs that should be executing but have no live owner. */
  private async sweep(): Promise<void> {
    for (const id of await this.services.runs.orphaned(ORPHAN_QUEUED_MS)) await this.submit(id);
  }
}
