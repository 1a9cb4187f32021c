// GraphQL Code Generator (typescript + typescript-operations), as client
// teams run it, over the printed schema.graphql and the operations the
// dashboard and the CLI send: no error, and the generated code type-checks.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { codegen } from '@graphql-codegen/core';
import * as typescriptPlugin from '@graphql-codegen/typescript';
import * as operationsPlugin from '@graphql-codegen/typescript-operations';
import { buildSchema, parse, validate, type DocumentNode } from 'graphql';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import * as cliOperations from '../../src/cli/operations.ts';
import { ROOT } from '../helpers/process.ts';

const OPERATION = /^\s*(query|mutation|subscription)\b/;

/** The dashboard's operations: every exported GraphQL string, and the list query of each entity type. */
async function dashboardOperations(): Promise<string[]> {
  // A plain browser module (JSDoc-typed JavaScript), loaded as the browser loads it.
  const modulePath = pathToFileURL(path.join(ROOT, 'src/dashboard/public/js/queries.js')).href;
  const queries = (await import(modulePath)) as Record<string, unknown> & {
    ENTITY_NODES: Record<string, string>;
    entityListQuery(type: string): string;
  };
  const strings = Object.values(queries).filter((value): value is string => typeof value === 'string' && OPERATION.test(value));
  return [...strings, ...Object.keys(queries.ENTITY_NODES).map((type) => queries.entityListQuery(type))];
}

const cliOperationStrings = () =>
  (Object.values(cliOperations) as unknown[]).filter((value): value is string => typeof value === 'string' && OPERATION.test(value));

/**
 * Code Generator's output for one client's operations (each client on its own,
 * as its team would): the schema's types (typescript) in types.ts, the
 * operations' types (typescript-operations) in operations.ts, importing them.
 */
async function generate(sources: string[]): Promise<Record<string, string>> {
  const schemaText = readFileSync(path.join(ROOT, 'schema.graphql'), 'utf8');
  const schema = buildSchema(schemaText);
  const documents = sources.map((source, index) => ({ location: `operation-${index}.graphql`, document: parse(source) as DocumentNode }));
  for (const { document } of documents) expect(validate(schema, document).map((e) => e.message)).toEqual([]);
  const common = {
    schema: parse(schemaText),
    schemaAst: schema,
    documents,
    pluginMap: { typescript: typescriptPlugin, 'typescript-operations': operationsPlugin },
  };
  const config = { scalars: { DateTime: 'string', Date: 'string', JSON: 'unknown' }, strictScalars: true };
  return {
    'types.ts': await codegen({ ...common, filename: 'types.ts', config, plugins: [{ typescript: {} }] }),
    'operations.ts': await codegen({
      ...common,
      filename: 'operations.ts',
      config: { ...config, importSchemaTypesFrom: './types' },
      plugins: [{ 'typescript-operations': {} }],
    }),
  };
}

/** Strict TypeScript's complaints about the generated files, written to a scratch folder and compiled on their own. */
function typeErrors(files: Record<string, string>): string[] {
  mkdirSync(path.join(ROOT, '.tmp'), { recursive: true });
  const dir = mkdtempSync(path.join(ROOT, '.tmp', 'codegen-'));
  try {
    for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
    const options = {
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      types: [],
    };
    const program = ts.createProgram(
      Object.keys(files).map((name) => path.join(dir, name)),
      options,
    );
    return ts
      .getPreEmitDiagnostics(program)
      .map((d) => `${path.basename(d.file?.fileName ?? '')}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('GraphQL Code Generator over schema.graphql', { timeout: 60_000 }, () => {
  it("generates types for the dashboard's operations without an error, and they type-check", async () => {
    const sources = await dashboardOperations();
    expect(sources.length).toBeGreaterThanOrEqual(14);
    const output = await generate(sources);
    for (const name of [
      'NetworksQuery',
      'StartSyncMutation',
      'SyncProgressSubscription',
      'ZonesListQuery',
      'CancelSyncMutationVariables',
      'SyncRunDetailQuery',
    ]) {
      expect(output['operations.ts']).toContain(`export type ${name} =`);
    }
    expect(output['types.ts']).toContain('export type SyncRun = ');
    expect(typeErrors(output)).toEqual([]);
  });

  it("does the same for the CLI's operations", async () => {
    const output = await generate(cliOperationStrings());
    for (const name of ['RunQuery', 'RunsQuery', 'StartSyncMutation', 'CancelSyncMutation', 'SyncProgressSubscription'])
      expect(output['operations.ts']).toContain(`export type ${name} =`);
    expect(typeErrors(output)).toEqual([]);
  });
});
