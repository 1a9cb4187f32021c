// The emulator over real HTTP (node:http, keep-alive): Broadstreet under
// /api/1, the inspection API under /__emulator.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EmulatorCore, Outcome } from './core.ts';
import { inspect, INSPECT_PREFIX } from './inspect.ts';

export const API_BASE_PATH = '/api/1';

export function createEmulatorServer(getCore: () => EmulatorCore): Server {
  const server = createServer((req, res) => {
    route(getCore(), req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: `emulator error: ${(error as Error).message}` }));
    });
  });
  // Clients keep connections alive between calls; outlive their idle timers.
  server.keepAliveTimeout = 10_000;
  server.on('connection', () => getCore().stats.connections++);
  return server;
}

async function route(core: EmulatorCore, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://emulator');
  const body = await readBody(req);
  if (url.pathname.startsWith(INSPECT_PREFIX)) {
    const parsed = body.length ? safeJson(body) : undefined;
    const reply = inspect(core, req.method ?? 'GET', url.pathname, url.searchParams, parsed);
    return send(res, {
      type: 'respond',
      status: reply.status,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(reply.body),
    });
  }
  if (!url.pathname.startsWith(`${API_BASE_PATH}/`)) {
    return send(res, { type: 'respond', status: 404, headers: { 'content-type': 'application/json' }, body: '{"message":"Not Found"}' });
  }
  const outcome = await core.handle({
    method: req.method ?? 'GET',
    path: url.pathname.slice(API_BASE_PATH.length),
    query: url.searchParams,
    contentType: req.headers['content-type'] ?? '',
    body,
  });
  send(res, outcome);
}

function send(res: ServerResponse, outcome: Outcome): void {
  if (outcome.type === 'drop') {
    // A TCP RST, as a crashed proxy or a dropped connection looks to the client.
    res.socket?.resetAndDestroy();
    return;
  }
  res.writeHead(outcome.status, { ...outcome.headers, 'content-length': Buffer.byteLength(outcome.body) });
  res.end(outcome.body);
}

async function readBody(req: IncomingMessage): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function safeJson(body: Uint8Array): unknown {
  try {
    return JSON.parse(Buffer.from(body).toString('utf8'));
  } catch {
    return null;
  }
}

export async function listen(server: Server, port: number, host: string): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}
