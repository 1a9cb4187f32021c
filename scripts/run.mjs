#!/usr/bin/env node
// `node scripts/run.mjs src/main.ts [args…]`: sets the project up if needed,
// then runs a TypeScript entry point in this process through tsx.
import { pathToFileURL } from 'node:url';
import path from 'node:path';
import { ensureSetup, root } from './setup.mjs';

const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  console.error('usage: node scripts/run.mjs <entry.ts> [args…]');
  process.exit(2);
}
ensureSetup();
process.argv = [process.argv[0], path.resolve(root, entry), ...args];
const { register } = await import('tsx/esm/api');
register();
await import(pathToFileURL(path.resolve(root, entry)).href);
