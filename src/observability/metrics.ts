// Prometheus metrics: one registry for the process, served at /metrics.
// Instrumented code calls the small record… functions below, one line each.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

export const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: 'broadsync_' });

const syncRuns = new Counter({
  name: 'broadsync_sync_runs_total',
  help: 'Sync runs that ended, by final status.',
  labelNames: ['status'] as const,
  registers: [registry],
});

const entityOperations = new Counter({
  name: 'broadsync_sync_entity_operations_total',
  help: 'Entity outcomes in sync runs, by entity type and result (created, updated, unchanged, failed, skipped).',
  labelNames: ['entity_type', 'result'] as const,
  registers: [registry],
});

const entityErrors = new Counter({
  name: 'broadsync_sync_errors_total',
  help: 'Errors recorded by sync runs, by entity type ("none" for run-level errors) and error code.',
  labelNames: ['entity_type', 'code'] as const,
  registers: [registry],
});

const broadstreetRequests = new Histogram({
  name: 'broadsync_broadstreet_request_duration_seconds',
  help: 'Broadstreet API attempts, by endpoint (ids templated) and HTTP status ("timeout" or "error" when no answer came).',
  labelNames: ['endpoint', 'status'] as const,
  buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  registers: [registry],
});

const broadstreetRetries = new Counter({
  name: 'broadsync_broadstreet_retries_total',
  help: 'Broadstreet calls retried after a failed attempt, by endpoint and error code.',
  labelNames: ['endpoint', 'code'] as const,
  registers: [registry],
});

const limiterWait = new Histogram({
  name: 'broadsync_broadstreet_rate_limiter_wait_seconds',
  help: 'Time a Broadstreet call waited for the shared rate limiter.',
  buckets: [0.001, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
  registers: [registry],
});

const broadstreetReachable = new Gauge({
  name: 'broadsync_broadstreet_reachable',
  help: 'Whether this process takes Broadstreet as reachable: 1, or 0 while the circuit breaker is open (several NETWORK failures in a row; runs wait and probe).',
  registers: [registry],
});

const breakerOpenings = new Counter({
  name: 'broadsync_broadstreet_breaker_opened_total',
  help: 'Times this process opened the Broadstreet circuit breaker (or learnt through Redis that another instance had).',
  registers: [registry],
});

const activeSubscriptions = new Gauge({
  name: 'broadsync_graphql_active_subscriptions',
  help: 'GraphQL subscriptions currently streaming (WebSocket or HTTP).',
  registers: [registry],
});

const graphqlOperations = new Histogram({
  name: 'broadsync_graphql_operation_duration_seconds',
  help: 'GraphQL operation execution time, by operation type and name.',
  labelNames: ['operation_type', 'operation_name'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [registry],
});

export function recordRunFinished(status: string): void {
  syncRuns.inc({ status });
}

export function recordEntityOutcome(entityType: string, result: string, n = 1): void {
  entityOperations.inc({ entity_type: entityType, result }, n);
}

export function recordSyncError(entityType: string | null | undefined, code: string): void {
  entityErrors.inc({ entity_type: entityType ?? 'none', code });
}

/** Starts timing one attempt; call the result with the HTTP status, or "timeout"/"error". */
export function timeBroadstreetRequest(method: string, path: string): (status: number | 'timeout' | 'error') => void {
  const stop = broadstreetRequests.startTimer({ endpoint: endpointTemplate(method, path) });
  return (status) => void stop({ status: String(status) });
}

export function recordRetry(endpoint: string, code: string | undefined): void {
  broadstreetRetries.inc({ endpoint: templatePath(endpoint), code: code ?? 'unknown' });
}

/** Times how long `waiting` took to settle (the limiter's grant). */
export function setBroadstreetReachable(reachable: boolean): void {
  broadstreetReachable.set(reachable ? 1 : 0);
}

export function recordBreakerOpened(): void {
  breakerOpenings.inc();
}

export async function timeLimiterWait(waiting: Promise<void>): Promise<void> {
  const stop = limiterWait.startTimer();
  try {
    await waiting;
  } finally {
    stop();
  }
}

export function subscriptionStarted(): () => void {
  activeSubscriptions.inc();
  let ended = false;
  return () => {
    if (ended) return;
    ended = true;
    activeSubscriptions.dec();
  };
}

/** Starts timing an operation; the returned function records it and returns its duration in seconds. */
export function timeGraphQLOperation(operationType: string, operationName: string): () => number {
  return graphqlOperations.startTimer({ operation_type: operationType, operation_name: operationName });
}

/** `GET /advertisers/12` → `GET /advertisers/{id}`: ids would make a series per entity. */
export function endpointTemplate(method: string, path: string): string {
  return templatePath(`${method} ${path}`);
}

function templatePath(endpoint: string): string {
  return endpoint.replace(/\/\d+(?=\/|$)/g, '/{id}');
}

export function metricsText(): Promise<string> {
  return registry.metrics();
}

export const metricsContentType = registry.contentType;
