// Typed pub/sub topics. In-memory in the embedded mode; scale-out swaps in a
// Redis event target so every instance sees every event.
import { setMaxListeners } from 'node:events';
import { createPubSub, type PubSub } from 'graphql-yoga';
import type { ProgressEvent } from './sync/types.ts';

export type Topics = {
  /** Progress of one run: [runId, event]. */
  'sync:progress': [runId: number, event: ProgressEvent];
};

export type AppPubSub = PubSub<Topics>;

/** In-process pub/sub. One run may have thousands of followers: no listener-count warning. */
export function createMemoryPubSub(): AppPubSub {
  const eventTarget = new EventTarget();
  setMaxListeners(0, eventTarget);
  return createPubSub<Topics>({ eventTarget: eventTarget as never });
}

let current: AppPubSub = createMemoryPubSub();

export function pubsub(): AppPubSub {
  return current;
}

export function setPubSub(next: AppPubSub): void {
  current = next;
}
