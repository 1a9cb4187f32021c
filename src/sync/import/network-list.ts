// The account's networks (GET /networks), read once per run. An import takes
// the network's own fields from this list, and its group from the same list
// (for zones a sister network shares): one request for both, started with the
// network's other lists. GET /networks/{id} is read only when the list lacks
// the network or was refused, so that a run still fails for the precise
// reason (403: the token may not touch it; 404: it does not exist).
import { BroadstreetError, type BsNetwork } from '../../broadstreet/index.ts';
import type { RunContext } from '../context.ts';

const lists = new WeakMap<RunContext, Promise<BsNetwork[]>>();

/** The account's networks, read once per run (the first call sends the request). */
export function networkList(ctx: RunContext): Promise<BsNetwork[]> {
  let list = lists.get(ctx);
  if (!list) {
    list = ctx.client.listNetworks({ signal: ctx.signal });
    // Whoever awaits it handles its failure; until then it is not an unhandled rejection.
    list.catch(() => {});
    lists.set(ctx, list);
  }
  return list;
}

/** A refusal of the list that a read of the one network may not meet (not an outage, a bad token or a stop). */
const READ_ON_ITS_OWN = new Set(['FORBIDDEN', 'NOT_FOUND', 'VALIDATION']);

/** Network `id` as Broadstreet has it: from the network list, else read on its own (with that read's failure). */
export async function remoteNetwork(ctx: RunContext, id: number): Promise<BsNetwork> {
  let listed: BsNetwork | undefined;
  try {
    listed = (await networkList(ctx)).find((n) => n.id === id);
  } catch (error) {
    if (!(error instanceof BroadstreetError && READ_ON_ITS_OWN.has(error.code))) throw error;
  }
  return listed ?? ctx.client.getNetwork(id, { signal: ctx.signal });
}
