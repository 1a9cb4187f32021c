#!/usr/bin/env node
// `npm test`: sets the project up if needed, type-checks, checks format and
// lint (Biome), then runs every
// test with vitest — on SQLite and, when PostgreSQL is reachable (always
// under CI=true), again on PostgreSQL. Extra arguments go to vitest.
import { spawnSync } from 'node:child_process';
import net from 'node:net';
import { accessSync, constants } from 'node:fs';
import { ensureSetup, root } from './setup.mjs';

ensureSetup();

// The browser tests need Chromium. A test command never installs anything
// (.ci/run does, before calling this): without it they skip, said once here,
// except under CI=true, where that fails.
const chromium = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
try {
  accessSync(chromium, constants.X_OK);
} catch {
  const reason = `no Chromium at ${chromium} (apt-get install -y chromium, or set CHROMIUM_PATH)`;
  if (process.env.CI === 'true') {
    console.error(`${reason}, and CI=true requires it`);
    process.exit(1);
  }
  console.log(`skipping the browser tests: ${reason}`);
  process.env.BROADSYNC_BROWSER_SKIP_SAID = '1';
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
  console.log('▶ format and lint (biome ci)');
  if (run(['node_modules/@biomejs/biome/bin/biome', 'ci', '.']) !== 0) process.exit(1);
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
