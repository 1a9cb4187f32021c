// One Broadstreet per network. A network's rows remember the Broadstreet API
// (base URL) they came from; a run against another one is refused rather
// than mixing two Broadstreets' ids (which relabels rows and creates children
// under strangers' parents). relinkNetwork forgets the origin on purpose.
import type { Db } from '../db/index.ts';
import type { Network } from '../generated/prisma/client.ts';
import { RunFatal, type RunContext } from './context.ts';

/** Refuses the run if the network came from another Broadstreet; records the origin of a network that has none yet. */
export async function checkNetworkOrigin(ctx: RunContext, network: Network): Promise<Network> {
  const configured = ctx.client.baseUrl;
  if (network.broadstreetBaseUrl === configured) return network;
  if (network.broadstreetBaseUrl !== null) {
    throw new RunFatal(
      `network ${network.broadstreetId}'s local rows came from the Broadstreet API at ` +
        `${network.broadstreetBaseUrl}, but this server is configured for ${configured}; ` +
        'a run would mix the ids of two Broadstreets. If it is the same Broadstreet account, re-link the ' +
        'network (the relinkNetwork mutation) and start the run again',
      'CONFLICT',
    );
  }
  if (ctx.run.dryRun) return network;
  return ctx.db.network.update({ where: { id: network.id }, data: { broadstreetBaseUrl: configured } });
}

/** Forgets which Broadstreet a network came from: its next run records the configured one. */
export async function relinkNetwork(db: Db, broadstreetId: number): Promise<Network | null> {
  const network = await db.network.findUnique({ where: { broadstreetId } });
  if (!network) return null;
  return db.network.update({ where: { id: network.id }, data: { broadstreetBaseUrl: null } });
}
