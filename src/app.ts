// buildApp(): one HTTP server carrying graphql-yoga (HTTP, GraphiQL) and
// graphql-ws (subscriptions) on the same port and path, plus /health.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GraphQLError } from 'graphql';
import { createYoga, type YogaServerInstance } from 'graphql-yoga';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { listenHost } from './config.ts';
import { dashboardHandler } from './dashboard/serve.ts';
import { pingDatabase } from './db/index.ts';
import type { AccessScope, Context } from './graphql/context.ts';
import { schema } from './graphql/schema.ts';
import { createAccessControl, useWriteScope } from './http/auth.ts';
import { createGate } from './http/gate.ts';
import { renderOfflineGraphiQL } from './http/graphiql.ts';
import { useOperationCap } from './http/operation-cap.ts';
import { operationsEndpoints } from './http/operations.ts';
import { securityOptions, securityPlugins } from './http/security.ts';
import { overHttp, warmUp, type WarmUpResult } from './http/warm-up.ts';
import { acceptConnection, verifyUpgrade, type ConnectionAccess } from './http/websocket.ts';
import { markUncounted, useOperationObservability } from './observability/graphql-operations.ts';
import { createReadiness } from './observability/ready.ts';
import { withRequestId } from './observability/log-context.ts';
import type { AppServices } from './services.ts';
import { runsExecutingHere } from './sync/engine.ts';

export interface App {
  server: Server;
  yoga: YogaServerInstance<ServerContext, Context>;
  /** Starts executing runs, then listens. Resolves to the base URL. */
  start(): Promise<string>;
  /** Stops listening and executing; the services stay open for their owner to close. */
  stop(): Promise<void>;
  url(): string;
  /** What start-up's warm-up did (operations answered, or why it stopped early). */
  warmedUp(): WarmUpResult | undefined;
}

interface ServerContext {
  req: IncomingMessage;
  res?: ServerResponse;
  /** Set by the access gate (HTTP) or at connection_init (WebSocket). */
  scope?: AccessScope;
  requestId?: string;
  /** The start-up warm-up's own requests: no operation metric or log line counts them. */
  warmUp?: boolean;
}

/** The header carrying the warm-up's key: a start-up request to the server's own HTTP (warm-up.ts). */
const WARM_UP_HEADER = 'x-broadsync-warm-up';

