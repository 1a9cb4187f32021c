#!/usr/bin/env node
// `npx broadsync …`: runs the compiled CLI (dist/cli/main.js), building dist/ first when it is missing or stale.
import { ensureBuilt } from '../scripts/build.mjs';

try {
  ensureBuilt();
} catch (error) {
  console.error(`broadsync: ${error.message}`);
  process.exit(1);
}
await import(new URL('../dist/cli/main.js', import.meta.url).href);
