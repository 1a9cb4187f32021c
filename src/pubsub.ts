// Typed pub/sub topics over an EventTarget: in-memory in the embedded mode;
// scale-out passes graphql-yoga's Redis event target so every instance sees
// every event.
//
// Not graphql-yoga's createPubSub: each of its subscriptions is a Repeater
// that throws (uncaught, from inside publish) once 1,024 events wait
// unconsumed, and its one buffer option is a single instance shared by every
// subscription. A burst of progress events (a run failing thousands of
// entities in quick succession) must never crash the process: here each
// subscription has its own sliding buffer, and past it the oldest events are
// dropped — followers notice the gap in seq and read it from the database.
import { setMaxListeners } from 'node:events';
import { Repeater, SlidingBuffer } from '@repeaterjs/repeater';
import type { ProgressEvent } from './sync/types.ts';

export type Topics = {
  /** Progress of one run: [runId, event]. */
  'sync:progress': [runId: number, event: ProgressEvent];
  /** Something in a network's sync summary changed (a run started or ended, a schedule changed): [networkId, why]. */
  'sync:summary': [networkId: number, change: SummaryChange];
};

export interface SummaryChange {
  networkId: number;
  reason: string;
}

type Topic = keyof Topics;

export interface AppPubSub {
  publish<T extends Topic>(topic: T, ...args: Topics[T]): void;
  subscribe<T extends Topic>(topic: T, id: Topics[T][0]): Repeater<Topics[T][1]>;
}

/** Events a subscription holds for a slow consumer before dropping the oldest. */
export const SUBSCRIPTION_BUFFER = 4_096;

export function createEventTargetPubSub(eventTarget: EventTarget): AppPubSub {
  return {
    publish(topic, id, payload) {
      eventTarget.dispatchEvent(new CustomEvent(`${topic}:${id}`, { detail: payload }));
    },
    subscribe(topic, id) {
      const name = `${topic}:${id}`;
      return new Repeater((push, stop) => {
        const listener = (event: Event) => void push((event as CustomEvent).detail);
        eventTarget.addEventListener(name, listener);
        void stop.then(() => eventTarget.removeEventListener(name, listener));
      }, new SlidingBuffer(SUBSCRIPTION_BUFFER));
    },
  };
}

/** In-process pub/sub. A process may follow many runs: no listener-count warning. */
export function createMemoryPubSub(): AppPubSub {
  const eventTarget = new EventTarget();
  setMaxListeners(0, eventTarget);
  return createEventTargetPubSub(eventTarget);
}
