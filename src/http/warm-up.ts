// Warms the GraphQL schema, the Prisma query compiler and the HTTP path
// before start-up resolves: the first operation of a fresh process otherwise
// paid for them (85–164 ms, the event loop held meanwhile — issue 18).
// Read-only: a page of networks, and where the database has a network, a page
// of 50 of its placements with their relations and its runs (the dashboard's
// shapes), that page WARM_UP_PASSES times: V8 compiles a function only after
// it has run a few times, and one pass left the first operation at 80–100 ms.
// Start-up sends them over the server's own HTTP (app.ts: the Node and Yoga
// request paths, the executor, the plugins' hooks) on a context the operation
// metrics leave out; without a sender they run in-process through Yoga's
// parse, validation and execution. Best
// effort: any failure (an empty or not yet migrated database) is logged at
// debug level and start-up goes on; past its budget, start-up stops waiting
// and the warm-up starts no further query.
import type { DocumentNode, ExecutionResult } from 'graphql';
import type { YogaServerInstance } from 'graphql-yoga';
import type { Context } from '../graphql/context.ts';
import { markUncounted } from '../observability/graphql-operations.ts';
import type { AppServices } from '../services.ts';

/** How many times the network's page is sent. */
export const WARM_UP_PASSES = 3;

/** Start-up waits at most this long for the warm-up; past it, no further warm-up query starts. */
export const WARM_UP_BUDGET_MS = 500;

const NETWORKS = `query BroadsyncWarmUpNetworks {
  networksConnection(first: 1) { totalCount edges { node { id broadstreetId name } } }
}`;

const NETWORK_PAGES = `query BroadsyncWarmUpPages($networkId: Int!) {
  placements(networkId: $networkId, first: 50) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node {
      id mongoId restrictions syncedAt
      campaign { id mongoId broadstreetId name startDate endDate weight advertiser { id broadstreetId name } }
      advertisement { id broadstreetId name type previewUrl }
      zone { id broadstreetId name alias }
    } }
  }
  syncRuns(networkId: $networkId, first: 1) { totalCount edges { node { id status counts { entityType created } } } }
}`;

export interface WarmUpResult {
  ms: number;
  /** Operations that ran without errors. */
  operations: number;
  /** Why it stopped short, if it did (never an error of start-up). */
  skipped?: string;
}

/** Any server context: app.ts's own type stays there. */
type Yoga = YogaServerInstance<any, Context>;

/** Sends one warm-up operation and resolves to its result. */
export type WarmUpSend = (source: string, variableValues?: Record<string, unknown>) => Promise<ExecutionResult>;

/** A sender posting to the server's own /graphql at `url` with these headers. */
export function overHttp(url: string, headers: Record<string, string>): WarmUpSend {
  return async (query, variables) => {
    const response = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query, variables }),
    });
    // Refused (401/403, a busy 503): an answer with an error, whatever the body says.
    if (!response.ok) {
      await response.body?.cancel();
      return { errors: [{ message: `HTTP ${response.status}` }] } as unknown as ExecutionResult;
    }
    return (await response.json()) as ExecutionResult;
  };
}

export async function warmUp(
  yoga: Yoga,
  services: AppServices,
  budgetMs: number = WARM_UP_BUDGET_MS,
  send?: WarmUpSend,
): Promise<WarmUpResult> {
  const started = performance.now();
  const pastBudget = `past its ${budgetMs} ms budget`;
  let timer: NodeJS.Timeout | undefined;
  const budget = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(pastBudget), budgetMs);
    timer.unref();
  });
  let operations = 0;
  /** The first answer with errors, for the log line when nothing ran cleanly. */
  let firstError: string | undefined;
  /** Set once start-up stops waiting: no further warm-up query starts (none lands in a later request's window). */
  let over = false;
  // Checked between steps too: on SQLite a query settles in microtasks, before any timer could fire.
  const stopped = () => over || performance.now() - started >= budgetMs;
  const run = async (): Promise<string | undefined> => {
    const context = markUncounted<Context>({ requestId: 'warm-up', logger: services.logger, scope: 'read', services });
    const enveloped = yoga.getEnveloped({ scope: 'read', requestId: 'warm-up' });
    const inProcess: WarmUpSend = async (source, variableValues) => {
      const document = enveloped.parse(source) as DocumentNode;
      const invalid = enveloped.validate(enveloped.schema, document);
      if (invalid.length > 0) throw new Error(`warm-up query invalid: ${invalid[0]!.message}`);
      return (await enveloped.execute({ schema: enveloped.schema, document, variableValues, contextValue: context })) as ExecutionResult;
    };
    const once = async (source: string, variableValues?: Record<string, unknown>) => {
      const result = await (send ?? inProcess)(source, variableValues);
      if (!result.errors?.length) operations += 1;
      else firstError ??= result.errors[0]?.message;
    };
    await once(NETWORKS);
    if (stopped()) return pastBudget;
    const network = await services.db.network.findFirst({
      where: { broadstreetId: { not: null }, removedAt: null },
      select: { broadstreetId: true },
      orderBy: { id: 'asc' },
    });
    if (!network) return 'no network in the database';
    for (let pass = 0; pass < WARM_UP_PASSES; pass++) {
      if (stopped()) return pastBudget;
      await once(NETWORK_PAGES, { networkId: network.broadstreetId });
    }
    return undefined;
  };
  // A failure (an unmigrated database, say) ends the warm-up, never start-up; caught here even
  // once start-up has stopped waiting. Not the error's text: a database's can carry SQL or paths.
  const work = run().catch((error: unknown) => `stopped early (${error instanceof Error ? error.name : 'failed'})`);
  try {
    const skipped = await Promise.race([work, budget]);
    const ms = performance.now() - started;
    services.logger.debug({ ms: Math.round(ms), operations, skipped }, 'GraphQL warm-up');
    // Nothing warmed because every query was answered with errors: the first operation pays for it (an operator can tell why).
    if (operations === 0 && firstError !== undefined)
      services.logger.warn(
        { firstError },
        'GraphQL warm-up: every warm-up query was answered with errors, so the first operation will be slower',
      );
    return { ms, operations, ...(skipped ? { skipped } : {}) };
  } finally {
    over = true;
    clearTimeout(timer);
  }
}
