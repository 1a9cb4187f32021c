// Typed pub/sub topics. In-memory in the embedded mode; scale-out swaps in a
// Redis event target so every instance sees every event.
import { createPubSub, type PubSub } from 'graphql-yoga';
import type { ProgressEvent } from './sync/types.ts';

export type Topics = {
  /** Progress of one run: [runId, event]. */
  'sync:progress': [runId: number, event: ProgressEvent];
};

export type AppPubSub = PubSub<Topics>;

let current: AppPubSub = createPubSub<Topics>();

export function pubsub(): AppPubSub {
  return current;
}

export function setPubSub(next: AppPubSub): void {
  current = next;
}
