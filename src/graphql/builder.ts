// The Pothos builder: configuration only. Types live beside their domain.
import SchemaBuilder from '@pothos/core';
import DataloaderPlugin from '@pothos/plugin-dataloader';
import ErrorsPlugin from '@pothos/plugin-errors';
import PrismaPlugin from '@pothos/plugin-prisma';
import RelayPlugin from '@pothos/plugin-relay';
import SimpleObjectsPlugin from '@pothos/plugin-simple-objects';
import ValidationPlugin from '@pothos/plugin-validation';
import { unusedQueryPolicy } from '../config.ts';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../domain/limits.ts';
import type PrismaTypes from '../generated/pothos-prisma-types.ts';
import { getDatamodel } from '../generated/pothos-prisma-types.ts';
import type { Context } from './context.ts';
import './global-id.ts';
import { pageSizeSchema, validationFailure } from './validation-failure.ts';

export const builder = new SchemaBuilder<{
  Context: Context;
  PrismaTypes: PrismaTypes;
  DefaultFieldNullability: false;
  Scalars: {
    ID: { Input: string; Output: string | number };
    DateTime: { Input: Date; Output: Date };
    Date: { Input: string; Output: string };
    JSON: { Input: unknown; Output: unknown };
  };
}>({
  plugins: [ErrorsPlugin, PrismaPlugin, RelayPlugin, DataloaderPlugin, ValidationPlugin, SimpleObjectsPlugin],
  defaultFieldNullability: false,
  prisma: {
    client: (ctx) => ctx.services.db,
    dmmf: getDatamodel(),
    filterConnectionTotalCount: true,
    defaultConnectionSize: DEFAULT_PAGE_SIZE,
    maxConnectionSize: MAX_PAGE_SIZE,
    // A selection Prisma loaded but no resolver used is a bug: fail tests on it.
    onUnusedQuery: unusedQueryPolicy(),
  },
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    firstArgOptions: {
      description: `Page size, at most ${MAX_PAGE_SIZE} (default ${DEFAULT_PAGE_SIZE}); larger values are refused.`,
      validate: pageSizeSchema,
    },
    lastArgOptions: {
      description: `Page size from the end, at most ${MAX_PAGE_SIZE}; larger values are refused.`,
      validate: pageSizeSchema,
    },
  },
  errors: {
    defaultTypes: [],
    // Input validation failures become the ValidationError member of a
    // mutation's result union (there is no field authorization to bypass).
    unsafelyHandleInputErrors: true,
  },
  validation: {
    validationError: validationFailure,
  },
});
