import { GraphQLError, Kind } from 'graphql';
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

builder.scalarType('JSON', {
  description: 'Any JSON value: a field value as Broadstreet or this API holds it (a string, number, boolean, list, object or null).',
  serialize: (value) => value,
  parseValue: (value) => value,
});

function parseDateTime(value: unknown): Date {
  const date = typeof value === 'string' ? new Date(value) : undefined;
  if (!date || Number.isNaN(date.getTime())) throw new GraphQLError('DateTime must be an ISO 8601 string');
  return date;
}

function parseDateText(value: unknown): string {
  if (typeof value !== 'string') throw new GraphQLError('Date must be a string written YYYY-MM-DD');
  return value;
}
