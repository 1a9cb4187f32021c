import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { printedSchema } from '../src/graphql/print.ts';
import { ROOT } from './helpers/process.ts';

it('schema.graphql is the schema printed from code (npm run schema:print)', () => {
  expect(readFileSync(path.join(ROOT, 'schema.graphql'), 'utf8')).toBe(printedSchema());
});
