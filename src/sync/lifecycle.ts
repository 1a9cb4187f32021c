// What follows a run's start and end, in the process that made the change
// (the run's end is written by exactly one process, so each of these happens
// once across instances): the sync summary's push, the run-finished webhook,
// and the automatic retry of a PARTIAL run.
import type { SyncRun } from '../generated/prisma/client.ts';
import { planAutoRetry, type RetryPolicy } from './auto-retry.ts';
import type { RunLifecycleHooks, Services } from './services.ts';
import { deliverWebhook, type WebhookSettings } from './webhook.ts';

export interface LifecycleOptions {
  webhook: WebhookSettings | null;
  autoRetry: RetryPolicy | null;
}

export class RunLifecycle implements RunLifecycleHooks {
  private readonly deliveries = new Set<Promise<void>>();
  private readonly stopping = new AbortController();

  constructor(
    private readonly services: Services,
    readonly options: LifecycleOptions,
  ) {}

  /** The run began executing here. */
  started(run: Pick<SyncRun, 'id' | 'networkId'>): void {
    this.services.pubsub.publish('sync:summary', run.networkId, { networkId: run.networkId, reason: `run ${run.id} started` });
  }

  /** The run's final event is stored: push the summary, plan a retry, send the webhook (in the background). */
  async ended(runId: number): Promise<void> {
    const { db, pubsub, logger } = this.services;
    const run = await db.syncRun.findUnique({ where: { id: runId } });
    if (!run) return;
    pubsub.publish('sync:summary', run.networkId, { networkId: run.networkId, reason: `run ${run.id} ended ${run.status}` });
    await planAutoRetry(this.services, run, this.options.autoRetry).catch((error: unknown) =>
      logger.error({ err: error, runId }, 'automatic retry not planned'),
    );
    if (this.options.webhook) {
      const delivery: Promise<void> = deliverWebhook(this.services, this.options.webhook, run, this.stopping.signal)
        .then(() => {})
        .catch((error: unknown) => logger.error({ err: error, runId }, 'webhook delivery failed unexpectedly'))
        .finally(() => this.deliveries.delete(delivery));
      this.deliveries.add(delivery);
    }
  }

  /** Resolves when every webhook delivery started here has settled (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.deliveries.size > 0) await Promise.allSettled([...this.deliveries]);
  }

  /** Stops retrying deliveries (each records its last attempt) and waits for them. */
  async stop(): Promise<void> {
    this.stopping.abort();
    await this.idle();
  }
}
