// buildApp(): one HTTP server carrying graphql-yoga (HTTP, GraphiQL) and
// graphql-ws (subscriptions) on the same port and path, plus /health.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createYoga, type YogaServerInstance } from 'graphql-yoga';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { listenHost, type Config } from './config.ts';
import { dashboardHandler } from './dashboard/serve.ts';
import { closeDatabase, openDatabase, pingDatabase } from './db/index.ts';
import type { Context } from './graphql/context.ts';
import { schema } from './graphql/schema.ts';
import { logger as rootLogger, type Logger } from './logger.ts';
import { startSyncRuntime, type SyncRuntime } from './sync/runtime.ts';

export interface App {
  server: Server;
  yoga: YogaServerInstance<ServerContext, Context>;
  /** Opens the database (migrating it), then listens. Resolves to the base URL. */
  start(): Promise<string>;
  stop(): Promise<void>;
  url(): string;
}

interface ServerContext {
  req: IncomingMessage;
  res?: ServerResponse;
}

export function buildApp(config: Config, logger: Logger = rootLogger): App {
  const yoga = createYoga<ServerContext, Context>({
    schema,
    graphqlEndpoint: '/graphql',
    graphiql: { subscriptionsProtocol: 'WS' },
    landingPage: false,
    healthCheckEndpoint: false as unknown as string,
    logging: logger.child({ component: 'yoga' }),
    context: ({ req }) => createContext(req, logger),
  });

  const dashboard = dashboardHandler(); // the sync dashboard at /, its files under /dashboard/
  const server = createServer((req, res) => {
    if (req.url === '/health' || req.url?.startsWith('/health?')) return void health(res);
    if (dashboard(req, res)) return;
    void yoga.handle(req, res);
  });

  const wsServer = new WebSocketServer({ server, path: yoga.graphqlEndpoint });
  const wsDisposable = useServer<Record<string, unknown>>(
    {
      connectionInitWaitTimeout: 10_000,
      execute: (args) => (args.rootValue as EnvelopedRoot).execute(args),
      subscribe: (args) => (args.rootValue as EnvelopedRoot).subscribe(args),
      onSubscribe: async (ctx, _id, payload) => {
        const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({
          ...ctx,
          req: ctx.extra.request,
          socket: ctx.extra.socket,
          params: payload,
        });
        const args = {
          schema,
          operationName: payload.operationName,
          document: parse(payload.query),
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
  let sync: SyncRuntime | undefined;

  async function health(res: ServerResponse): Promise<void> {
    const database = await pingDatabase();
    res.writeHead(database ? 200 : 503, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ status: database ? 'ok' : 'error', database: database ? 'ok' : 'unreachable' }));
  }

  return {
    server,
    yoga,
    url: () => baseUrl,
    async start() {
      await openDatabase(config.DATABASE_URL);
      sync = await startSyncRuntime(config, logger);
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
      return baseUrl;
    },
    async stop() {
      await sync?.stop();
      await wsDisposable.dispose();
      await new Promise<void>((resolve) => wsServer.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await closeDatabase();
    },
  };
}

interface EnvelopedRoot {
  execute: (args: unknown) => never;
  subscribe: (args: unknown) => never;
}

function createContext(req: IncomingMessage, logger: Logger): Context {
  const header = req.headers['x-request-id'];
  const requestId = (typeof header === 'string' && /^[\w.-]{1,64}$/.test(header) && header) || randomUUID();
  return { requestId, logger: logger.child({ requestId }), scope: 'write' };
}
