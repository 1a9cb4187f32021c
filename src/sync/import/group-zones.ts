// Zones shared across a group of networks. A placement of this network's
// campaign may name a zone of another network of its group [live]. A zone
// stored here already under a network of the group costs no read. Otherwise
// the group is taken from the account's network list (GET /networks, read
// once per run; an import of the network read it already, see
// network-list.ts): when the group has one other network, its zone list
// (GET /zones?network_id=…) is read at once, and any number of its zones cost
// that one read. With several other
// networks, the first such zone is read on its own (GET /zones/{id}), which
// names its network, and a further one is looked up in that network's zone
// list (read once per run). Only the zones named are stored, under their own
// network — created from the network list (or GET /networks/{id} when it is
// not in it) when it is not here yet, with no syncedAt, as a network not
// imported as a whole. Nothing is marked removed for missing from a sister
// list: a zone not found in one (or whose list could not be read) is read on
// its own, with that read's failures.
import { newMongoId } from '../../domain/ids.ts';
import type { RunContext } from '../context.ts';
import { failureOf, syncError } from '../failures.ts';
import type { SyncErrorRecord } from '../types.ts';
import type { BsNetwork, BsZone } from '../../broadstreet/index.ts';
import type { Network } from '../../generated/prisma/client.ts';
import { networkFields } from '../../network/network.sync.ts';
import { zoneFields } from '../../zone/zone.sync.ts';
import { networkList, remoteNetwork } from './network-list.ts';

/** Local zone row ids of zones fetched on their own, by Broadstreet id; one fetch per zone per run. */
export class GroupZones {
  private readonly fetched = new Map<number, Promise<number | SyncErrorRecord>>();
  private readonly networks = new Map<number, ReturnType<GroupZones['storeNetwork']>>();
  /** Zone lists of the sister networks met so far, by Broadstreet network id; null when the list could not be read. */
  private readonly lists = new Map<number, Promise<Map<number, BsZone> | null> | undefined>();
  /** The last zone read on its own: such reads go one at a time, so that each can look first in the list of the network the one before named. */
  private alone: Promise<unknown> = Promise.resolve();
  /** The other networks of this network's group by Broadstreet id, listed once; null without a group or a list. */
  private group: Promise<Map<number, BsNetwork> | null> | undefined;

  constructor(
    private readonly ctx: RunContext,
    /** The network being imported: its group is where shared zones come from. */
    private readonly network: Pick<Network, 'broadstreetId' | 'groupId'>,
  ) {}

  /** The local id of zone `zoneId`, fetched and stored if need be; a failure as a record to report. */
  resolve(zoneId: number): Promise<number | SyncErrorRecord> {
    let found = this.fetched.get(zoneId);
    if (!found) this.fetched.set(zoneId, (found = this.fetch(zoneId)));
    return found;
  }

  private async fetch(zoneId: number): Promise<number | SyncErrorRecord> {
    const { ctx } = this;
    const entity = { entityType: 'ZONE' as const, broadstreetId: zoneId };
    const doing = `fetching zone ${zoneId}, which a placement names`;
    const stored = await this.storedInGroup(zoneId);
    if (stored) return stored.id;
    if (this.lists.size === 0) {
      // The first shared zone: a group with one other network holds it there, and that list has the rest too.
      const others = await this.groupNetworks();
      const [only] = others?.size === 1 ? others.keys() : [];
      if (only !== undefined && !this.lists.has(only)) this.lists.set(only, undefined);
    }
    let zone = await this.listed(zoneId);
    if (!zone) {
      const turn = this.alone.then(() => this.readAlone(zoneId));
      this.alone = turn.catch(() => {});
      try {
        zone = await turn;
      } catch (error) {
        return failureOf(error, entity, doing);
      }
      if (zone.networkId === null) return syncError('VALIDATION', `${doing}: it names no network`, entity);
    }
    const networkId = zone.networkId!;
    const known = await ctx.db.zone.findFirst({
      where: { broadstreetId: zone.id, network: { broadstreetId: networkId } },
      select: { id: true },
    });
    if (known) return known.id;
    // A preview writes nothing: the placement only needs to count as one it would create.
    if (ctx.run.dryRun) return -zone.id;
    let network;
    try {
      network = await this.networkRow(networkId);
    } catch (error) {
      return failureOf(error, { entityType: 'NETWORK', broadstreetId: networkId }, `fetching network ${networkId} of zone ${zoneId}`);
    }
    const row = await ctx.db.zone.create({
      data: { mongoId: newMongoId(), broadstreetId: zone.id, networkId: network.id, ...zoneFields(zone), syncedAt: new Date() },
      select: { id: true },
    });
    ctx.progress.warn(`zone ${zone.id} belongs to network ${networkId} of this network's group: stored under that network`);
    return row.id;
  }

