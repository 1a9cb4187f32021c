#!/usr/bin/env node
// `npm test`: sets the project up if needed, type-checks, then runs every
// test with vitest — on SQLite and, when PostgreSQL is reachable (always
// under CI=true), again on PostgreSQL. Extra arguments go to vitest.
import { spawnSync } from 'node:child_process';
import net from 'node:net';
import { ensureChromium } from './chromium.mjs';
import { ensureSetup, root } from './setup.mjs';

ensureSetup();

// The dashboard's browser tests need Chromium: installed here when possible,
// else they skip (test/dashboard/browser.ts) — except under CI=true.
const noChromium = ensureChromium();
if (noChromium) {
  if (process.env.CI === 'true') {
    console.error(`Chromium is not available (${noChromium}), and CI=true requires it`);
    process.exit(1);
  }
  console.log(`skipping the browser tests: ${noChromium}`);
}

const run = (args) => spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' }).status ?? 1;

function reachable(host, port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port, timeout: 2000 });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
  });
}

const args = process.argv.slice(2);
if (args.length === 0) {
  console.log('▶ type-check (tsc --noEmit)');
  if (run(['node_modules/typescript/bin/tsc', '--noEmit']) !== 0) process.exit(1);
}

const projects = [];
const pgUrl = new URL(process.env.PG_TEST_URL ?? 'postgresql://root@127.0.0.1:5432/postgres');
if (!(await reachable(pgUrl.hostname, Number(pgUrl.port || 5432)))) {
  if (process.env.CI === 'true') {
    console.error(`PostgreSQL at ${pgUrl.host} is unreachable, and CI=true requires it`);
    process.exit(1);
  }
  console.log(`skipping the PostgreSQL project: nothing answers at ${pgUrl.host}`);
  projects.push('--project', 'sqlite');
}

process.exit(run(['node_modules/vitest/vitest.mjs', 'run', ...projects, ...args]));
