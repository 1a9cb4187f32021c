// The cap on GraphQL operations executing at once (issue 18, "Sync keeps its
// pace under read load"): slow operations past the cap wait, one past the
// queue is refused with 503 and Retry-After, subscriptions are never held, and
// the variables that set it are parsed like every other.
import { getOperationAST } from 'graphql';
import { createSchema, createYoga, type Plugin } from 'graphql-yoga';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { BUSY_RETRY_AFTER_S, createSlots, SATURATED_PAUSE_MS, SERVER_BUSY, useOperationCap } from '../../src/http/operation-cap.ts';

/** A schema whose `slow` field resolves only when the test opens the gate. */
function slowServer(cap: { concurrency: number; queue: number; share?: boolean }, before: Plugin[] = []) {
  let open!: () => void;
  const gate = new Promise<void>((resolve) => {
    open = resolve;
  });
  const state = { started: 0, open };
  const yoga = createYoga({
    schema: createSchema({
      typeDefs: 'type Query { slow: Int, fast: Int, echo(n: Int): Int } type Mutation { act: Int } type Subscription { ticks: Int }',
      resolvers: {
        Query: {
          slow: async () => {
            state.started++;
            await gate;
            return 1;
          },
          fast: () => 2,
          echo: (_: unknown, { n }: { n: number }) => n,
        },
        Mutation: { act: () => 3 },
        Subscription: {
          ticks: {
            subscribe: async function* () {
              yield { ticks: 1 };
              await gate;
            },
          },
        },
      },
    }),
    plugins: [...before, useOperationCap(cap)],
    logging: false,
  });
  const post = (query: string) =>
    yoga.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query }),
    });
  return { yoga, state, post };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));
async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await turn();
}

let opened: (() => void) | undefined;
afterEach(() => opened?.());

