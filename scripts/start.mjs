#!/usr/bin/env node
// `node scripts/start.mjs main [args…]`: sets the project up if needed,
// builds dist/ when it is missing or stale, then runs the compiled entry
// point (dist/main.js, dist/worker.js, …) in this process.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureBuilt } from './build.mjs';
import { ensureSetup, root } from './setup.mjs';

const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  console.error('usage: node scripts/start.mjs <main|worker|emulator/main|cli/main> [args…]');
  process.exit(2);
}
ensureSetup();
try {
  ensureBuilt();
} catch (error) {
  console.error(`broadsync: ${error.message}`);
  process.exit(1);
}
const compiled = path.join(root, 'dist', `${entry}.js`);
process.argv = [process.argv[0], compiled, ...args];
await import(pathToFileURL(compiled).href);
