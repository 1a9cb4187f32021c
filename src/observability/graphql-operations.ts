// An envelop plugin that times GraphQL operations (metric and a debug log
// line) and counts live subscriptions, over HTTP and WebSocket alike.
import { getOperationAST, type DocumentNode } from 'graphql';
import { isAsyncIterable, type Plugin } from 'graphql-yoga';
import type { Logger } from '../logger.ts';
import { subscriptionStarted, timeGraphQLOperation } from './metrics.ts';

/** Operation names are chosen by clients: past this many distinct ones, the rest share "other". */
const MAX_OPERATION_NAMES = 100;

const UNCOUNTED = Symbol('uncounted operation');

/**
 * Marks a context whose operations no metric or log line counts: the start-up warm-up's
 * (src/http/warm-up.ts). A symbol key, which Yoga's context merge (Object.assign) carries over.
 */
export function markUncounted<T extends object>(context: T): T {
  return Object.assign(context, { [UNCOUNTED]: true });
}

export function useOperationObservability(): Plugin<{ logger?: Logger }> {
  const names = new Set<string>();
  const label = (document: DocumentNode, operationName: string | null | undefined) => {
    const operation = getOperationAST(document, operationName ?? undefined);
    let name = operation?.name?.value ?? 'anonymous';
    if (!names.has(name)) {
      if (names.size >= MAX_OPERATION_NAMES) name = 'other';
      else names.add(name);
    }
    return { type: operation?.operation ?? 'unknown', name };
  };
  return {
    onExecute({ args }) {
      if (UNCOUNTED in args.contextValue) return;
      const { type, name } = label(args.document, args.operationName);
      const done = timeGraphQLOperation(type, name);
      return {
        onExecuteDone: () => {
          const durationMs = Math.round(done() * 1000);
          args.contextValue.logger?.debug({ operationType: type, operationName: name, durationMs }, 'GraphQL operation');
        },
      };
    },
    onSubscribe() {
      let ended: (() => void) | undefined;
      return {
        onSubscribeResult({ result }) {
          if (!isAsyncIterable(result)) return;
          ended = subscriptionStarted();
          return { onEnd: ended };
        },
        // A stream that fails ends without onEnd.
        onSubscribeError: () => ended?.(),
      };
    },
  };
}
