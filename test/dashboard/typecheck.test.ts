// The page's modules are plain JavaScript served as written; their JSDoc
// types are checked here against the DOM and graphql-ws's own declarations.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/process.ts';

describe('the dashboard scripts', () => {
  it('type-check (tsc -p src/dashboard)', () => {
    const tsc = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'src/dashboard'], { cwd: ROOT, encoding: 'utf8' });
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.status).toBe(0);
  }, 120_000);
});
