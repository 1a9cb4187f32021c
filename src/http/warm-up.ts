// Warms the GraphQL schema and the Prisma query compiler before the server
// listens: the first operation of a fresh process otherwise paid for them
// (85–164 ms, the event loop held meanwhile — issue 18). Read-only: a page of
// networks, and where the database has a network, its placements with their
// relations and its runs (the dashboard's shapes). It goes through Yoga's
// parse, validation (the armor rules included) and execution: the executor
// Yoga runs (graphql-tools', not graphql-js's) with the plugins' hooks, on a
// context the operation metrics leave out, so no metric or log line counts
// it. A page of 50, as the dashboard reads: each field's path runs 50 times,
// which a page of 1 left cold (the first operation still took 85 ms). Best
// effort: any failure (an empty or not yet migrated database) is logged at
// debug level and start-up goes on; past its budget, start-up stops waiting
// and the warm-up starts no further query.
import type { DocumentNode, ExecutionResult } from 'graphql';
import type { YogaServerInstance } from 'graphql-yoga';
import type { Context } from '../graphql/context.ts';
import { uncountedOperations } from '../observability/graphql-operations.ts';
import type { AppServices } from '../services.ts';

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

export async function warmUp(yoga: Yoga, services: AppServices, budgetMs: number = WARM_UP_BUDGET_MS): Promise<WarmUpResult> {
  const started = performance.now();
  const pastBudget = `past its ${budgetMs} ms budget`;
  let timer: NodeJS.Timeout | undefined;
  const budget = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(pastBudget), budgetMs);
    timer.unref();
  });
  let operations = 0;
  /** Set once start-up stops waiting: no further warm-up query starts (none lands in a later request's window). */
  let over = false;
  // Checked between steps too: on SQLite a query settles in microtasks, before any timer could fire.
  const stopped = () => over || performance.now() - started >= budgetMs;
  const run = async (): Promise<string | undefined> => {
    const context: Context = { requestId: 'warm-up', logger: services.logger, scope: 'read', services };
    uncountedOperations.add(context);
    const enveloped = yoga.getEnveloped({ scope: 'read', requestId: 'warm-up' });
    const once = async (source: string, variableValues?: Record<string, unknown>) => {
      const document = enveloped.parse(source) as DocumentNode;
      const invalid = enveloped.validate(enveloped.schema, document);
      if (invalid.length > 0) throw new Error(`warm-up query invalid: ${invalid[0]!.message}`);
      const result = (await enveloped.execute({ schema: enveloped.schema, document, variableValues, contextValue: context })) as ExecutionResult;
      if (!result.errors?.length) operations += 1;
    };
    await once(NETWORKS);
    if (stopped()) return pastBudget;
    const network = await services.db.network.findFirst({
      where: { broadstreetId: { not: null }, removedAt: null },
      select: { broadstreetId: true },
      orderBy: { id: 'asc' },
    });
    if (!network) return 'no network in the database';
    if (stopped()) return pastBudget;
    await once(NETWORK_PAGES, { networkId: network.broadstreetId });
    return undefined;
  };
  // A failure (an unmigrated database, say) ends the warm-up, never start-up; caught here even
  // once start-up has stopped waiting. Not the error's text: a database's can carry SQL or paths.
  const work = run().catch((error: unknown) => `stopped early (${error instanceof Error ? error.name : 'failed'})`);
  try {
    const skipped = await Promise.race([work, budget]);
    const ms = performance.now() - started;
    services.logger.debug({ ms: Math.round(ms), operations, skipped }, 'GraphQL warm-up');
    return { ms, operations, ...(skipped ? { skipped } : {}) };
  } finally {
    over = true;
    clearTimeout(timer);
  }
}