export function buildApp(services: AppServices): App {
  const { config, logger } = services;
  const access = createAccessControl(config.API_TOKENS);
  const readiness = createReadiness(config, services.db);
  const yoga = createYoga<ServerContext, Context>({
    schema,
    ...securityOptions(config),
    graphqlEndpoint: '/graphql',
    renderGraphiQL: renderOfflineGraphiQL,
    landingPage: false,
    healthCheckEndpoint: false as unknown as string,
    logging: logger.child({ component: 'yoga' }),
    plugins: [
      ...securityPlugins(config),
      useWriteScope(),
      useOperationObservability(),
      useOperationCap({
        concurrency: config.GRAPHQL_MAX_CONCURRENT_OPERATIONS,
        queue: config.GRAPHQL_MAX_QUEUED_OPERATIONS,
        share: config.GRAPHQL_SHARE_QUEUED_QUERIES,
        yieldTo: () => runsExecutingHere() > 0,
      }),
    ],
    context: (initial) => createContext(initial, services),
  });

  const dashboard = dashboardHandler(); // the sync dashboard at /, its files under /dashboard/
  const gate = createGate(access, logger);
  const operations = operationsEndpoints(config, readiness);
  // A random key per process, sent only by the server to itself and never logged. It grants nothing (the
  // warm-up passes the access check like any request, with a configured token); it only keeps its
  // operations out of the metrics.
  const warmUpKey = randomUUID();
  const server = createServer((req, res) => {
    if (req.url === '/health' || req.url?.startsWith('/health?')) return void health(res);
    if (operations(req, res)) return;
    if (dashboard(req, res)) return;
    const warming = req.headers[WARM_UP_HEADER] === warmUpKey;
    gate(req, res, (context) => yoga.handle(req, res, warming ? { ...context, warmUp: true } : context));
  });
  const warmUpHeaders = (): Record<string, string> => {
    const token = config.API_TOKENS?.find((t) => t.scope === 'read') ?? config.API_TOKENS?.[0];
    return { [WARM_UP_HEADER]: warmUpKey, ...(token ? { authorization: `Bearer ${token.token}` } : {}) };
  };

  const wsServer = new WebSocketServer({
    server,
    path: yoga.graphqlEndpoint,
    maxPayload: config.GRAPHQL_MAX_BODY_BYTES,
    verifyClient: verifyUpgrade(access),
  });
  const wsDisposable = useServer<Record<string, unknown>, ConnectionAccess>(
    {
      connectionInitWaitTimeout: config.WS_CONNECTION_INIT_TIMEOUT_MS,
      onConnect: acceptConnection(access, logger),
      execute: (args) => withRequestId((args.contextValue as Context).requestId, () => (args.rootValue as EnvelopedRoot).execute(args)),
      subscribe: (args) => withRequestId((args.contextValue as Context).requestId, () => (args.rootValue as EnvelopedRoot).subscribe(args)),
      onSubscribe: async (ctx, _id, payload) => {
        const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({
          ...ctx,
          req: ctx.extra.request,
          socket: ctx.extra.socket,
          params: payload,
          scope: ctx.extra.scope,
          requestId: randomUUID(),
        });
        let document;
        try {
          document = parse(payload.query);
        } catch (error) {
          // A refused parse (syntax, or the token limit) is an error message, not a closed socket.
          if (error instanceof GraphQLError) return [error];
          throw error;
        }
        const args = {
          schema,
          operationName: payload.operationName,
          document,
          variableValues: payload.variables,
          contextValue: await contextFactory(),
          rootValue: { execute, subscribe },
        };
        const errors = validate(args.schema, args.document);
        return errors.length > 0 ? errors : args;
      },
    },
    wsServer,
  );

  let baseUrl = '';
  let warmedUp: WarmUpResult | undefined;

  async function health(res: ServerResponse): Promise<void> {
    const database = await pingDatabase(services.db);
    res.writeHead(database ? 200 : 503, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ status: database ? 'ok' : 'error', database: database ? 'ok' : 'unreachable' }));
  }

  return {
    server,
    yoga,
    url: () => baseUrl,
    warmedUp: () => warmedUp,
    async start() {
      await services.start();
      const host = listenHost(config);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(config.PORT, host, () => {
          server.off('error', reject);
          resolve();
        });
      });
      const { port } = server.address() as AddressInfo;
      baseUrl = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
      // Before start-up resolves, so that the first operation finds the schema, the query compiler and the HTTP path warm.
      warmedUp = await warmUp(yoga, services, undefined, overHttp(baseUrl, warmUpHeaders()));
      if (!access.guarded)
        logger.warn({ host }, `API_TOKENS is not set: the GraphQL API is open without a token, so it listens on loopback (${host}) only`);
      return baseUrl;
    },
    async stop() {
      await services.scheduler.stop();
      await services.executor.stop();
      await readiness.close();
      await wsDisposable.dispose();
      await new Promise<void>((resolve) => wsServer.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

interface EnvelopedRoot {
  execute: (args: unknown) => never;
  subscribe: (args: unknown) => never;
}

/** Requests reach Yoga through the gate or connection_init, which set the scope; nothing else gets one. */
function createContext({ requestId, scope, warmUp }: ServerContext, services: AppServices): Context {
  if (!scope) throw new Error('an operation reached GraphQL without passing the access check');
  // The request id reaches log lines through the request context (pino mixin), not a child binding.
  const context: Context = { requestId: requestId ?? randomUUID(), logger: services.logger, scope, services };
  return warmUp ? markUncounted(context) : context;
}
