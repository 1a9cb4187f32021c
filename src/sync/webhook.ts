// The run-finished webhook: a POST to SYNC_WEBHOOK_URL when a run ends,
// signed with HMAC-SHA256 over the exact body (header X-Broadsync-Signature:
// sha256=<hex>), retried with growing delays by p-retry. Each attempt is
// stored as a WebhookDelivery of the run. The payload carries ids, status,
// counts and error codes only: never the Broadstreet token, never a message.
import { createHmac } from 'node:crypto';
import { encodeGlobalID } from '@pothos/plugin-relay';
import pRetry from 'p-retry';
import type { SyncRun } from '../generated/prisma/client.ts';
import { recordWebhookAttempt } from '../observability/metrics.ts';
import type { Services } from './services.ts';
import type { RunCounts } from './types.ts';

export interface WebhookSettings {
  url: string;
  secret: string;
  /** Attempts in all (the first and its retries). */
  attempts?: number;
  /** Delay before the first retry; each further one doubles. */
  minDelayMs?: number;
  timeoutMs?: number;
}

export const SIGNATURE_HEADER = 'x-broadsync-signature';
const DEFAULT_ATTEMPTS = 6;
const DEFAULT_MIN_DELAY_MS = 1_000;
const DEFAULT_TIMEOUT_MS = 10_000;

export interface RunFinishedPayload {
  event: 'sync.run.finished';
  run: {
    id: string;
    number: number;
    networkId: number;
    direction: string;
    dryRun: boolean;
    trigger: string;
    status: string;
    retryOf: string | null;
    startedAt: string | null;
    finishedAt: string | null;
    counts: RunCounts;
    errorCodes: Record<string, number>;
  };
}

/** `sha256=` and the hex HMAC-SHA256 of the body under the secret: what a receiver recomputes. */
export function signature(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

export async function webhookPayload({ db }: Pick<Services, 'db'>, run: SyncRun): Promise<RunFinishedPayload> {
  const codes = await db.syncError.groupBy({ by: ['code'], where: { runId: run.id }, _count: { _all: true } });
  return {
    event: 'sync.run.finished',
    run: {
      id: encodeGlobalID('SyncRun', run.id),
      number: run.id,
      networkId: run.networkId,
      direction: run.direction,
      dryRun: run.dryRun,
      trigger: run.trigger,
      status: run.status,
      retryOf: run.retryOfId == null ? null : encodeGlobalID('SyncRun', run.retryOfId),
      startedAt: run.startedAt?.toISOString() ?? null,
      finishedAt: run.finishedAt?.toISOString() ?? null,
      counts: run.counts as RunCounts,
      errorCodes: Object.fromEntries(codes.map((c) => [c.code, c._count._all])),
    },
  };
}

class DeliveryFailed extends Error {
  override name = 'DeliveryFailed';
  constructor(
    message: string,
    readonly httpStatus: number | null,
  ) {
    super(message);
  }
}

/** Delivers one run's end, retrying; every attempt is recorded. Resolves whether it was delivered. */
export async function deliverWebhook(services: Services, settings: WebhookSettings, run: SyncRun, signal: AbortSignal): Promise<boolean> {
  const { db, logger } = services;
  const body = JSON.stringify(await webhookPayload(services, run));
  const headers = {
    'content-type': 'application/json',
    'user-agent': 'broadsync-webhook',
    [SIGNATURE_HEADER]: signature(settings.secret, body),
    'x-broadsync-event': 'sync.run.finished',
    'x-broadsync-delivery': `run-${run.id}`,
  };
  let attempt = 0;
  const record = (delivered: boolean, httpStatus: number | null, error: string | null) => {
    recordWebhookAttempt(delivered);
    return db.webhookDelivery.create({ data: { runId: run.id, attempt, delivered, httpStatus, error } });
  };
  const send = async () => {
    attempt += 1;
    let response: Response;
    try {
      response = await fetch(settings.url, {
        method: 'POST',
        headers,
        body,
        signal: AbortSignal.any([signal, AbortSignal.timeout(settings.timeoutMs ?? DEFAULT_TIMEOUT_MS)]),
        redirect: 'manual',
      });
      await response.body?.cancel();
    } catch (error) {
      throw new DeliveryFailed(transportProblem(error), null);
    }
    if (response.status < 200 || response.status >= 300) throw new DeliveryFailed(`HTTP ${response.status}`, response.status);
    await record(true, response.status, null);
  };
  try {
    await pRetry(send, {
      retries: (settings.attempts ?? DEFAULT_ATTEMPTS) - 1,
      minTimeout: settings.minDelayMs ?? DEFAULT_MIN_DELAY_MS,
      factor: 2,
      randomize: false,
      signal,
      onFailedAttempt: async ({ error, retriesLeft }) => {
        const failed = error instanceof DeliveryFailed ? error : new DeliveryFailed('failed', null);
        await record(false, failed.httpStatus, failed.message);
        logger.warn({ runId: run.id, attempt, retriesLeft, problem: failed.message }, 'webhook delivery attempt failed');
      },
    });
    logger.info({ runId: run.id, attempt }, 'webhook delivered');
    return true;
  } catch {
    logger.error({ runId: run.id, attempts: attempt }, 'webhook not delivered; attempts exhausted');
    return false;
  }
}

/** What went wrong on the wire, without URLs or stack frames. */
function transportProblem(error: unknown): string {
  const err = error as { name?: string; cause?: { code?: string } };
  if (err.name === 'TimeoutError') return 'timed out';
  if (err.name === 'AbortError') return 'aborted: the server is stopping';
  return err.cause?.code ? `connection failed (${err.cause.code})` : 'connection failed';
}
