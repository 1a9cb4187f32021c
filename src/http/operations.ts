// The operator endpoints beside /health: /ready and /metrics. Both are open
// on the listening interface, like /health: probes and scrapers rarely carry
// tokens, and neither runs an operation or shows a secret.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Config } from '../config.ts';
import { metricsContentType, metricsText } from '../observability/metrics.ts';
import type { Readiness } from '../observability/ready.ts';

export type OperationsHandler = (req: IncomingMessage, res: ServerResponse) => boolean;

/** Answers /ready and /metrics (when enabled); returns false for any other path. */
export function operationsEndpoints(config: Config, readiness: Readiness): OperationsHandler {
  return (req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (path === '/ready') {
      void readiness.report().then(
        (report) => sendJson(res, report.status === 'ready' ? 200 : 503, report),
        () => sendJson(res, 503, { status: 'not ready' }),
      );
      return true;
    }
    if (path === '/metrics' && config.METRICS_ENABLED) {
      void metricsText().then(
        (text) => {
          res.writeHead(200, { 'content-type': metricsContentType });
          res.end(text);
        },
        () => sendJson(res, 500, { error: 'metrics are unavailable' }),
      );
      return true;
    }
    return false;
  };
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}
