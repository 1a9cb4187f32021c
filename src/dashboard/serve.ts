// The sync dashboard: static files served at `/` (the page) and under
// `/dashboard/` (its script modules, stylesheet and the graphql-ws browser
// client). No build step: the page is plain HTML + ES modules, read once when
// the app is built and answered from memory with an ETag.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';

const PUBLIC_DIR = path.join(import.meta.dirname, 'public');
export const VENDOR_PREFIX = '/dashboard/vendor/graphql-ws/';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

// Same-origin only: the page talks to /graphql over fetch and WebSocket
// ('self' covers ws:/wss: of the same host in CSP Level 3 browsers).
const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

interface Asset {
  body: Buffer;
  type: string;
  etag: string;
}

/** Returns a request handler that answers the dashboard's paths and reports whether it did. */
export function dashboardHandler(): (req: IncomingMessage, res: ServerResponse) => boolean {
  const assets = loadAssets();
  return (req, res) => {
    const pathname = (req.url ?? '/').split('?')[0]!;
    const asset = assets.get(pathname);
    if (!asset) return false;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return true;
    }
    const headers = {
      'content-type': asset.type,
      etag: asset.etag,
      'cache-control': 'no-cache',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      ...(asset.type.startsWith('text/html') ? { 'content-security-policy': CSP } : {}),
    };
    if (req.headers['if-none-match'] === asset.etag) {
      res.writeHead(304, headers).end();
      return true;
    }
    res.writeHead(200, { ...headers, 'content-length': asset.body.length });
    res.end(req.method === 'HEAD' ? undefined : asset.body);
    return true;
  };
}

function loadAssets(): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  const add = (urlPath: string, file: string) => {
    const type = TYPES[path.extname(file)];
    if (!type) return;
    const body = readFileSync(file);
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
    assets.set(urlPath, { body, type, etag });
  };
  for (const entry of readdirSync(PUBLIC_DIR, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    const relative = path.relative(PUBLIC_DIR, file).split(path.sep).join('/');
    add(relative === 'index.html' ? '/' : `/dashboard/${relative}`, file);
  }
  for (const file of graphqlWsClientFiles()) add(`${VENDOR_PREFIX}${path.basename(file)}`, file);
  return assets;
}

/**
 * The graphql-ws package's own ESM client (dist/client.js) and the chunks it
 * imports. It is browser-ready as long as it imports nothing but sibling
 * files; a release that adds a bare import fails here, at start-up, rather
 * than in someone's browser.
 */
export function graphqlWsClientFiles(): string[] {
  const dist = path.dirname(createRequire(import.meta.url).resolve('graphql-ws/client'));
  const files: string[] = [];
  const visit = (name: string) => {
    const file = path.join(dist, name);
    if (files.includes(file)) return;
    files.push(file);
    const source = readFileSync(file, 'utf8');
    for (const match of source.matchAll(/^(?:import|export)\b[^'";]*?\bfrom\s*['"]([^'"]+)['"]|^import\s*['"]([^'"]+)['"]/gm)) {
      const specifier = (match[1] ?? match[2])!;
      if (!/^\.\/[\w.-]+\.js$/.test(specifier)) {
        throw new Error(`graphql-ws/${name} imports "${specifier}": not servable to a browser as is`);
      }
      visit(specifier.slice(2));
    }
  };
  visit('client.js');
  return files;
}
