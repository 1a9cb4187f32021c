#!/usr/bin/env node
// `npm run build`: compiles src/ to dist/ (tsc -p tsconfig.build.json) and
// copies the dashboard's static files beside the compiled server. Also
// exports ensureBuilt(), which `npm start`, `npm run worker` and the bin call
// to build first when dist/ is missing or older than the sources.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { root } from './setup.mjs';

const STAMP = path.join(root, 'dist/.built');
/**
 * What the compiled output is built from. The generated Prisma clients are
 * rewritten (same content, new times) by every install's postinstall: the
 * schema they come from stands in for them, so a production install
 * (`npm ci --omit=dev`, no compiler) does not look stale.
 */
const INPUTS = ['src', 'prisma/schema.prisma', 'tsconfig.json', 'tsconfig.build.json'];
const SKIPPED = new Set([path.join(root, 'src/generated')]);

function newest(file) {
  if (SKIPPED.has(file)) return 0;
  const stat = statSync(file);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(file).reduce((max, name) => Math.max(max, newest(path.join(file, name))), 0);
}

/** Why dist/ must be (re)built, or null when it is current. */
export function staleReason() {
  if (!existsSync(STAMP)) return 'dist/ has not been built';
  const built = statSync(STAMP).mtimeMs;
  const changed = INPUTS.find((input) => existsSync(path.join(root, input)) && newest(path.join(root, input)) > built);
  return changed ? `${changed} changed since the last build` : null;
}

export function build() {
  let tsc;
  try {
    tsc = createRequire(path.join(root, 'package.json')).resolve('typescript/bin/tsc');
  } catch {
    throw new Error(
      'cannot build dist/: the TypeScript compiler is not installed (a production install needs a built dist/; run `npm run build` where dev dependencies are installed)',
    );
  }
  // Incremental (dist/.tsbuildinfo): a rebuild after a small change compiles little.
  execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
  cpSync(path.join(root, 'src/dashboard/public'), path.join(root, 'dist/dashboard/public'), { recursive: true });
  writeFileSync(STAMP, `${new Date().toISOString()}\n`);
}

/** Builds when dist/ is missing or stale; says so on stderr (stdout may be a program's output). */
export function ensureBuilt() {
  const reason = staleReason();
  if (!reason) return;
  console.error(`broadsync: building dist/ (${reason})…`);
  build();
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    build();
  } catch (error) {
    console.error(`broadsync: ${error.message}`);
    process.exit(1);
  }
}
