// `npm run db:migration -- <name>` writes one migration into both providers'
// histories, from the schema they end at (prisma/migrated.prisma) to
// schema.prisma; migrations.test.ts then checks each history against it.
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MigrationError, newMigration } from '../../scripts/new-migration.ts';
import { ROOT } from '../helpers/process.ts';

it('prisma/migrated.prisma is schema.prisma: the histories end at the current schema', () => {
  expect(readFileSync(path.join(ROOT, 'prisma/migrated.prisma'), 'utf8')).toBe(
    readFileSync(path.join(ROOT, 'prisma/schema.prisma'), 'utf8'),
  );
});

describe('npm run db:migration', () => {
  const scratch = mkdtempSync(path.join(tmpdir(), 'broadsync-migration-'));
  const prismaDir = path.join(scratch, 'prisma');
  const paths = { prismaDir, tmpDir: path.join(scratch, 'tmp') };
  cpSync(path.join(ROOT, 'prisma'), prismaDir, { recursive: true });
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('refuses a bad name, and an unchanged schema, writing nothing', () => {
    expect(() => newMigration('Add Width', paths)).toThrow(MigrationError);
    expect(() => newMigration('add_zone_width', paths)).toThrow(/has not changed since the last migration/);
  });

  it('writes the change into both histories, each in its own dialect, and moves the snapshot on', () => {
    const schemaFile = path.join(prismaDir, 'schema.prisma');
    const schema = readFileSync(schemaFile, 'utf8');
    const changed = schema.replace(/(model Zone \{\n)/, '$1  width Int?\n');
    expect(changed).not.toBe(schema);
    writeFileSync(schemaFile, changed);

    const written = newMigration('add_zone_width', paths, new Date('2026-12-01T21:30:00Z'));
    expect(written.map((dir) => path.relative(prismaDir, dir))).toEqual([
      'migrations/20261201213000_add_zone_width',
      'postgres/migrations/20261201213000_add_zone_width',
    ]);
    const sqlite = readFileSync(path.join(written[0]!, 'migration.sql'), 'utf8');
    const postgres = readFileSync(path.join(written[1]!, 'migration.sql'), 'utf8');
    expect(sqlite).toMatch(/ALTER TABLE "Zone" ADD COLUMN "width" INTEGER/);
    expect(postgres).toMatch(/ALTER TABLE "Zone" ADD COLUMN\s+"width" INTEGER/);
    expect(readFileSync(path.join(prismaDir, 'migrated.prisma'), 'utf8')).toBe(changed);
    expect(() => newMigration('add_zone_width_again', paths)).toThrow(/has not changed/);
    expect(existsSync(path.join(prismaDir, 'migrations/20261201213000_add_zone_width_again'))).toBe(false);
  }, 60_000);
});
