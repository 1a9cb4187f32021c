// Every SQL statement the Prisma client sends, to whoever listens: the tests
// that prove a query does not grow with its data (no N+1), and debugging.
export interface QueryEvent {
  query: string;
  params: string;
  duration: number;
}

type Listener = (event: QueryEvent) => void;

const listeners = new Set<Listener>();

/** Calls the listener for every statement until the returned function is called. */
export function observeQueries(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function emitQuery(event: QueryEvent): void {
  for (const listener of listeners) listener(event);
}
