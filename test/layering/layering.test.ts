// The layering check that `npm test` runs (.dependency-cruiser.cjs): the real
// code passes it, and a fixture with an import cycle and a sync-core import
// of the GraphQL layer fails it, naming both.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const cli = path.join(root, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');
const config = path.join(root, '.dependency-cruiser.cjs');

function cruise(cwd: string) {
  const result = spawnSync(process.execPath, [cli, 'src', '--config', config, '--output-type', 'err'], { cwd, encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('layering (dependency-cruiser)', () => {
  const fixture = mkdtempSync(path.join(tmpdir(), 'broadsync-layering-'));
  afterAll(() => rmSync(fixture, { recursive: true, force: true }));

  it('the source tree has no cycle and no backward import', () => {
    const { status, output } = cruise(root);
    expect(output).toMatch(/no dependency violations found/);
    expect(status).toBe(0);
  }, 60_000);

  it('fails on an import cycle and on a sync-core import of src/graphql', () => {
    cpSync(path.join(import.meta.dirname, 'fixture'), fixture, { recursive: true });
    const { status, output } = cruise(fixture);
    expect(status).not.toBe(0);
    expect(output).toMatch(/error no-circular: src\/sync\/export\/plan\.ts →/);
    expect(output).toMatch(/error sync-core-below-graphql: src\/sync\/run\.service\.ts → src\/graphql\/errors\.ts/);
    // A *.schema.ts in the sync folder is GraphQL: it may import the builder.
    expect(output).not.toMatch(/sync\.schema\.ts → src\/graphql/);
  }, 60_000);
});
