// Derives prisma/postgres/schema.prisma from prisma/schema.prisma so the two
// cannot drift: same models, another provider, its own client output, no
// Pothos generator (the GraphQL layer is typed from the SQLite client).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('..', import.meta.url));
export const sqliteSchemaPath = `${root}prisma/schema.prisma`;
export const postgresSchemaPath = `${root}prisma/postgres/schema.prisma`;

export function postgresSchemaFrom(sqliteSchema) {
  const out = sqliteSchema
    .replace(/^\/\/ The data model\.[\s\S]*?\n\n/, '')
    .replace(/generator pothos \{[^}]*\}\n\n/, '')
    .replace('output       = "../src/generated/prisma"', 'output       = "../../src/generated/prisma-postgres"')
    .replace('provider = "sqlite"', 'provider = "postgresql"');
  if (out === sqliteSchema || !out.includes('"postgresql"') || out.includes('prisma-pothos-types')) {
    throw new Error('prisma/schema.prisma no longer has the shape scripts/prisma-schemas.mjs expects');
  }
  return `// GENERATED from prisma/schema.prisma by scripts/prisma-schemas.mjs: do not edit.\n\n${out}`;
}

export function expectedPostgresSchema() {
  return postgresSchemaFrom(readFileSync(sqliteSchemaPath, 'utf8'));
}
