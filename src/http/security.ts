// What protects the GraphQL endpoint beyond access tokens: operation limits
// (graphql-armor), CSRF prevention, masked unexpected errors, a body size
// limit, and in production no introspection, field suggestions or GraphiQL.
import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import { PothosValidationError } from '@pothos/core';
import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import { GraphQLError, NoSchemaIntrospectionCustomRule, type ValidationContext } from 'graphql';
import { maskError, type Plugin, type YogaServerOptions } from 'graphql-yoga';
import type { Config } from '../config.ts';
import { currentRequestId } from '../observability/log-context.ts';

/** GET requests and non-JSON POSTs (which a browser sends cross-site without a preflight) must carry it. */
export const CSRF_HEADER = 'x-graphql-yoga-csrf';

export function isProduction(config: Config): boolean {
  return config.NODE_ENV === 'production';
}

type SecurityOptions = Pick<YogaServerOptions<object, object>, 'cors' | 'graphiql' | 'maskedErrors' | 'maxRequestBodySize'>;

export function securityOptions(config: Config): SecurityOptions {
  return {
    // The API is for same-origin pages and non-browser clients; no cross-origin browser access.
    cors: false,
    graphiql: isProduction(config) ? false : { subscriptionsProtocol: 'WS', title: 'Broadsync GraphiQL' },
    maskedErrors: { isDev: false, maskError: maskWithRequestId },
    maxRequestBodySize: config.GRAPHQL_MAX_BODY_BYTES,
  };
}

/** Yoga's masking (expected GraphQL errors pass, anything else becomes "Unexpected error."), plus the request id to quote. */
function maskWithRequestId(error: unknown, message: string): Error {
  if (isRefusedArgument(error)) return withCode(error, 'BAD_USER_INPUT');
  const masked = maskError(error, message, false);
  const requestId = currentRequestId();
  if (masked !== error && requestId && 'extensions' in masked) {
    (masked.extensions as Record<string, unknown>).requestId = requestId;
  }
  return masked;
}

/** Pothos refusing an argument (a cursor that is not one, a bad global id) without a code of its own. */
function isRefusedArgument(error: unknown): error is GraphQLError {
  return error instanceof GraphQLError && error.originalError instanceof PothosValidationError && error.extensions.code === undefined;
}

function withCode(error: GraphQLError, code: string): GraphQLError {
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    originalError: error.originalError,
    extensions: { ...error.extensions, code },
  });
}

export function securityPlugins(config: Config): Plugin[] {
  const production = isProduction(config);
  const plugins: Plugin[] = [
    useCSRFPrevention({ requestHeaders: [CSRF_HEADER] }),
    EnvelopArmorPlugin({
      maxDepth: { n: config.GRAPHQL_MAX_DEPTH, flattenFragments: true, ...reportPlainly },
      maxAliases: { n: config.GRAPHQL_MAX_ALIASES, ...reportPlainly },
      maxTokens: { n: config.GRAPHQL_MAX_TOKENS },
      costLimit: { maxCost: config.GRAPHQL_MAX_COST, ...reportPlainly },
      maxDirectives: { n: 50, ...reportPlainly },
      blockFieldSuggestion: { enabled: production },
    }) as Plugin,
  ];
  if (production) plugins.push(useNoIntrospection());
  return plugins;
}

/**
 * Armor words every refusal as a "Syntax Error:", which a valid but too
 * large query is not; report its message as a plain validation error instead.
 * (The token limit fails in the parser, where there is no validation context.)
 */
const reportPlainly = {
  propagateOnRejection: false,
  onReject: [
    (context: ValidationContext | null, error: GraphQLError) =>
      context?.reportError(new GraphQLError(error.message.replace(/^Syntax Error: /, ''))),
  ],
};

/**
 * Refuses __schema and __type in validation. Yoga's disable-introspection
 * plugin decides per HTTP request, so it would leave WebSocket operations
 * (which have none) free to introspect.
 */
function useNoIntrospection(): Plugin {
  return {
    onValidate({ addValidationRule }) {
      addValidationRule(NoSchemaIntrospectionCustomRule);
    },
  };
}
