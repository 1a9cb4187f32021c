// An import as a pipeline (issue 18): Broadstreet's lists are read as soon
// as what names them is known, not when their phase comes. The zone, advertiser
// and network-wide advertisement lists need only the network's id and are read
// with the network; a campaign list as soon as its advertiser is listed; a
// placement list as soon as its campaign is. Phases still run (and report) one
// after another, in the same order, and take the answers that came meanwhile,
// so the rate limit is not left idle between phases while answers travel.
// Reading ahead only reads: what a phase does with a list is unchanged, and a
// list read ahead is taken once (a second pass at it reads it again).
import { setMaxListeners } from 'node:events';
import pLimit, { type LimitFunction } from 'p-limit';
import type { CallOptions, RejectedItem } from '../../broadstreet/index.ts';
import { inFlight, SIGNAL_LISTENERS, type RunContext } from '../context.ts';

interface Answer<T> {
  items: T[];
  /** Items of an unexpected shape, told to the phase when it takes the list. */
  rejected: RejectedItem[];
}

export class ReadAhead {
  private readonly pending = new Map<string, Promise<Answer<unknown>>>();
  private readonly limit: LimitFunction;
  private readonly stop = new AbortController();
  private readonly signal: AbortSignal;

  constructor(private readonly ctx: RunContext) {
    this.limit = pLimit(inFlight(ctx));
    this.signal = AbortSignal.any([ctx.signal, this.stop.signal]);
    setMaxListeners(SIGNAL_LISTENERS, this.signal);
  }

  /** Starts reading the list under `key`, unless it is under way already or the run is over. */
  start<T>(key: string, read: (opts: CallOptions) => Promise<T[]>): void {
    if (this.signal.aborted || this.pending.has(key)) return;
    const answer = this.limit(async (): Promise<Answer<T>> => {
      this.limit.concurrency = inFlight(this.ctx);
      const rejected: RejectedItem[] = [];
      if (this.signal.aborted) throw this.signal.reason;
      const items = await read({ signal: this.signal, onRejected: (item) => rejected.push(item) });
      return { items, rejected };
    });
    // Its phase takes the failure (and handles it as its own); until then it is not an unhandled rejection.
    answer.catch(() => {});
    this.pending.set(key, answer as Promise<Answer<unknown>>);
  }

  /** The list under `key` if it was read ahead (taken once), else null. */
  take<T>(key: string): Promise<Answer<T>> | null {
    const answer = this.pending.get(key);
    if (!answer) return null;
    this.pending.delete(key);
    return answer as Promise<Answer<T>>;
  }

  /** The run is over: lists not taken are dropped and reads not yet sent are not sent. */
  close(): void {
    this.pending.clear();
    this.limit.clearQueue();
    this.stop.abort(new Error('the run is over'));
  }
}

const readAheads = new WeakMap<RunContext, ReadAhead>();

/** Reads ahead for this run's import until `finish` is called. */
export function openReadAhead(ctx: RunContext): ReadAhead {
  const ahead = new ReadAhead(ctx);
  readAheads.set(ctx, ahead);
  return ahead;
}

/** Starts reading a list ahead of its phase (nothing when the run does not read ahead). */
export function readAhead<T>(ctx: RunContext, key: string, read: (opts: CallOptions) => Promise<T[]>): void {
  readAheads.get(ctx)?.start(key, read);
}

/**
 * The list under `key`: the answer read ahead, with its rejected items told
 * now through opts.onRejected, or (none read ahead) read now.
 */
export async function listOf<T>(ctx: RunContext, key: string, read: (opts: CallOptions) => Promise<T[]>, opts: CallOptions): Promise<T[]> {
  const ahead = readAheads.get(ctx)?.take<T>(key);
  if (!ahead) return read(opts);
  const { items, rejected } = await ahead;
  for (const item of rejected) opts.onRejected?.(item);
  return items;
}