  /** Zone `zoneId` as stored here under another network of this network's group (a zone id names one zone in Broadstreet). */
  private async storedInGroup(zoneId: number): Promise<{ id: number } | null> {
    const { broadstreetId, groupId } = this.network;
    if (groupId === null) return null;
    return this.ctx.db.zone.findFirst({
      where: { broadstreetId: zoneId, network: { groupId, broadstreetId: { not: broadstreetId } } },
      select: { id: true },
    });
  }

  /** The other networks of this network's group (GET /networks, once per run, see network-list.ts); null when it has none or the list failed. */
  private groupNetworks(): Promise<Map<number, BsNetwork> | null> {
    const { broadstreetId, groupId } = this.network;
    if (groupId === null) return Promise.resolve(null);
    // A list that cannot be read leaves the zones to their own reads and networks to GET /networks/{id}.
    this.group ??= networkList(this.ctx).then(
      (networks) => new Map(networks.filter((n) => n.groupId === groupId && n.id !== broadstreetId).map((n) => [n.id, n])),
      () => null,
    );
    return this.group;
  }

  /** Zone `zoneId` on its own (GET /zones/{id}), unless a zone read alone before it named a network whose list has it. */
  private async readAlone(zoneId: number): Promise<BsZone> {
    const listed = await this.listed(zoneId);
    if (listed) return listed;
    const zone = await this.ctx.client.getZone(zoneId, { signal: this.ctx.signal });
    // Its network's list is read only if another zone is needed that no list read so far has.
    if (zone.networkId !== null && !this.lists.has(zone.networkId)) this.lists.set(zone.networkId, undefined);
    return zone;
  }

  /** Zone `zoneId` from the zone list of a sister network met so far, each list read once; undefined if in none. */
  private async listed(zoneId: number): Promise<BsZone | undefined> {
    for (const [networkId, read] of this.lists) {
      let list = read;
      if (!list) {
        // A list that cannot be read leaves each zone to its own read, which reports its own failure.
        list = this.ctx.client.listZones(networkId, { signal: this.ctx.signal }).then(
          (zones) => new Map(zones.filter((z) => z.networkId === networkId).map((z) => [z.id, z])),
          () => null,
        );
        this.lists.set(networkId, list);
      }
      const zone = (await list)?.get(zoneId);
      if (zone) return zone;
    }
    return undefined;
  }

  /** One read and one write per network per run: zones of one network are fetched concurrently. */
  private networkRow(broadstreetId: number) {
    let row = this.networks.get(broadstreetId);
    if (!row) {
      row = this.storeNetwork(broadstreetId);
      this.networks.set(broadstreetId, row);
      // A failure is reported by each zone that needed it, and a later zone may try again.
      row.catch(() => this.networks.delete(broadstreetId));
    }
    return row;
  }

  private async storeNetwork(broadstreetId: number) {
    const existing = await this.ctx.db.network.findUnique({ where: { broadstreetId } });
    if (existing) return existing;
    // From the run's network list (read once), else GET /networks/{id} with that read's own failure.
    const remote = await remoteNetwork(this.ctx, broadstreetId);
    return this.ctx.db.network.upsert({
      where: { broadstreetId },
      create: { mongoId: newMongoId(), broadstreetId, ...networkFields(remote), broadstreetBaseUrl: this.ctx.client.baseUrl },
      update: {},
    });
  }
}