describe('the operation cap', () => {
  it('runs N slow operations at once; the N+1st waits for a slot; one past the queue gets 503 with Retry-After', async () => {
    const { state, post } = slowServer({ concurrency: 2, queue: 1 });
    opened = state.open;
    const running = [post('{ slow }'), post('{ slow }')];
    await until(() => state.started === 2);
    const waiting = post('{ slow }');
    await until(() => false); // a few turns: the queued one must not start
    expect(state.started).toBe(2);

    // A mutation is never held or refused.
    expect(await (await post('mutation { act }')).json()).toEqual({ data: { act: 3 } });

    // Another query past the queue is refused (the same query as the waiting one would share its answer).
    const refused = await post('{ slow fast }');
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe(String(BUSY_RETRY_AFTER_S));
    const body = (await refused.json()) as { errors: { extensions: { code: string } }[] };
    expect(body.errors[0]!.extensions.code).toBe(SERVER_BUSY);
    expect(state.started).toBe(2);

    state.open();
    for (const response of [...running, waiting]) {
      const answered = await response;
      expect(answered.status).toBe(200);
      expect(await answered.json()).toEqual({ data: { slow: 1 } });
    }
    expect(state.started).toBe(3);
  });

  it('frees the slot when an operation ends, so the next one runs (in the same turn: it waits for the next, not refused)', async () => {
    const { state, post } = slowServer({ concurrency: 1, queue: 0 });
    state.open();
    for (let i = 0; i < 3; i++) expect(await (await post('{ fast }')).json()).toEqual({ data: { fast: 2 } });
  });

  it('frees the slot when execution itself fails (a client gone mid-query), so the cap never shrinks', async () => {
    // The execution the cap runs rejects rather than answering with errors.
    const failing: Plugin = {
      onExecute({ executeFn, setExecuteFn }) {
        setExecuteFn((args) =>
          getOperationAST(args.document)?.name?.value === 'Boom' ? Promise.reject(new Error('boom')) : executeFn(args),
        );
      },
    };
    const { state, post } = slowServer({ concurrency: 1, queue: 0 }, [failing]);
    state.open();
    for (let i = 0; i < 3; i++) {
      const boom = await post('query Boom { fast }');
      expect(boom.status).not.toBe(503);
      expect(((await boom.json()) as { errors?: unknown[] }).errors).toHaveLength(1);
      await turn();
      const next = await post('{ fast }');
      expect(next.status).toBe(200);
      expect(await next.json()).toEqual({ data: { fast: 2 } });
    }
  });

  it('holds no slot for a subscription: a query runs beside a live stream with a cap of 1 and no queue', async () => {
    const { state, yoga, post } = slowServer({ concurrency: 1, queue: 0 });
    opened = state.open;
    const stream = await yoga.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ query: 'subscription { ticks }' }),
    });
    const reader = stream.body!.getReader();
    let received = '';
    while (!received.includes('"ticks"')) received += new TextDecoder().decode((await reader.read()).value);
    expect(received).toContain('"ticks":1');
    const query = await post('{ fast }');
    expect(query.status).toBe(200);
    expect(await query.json()).toEqual({ data: { fast: 2 } });
    await reader.cancel();
  });

  it('answers identical queries waiting for a slot from one execution; one already running, other variables or another scope run their own', async () => {
    // The access scope comes from the token (src/http/auth.ts); here from a header.
    const scoped: Plugin = {
      onExecute({ args, extendContext }) {
        const request = (args.contextValue as { request: Request }).request;
        extendContext({ scope: request.headers.get('x-scope') ?? 'write' } as object);
      },
    };
    const { state, yoga, post } = slowServer({ concurrency: 1, queue: 10 }, [scoped]);
    opened = state.open;
    const send = (query: string, variables?: object, scope?: string) =>
      yoga.fetch('http://localhost/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(scope ? { 'x-scope': scope } : {}) },
        body: JSON.stringify({ query, variables }),
      });
    const running = post('{ slow }');
    await until(() => state.started === 1);
    // Waiting behind it: five of one query, one with other variables, one in another scope.
    const same = Array.from({ length: 5 }, () => send('query Q($n: Int) { slow n: echo(n: $n) }', { n: 1 }));
    const otherVariables = send('query Q($n: Int) { slow n: echo(n: $n) }', { n: 2 });
    const otherScope = send('query Q($n: Int) { slow n: echo(n: $n) }', { n: 1 }, 'read');
    await until(() => false);
    expect(state.started).toBe(1);
    state.open();
    expect(await (await running).json()).toEqual({ data: { slow: 1 } });
    for (const [response, n] of [...same.map((r) => [r, 1] as const), [otherVariables, 2] as const, [otherScope, 1] as const]) {
      const answered = await response;
      expect(answered.status).toBe(200);
      expect(await answered.json()).toEqual({ data: { slow: 1, n } });
    }
    // The first running + one for the five + one each for the other variables and the other scope.
    expect(state.started).toBe(4);
    // Nothing is waiting now: the same query again is executed afresh, not answered from the earlier one.
    expect(await (await send('query Q($n: Int) { slow n: echo(n: $n) }', { n: 1 })).json()).toEqual({ data: { slow: 1, n: 1 } });
    expect(state.started).toBe(5);
  });

  it('with sharing off (GRAPHQL_SHARE_QUEUED_QUERIES=false), runs each identical waiting query on its own', async () => {
    const { state, post } = slowServer({ concurrency: 1, queue: 10, share: false });
    opened = state.open;
    const running = post('{ slow }');
    await until(() => state.started === 1);
    const same = Array.from({ length: 3 }, () => post('{ slow }'));
    await until(() => false);
    state.open();
    for (const response of [running, ...same]) expect(await (await response).json()).toEqual({ data: { slow: 1 } });
    expect(state.started).toBe(4);
  });

  it.each(['rejected', 'threw'])('runs a waiting query on its own when the one it waited on failed (its execution %s)', async (how) => {
    const failing: Plugin = {
      onExecute({ args, executeFn, setExecuteFn }) {
        const request = (args.contextValue as { request: Request }).request;
        if (!request.headers.get('x-fail')) setExecuteFn(executeFn);
        else if (how === 'rejected') setExecuteFn(() => Promise.reject(new Error('gone')));
        else
          setExecuteFn(() => {
            throw new Error('gone');
          });
      },
    };
    const { state, yoga, post } = slowServer({ concurrency: 1, queue: 10 }, [failing]);
    opened = state.open;
    const send = (fail: boolean) =>
      yoga.fetch('http://localhost/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(fail ? { 'x-fail': '1' } : {}) },
        body: JSON.stringify({ query: '{ fast }' }),
      });
    const running = post('{ slow }');
    await until(() => state.started === 1);
    const leader = send(true);
    const follower = send(false);
    await until(() => false);
    state.open();
    await running;
    expect(((await (await leader).json()) as { errors?: unknown[] }).errors).toHaveLength(1);
    expect(await (await follower).json()).toEqual({ data: { fast: 2 } });
  });

  it('while the event loop is saturated, waits a few milliseconds before starting the next queued operation', async () => {
    let saturated = true;
    const slots = createSlots({ concurrency: 4, queue: 10 }, () => saturated);
    const first = slots.acquire() as () => void;
    const queuedAt = performance.now();
    const queued = slots.acquire() as Promise<() => void>;
    await queued;
    // Timers may fire up to a millisecond early; still saturated, it starts after one pause, not never.
    expect(performance.now() - queuedAt).toBeGreaterThanOrEqual(SATURATED_PAUSE_MS - 1);
    saturated = false;
    await turn(); // the queued one started in the last turn
    const now = slots.acquire() as () => void;
    expect(typeof now).toBe('function');
    // Started this turn, so the next is queued; with the loop not saturated it starts on the next turn.
    const next = slots.acquire() as Promise<() => void>;
    expect(next).toBeInstanceOf(Promise);
    let nextGranted = false;
    void next.then(() => {
      nextGranted = true;
    });
    for (let i = 0; i < 5 && !nextGranted; i++) await turn();
    expect(nextGranted).toBe(true);
    first();
    now();
    (await queued)();
    (await next)();
    expect(slots.running).toBe(0);
  });

  it('starts at most one operation per turn of the event loop, the next after the loop has polled again', async () => {
    const slots = createSlots({ concurrency: 4, queue: 10 }, () => false);
    const first = slots.acquire();
    expect(typeof first).toBe('function');
    const second = slots.acquire();
    expect(second).toBeInstanceOf(Promise);
    expect(slots.running).toBe(1);
    const release = await second;
    expect(typeof release).toBe('function');
    expect(slots.running).toBe(2);
    (first as () => void)();
    (release as () => void)();
    expect(slots.running).toBe(0);
  });
});

