#!/usr/bin/env node
// Prisma tasks that must cover both providers.
//   generate   generate both clients (and the Pothos types) from the checked-in schemas
//   schemas    write prisma/postgres/schema.prisma from prisma/schema.prisma, then generate
//   cli ARGS   run the Prisma CLI (provider chosen by DATABASE_URL)
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { expectedPostgresSchema, postgresSchemaPath, root } from './prisma-schemas.mjs';

const prismaBin = `${root}node_modules/prisma/build/index.js`;

export function runPrisma(args, databaseUrl, { quiet = false } = {}) {
  const result = spawnSync(process.execPath, [prismaBin, ...args], {
    cwd: root,
    env: {
      ...process.env,
      PATH: `${root}node_modules/.bin:${process.env.PATH}`,
      DATABASE_URL: databaseUrl,
      PRISMA_HIDE_UPDATE_MESSAGE: '1',
      CHECKPOINT_DISABLE: '1',
    },
    encoding: 'utf8',
    stdio: quiet ? 'pipe' : 'inherit',
  });
  return result;
}

function writePostgresSchema() {
  const expected = expectedPostgresSchema();
  let current = '';
  try {
    current = readFileSync(postgresSchemaPath, 'utf8');
  } catch {}
  if (current !== expected) {
    mkdirSync(dirname(postgresSchemaPath), { recursive: true });
    writeFileSync(postgresSchemaPath, expected);
    console.log('wrote prisma/postgres/schema.prisma');
  }
}

function generate() {
  for (const url of ['file:./data/generate.db', 'postgresql://localhost/generate']) {
    const r = runPrisma(['generate', '--no-hints'], url, { quiet: true });
    if (r.status !== 0) {
      process.stderr.write(r.stdout + r.stderr);
      process.exit(r.status ?? 1);
    }
  }
  console.log('generated the Prisma clients (SQLite and PostgreSQL) and the Pothos types');
}

const [command, ...rest] = process.argv.slice(2);
if (command === 'generate') generate();
else if (command === 'schemas') {
  writePostgresSchema();
  generate();
} else if (command === 'cli') {
  const r = runPrisma(rest, process.env.DATABASE_URL || 'file:./data/broadsync.db');
  process.exit(r.status ?? 1);
} else if (command) {
  console.error(`unknown command ${command}`);
  process.exit(2);
}
