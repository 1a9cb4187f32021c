// Makes a fresh clone ready to run: installs dependencies when node_modules is
// missing or older than package-lock.json (postinstall then builds the native
// SQLite driver and generates the Prisma clients), and regenerates the clients
// when the schema changed since. Uses only Node's own modules.
import { execFileSync, execSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('..', import.meta.url));

const mtime = (file) => (existsSync(`${root}${file}`) ? statSync(`${root}${file}`).mtimeMs : 0);

export function ensureSetup() {
  const installed = mtime('node_modules/.package-lock.json');
  if (!installed || installed < mtime('package-lock.json')) {
    console.error('broadsync: installing dependencies (npm ci)…');
    // --include=dev: the tests and benchmarks need the dev dependencies even
    // when the first command a clone runs has NODE_ENV=production set.
    execSync('npm ci --include=dev --no-audit --no-fund', { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
    return;
  }
  const generated = mtime('src/generated/prisma-postgres/client.ts');
  if (!generated || generated < Math.max(mtime('prisma/schema.prisma'), mtime('prisma/postgres/schema.prisma'))) {
    execFileSync(process.execPath, [`${root}scripts/prisma.mjs`, 'generate'], { cwd: root, stdio: 'inherit' });
  }
}
