// Prints the schema built from code to schema.graphql (or checks it with --check).
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { printedSchema } from '../src/graphql/print.ts';

const file = fileURLToPath(new URL('../schema.graphql', import.meta.url));
const printed = printedSchema();
if (process.argv.includes('--check')) {
  const current = readFileSync(file, 'utf8');
  if (current !== printed) {
    console.error('schema.graphql is stale: run npm run schema:print');
    process.exit(1);
  }
  console.log('schema.graphql is current');
} else {
  writeFileSync(file, printed);
  console.log('wrote schema.graphql');
}