describe('its configuration', () => {
  it('defaults to 2 at once, 256 waiting and sharing on, and refuses a cap below 1', () => {
    const config = loadConfig({});
    expect(config.GRAPHQL_MAX_CONCURRENT_OPERATIONS).toBe(2);
    expect(config.GRAPHQL_MAX_QUEUED_OPERATIONS).toBe(256);
    expect(config.GRAPHQL_SHARE_QUEUED_QUERIES).toBe(true);
    expect(loadConfig({ GRAPHQL_SHARE_QUEUED_QUERIES: 'false' }).GRAPHQL_SHARE_QUEUED_QUERIES).toBe(false);
    expect(() => loadConfig({ GRAPHQL_SHARE_QUEUED_QUERIES: 'maybe' })).toThrow(/GRAPHQL_SHARE_QUEUED_QUERIES/);
    expect(loadConfig({ GRAPHQL_MAX_CONCURRENT_OPERATIONS: '8', GRAPHQL_MAX_QUEUED_OPERATIONS: '0' })).toMatchObject({
      GRAPHQL_MAX_CONCURRENT_OPERATIONS: 8,
      GRAPHQL_MAX_QUEUED_OPERATIONS: 0,
    });
    expect(() => loadConfig({ GRAPHQL_MAX_CONCURRENT_OPERATIONS: '0' })).toThrow(ConfigError);
    expect(() => loadConfig({ GRAPHQL_MAX_QUEUED_OPERATIONS: '-1' })).toThrow(/GRAPHQL_MAX_QUEUED_OPERATIONS/);
  });
});
