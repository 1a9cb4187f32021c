import { GraphQLError, Kind, type ValueNode } from 'graphql';
import { builder } from './builder.ts';

export { isCalendarDate } from '../domain/dates.ts';

builder.scalarType('DateTime', {
  description: 'An instant, as an ISO 8601 string in UTC.',
  serialize: (value) => (value instanceof Date ? value.toISOString() : new Date(value as string).toISOString()),
  parseValue: (value) => parseDateTime(value),
  parseLiteral: (ast) => parseDateTime(ast.kind === Kind.STRING ? ast.value : undefined),
});

// As input, any string passes the scalar: the field's rules check the date, so
// that a bad one comes back as a ValidationError naming the field (a result
// union member) rather than as a request error.
builder.scalarType('Date', {
  description: 'A calendar date, YYYY-MM-DD. A bad date in an input is refused by its field rule (ValidationError).',
  serialize: (value) => value,
  parseValue: (value) => parseDateText(value),
  parseLiteral: (ast) => parseDateText(ast.kind === Kind.STRING ? ast.value : undefined),
});

// A field value of any entity type, as it is stored (two-way sync's base, local and remote values).
builder.scalarType('JSON', {
  description: 'Any JSON value: a field value as Broadsync or Broadstreet holds it.',
  serialize: (value) => value,
  parseValue: (value) => value,
  parseLiteral: (ast) => literalValue(ast),
});

function literalValue(ast: ValueNode): unknown {
  switch (ast.kind) {
    case Kind.STRING:
    case Kind.BOOLEAN:
      return ast.value;
    case Kind.INT:
    case Kind.FLOAT:
      return Number(ast.value);
    case Kind.LIST:
      return ast.values.map(literalValue);
    case Kind.OBJECT:
      return Object.fromEntries(ast.fields.map((f) => [f.name.value, literalValue(f.value)]));
    case Kind.NULL:
      return null;
    default:
      throw new GraphQLError('JSON literals cannot use variables inside them');
  }
}

function parseDateTime(value: unknown): Date {
  const date = typeof value === 'string' ? new Date(value) : undefined;
  if (!date || Number.isNaN(date.getTime())) throw new GraphQLError('DateTime must be an ISO 8601 string');
  return date;
}

function parseDateText(value: unknown): string {
  if (typeof value !== 'string') throw new GraphQLError('Date must be a string written YYYY-MM-DD');
  return value;
}
