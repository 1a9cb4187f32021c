#!/usr/bin/env node
// Runs after every `npm install`/`npm ci`: makes sure the native SQLite driver
// loads on this Node.js and generates the Prisma clients and Pothos types.
import { execSync, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);

function sqliteLoads() {
  const probe = spawnSync(process.execPath, ['-e', "new (require('better-sqlite3'))(':memory:').prepare('select 1').get()"], {
    cwd: root,
    encoding: 'utf8',
  });
  return probe.status === 0 ? null : ((probe.stderr || probe.stdout).split('\n').find((l) => /Error/.test(l)) ?? 'unknown error');
}

let problem = sqliteLoads();
if (problem) {
  console.log(`better-sqlite3 does not load (${problem}); building it from source for Node ${process.version}`);
  try {
    execSync('npm rebuild better-sqlite3 --foreground-scripts', { cwd: root, stdio: 'inherit' });
  } catch {}
  problem = sqliteLoads();
  if (problem) {
    console.error(
      `broadsync: the native module better-sqlite3 cannot be built here (${problem}). ` +
        'It needs python3, make and a C++ compiler (node-gyp); install them and run npm install again.',
    );
    process.exit(1);
  }
}

require('node:child_process').execFileSync(process.execPath, [`${root}scripts/prisma.mjs`, 'generate'], {
  cwd: root,
  stdio: 'inherit',
});
