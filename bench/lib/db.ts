// Fresh, migrated SQLite databases for benchmark runs: one template migrated
// per process (the Prisma CLI takes seconds), then a file copy per run.
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { runMigrateDeploy } from '../../src/db/migrate.ts';
import { parseDatabaseUrl } from '../../src/db/url.ts';
import { ROOT } from './child.ts';

export const TMP = path.join(ROOT, '.tmp/bench');

let template: Promise<string> | undefined;

function migratedTemplate(): Promise<string> {
  template ??= (async () => {
    mkdirSync(TMP, { recursive: true });
    const file = path.join(TMP, `template-${process.pid}.db`);
    removeDb(file);
    await runMigrateDeploy(parseDatabaseUrl(`file:${file}`));
    process.once('exit', () => removeDb(file));
    return file;
  })();
  return template;
}

export interface BenchDb {
  file: string;
  url: string;
  drop(): void;
}

let counter = 0;

export async function freshDb(label: string): Promise<BenchDb> {
  const source = await migratedTemplate();
  const file = path.join(TMP, `${label}-${process.pid}-${++counter}.db`);
  removeDb(file);
  copyFileSync(source, file);
  return { file, url: `file:${file}`, drop: () => removeDb(file) };
}

function removeDb(file: string): void {
  for (const ext of ['', '-wal', '-shm', '-journal']) rmSync(`${file}${ext}`, { force: true });
}
