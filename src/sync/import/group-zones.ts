// Zones shared across a group of networks. A placement of this network's
// campaign may name a zone of another network of its group [live]. The first
// such zone is read on its own (GET /zones/{id}), which names its network; a
// further one is looked up in that network's zone list (GET
// /zones?network_id=…, read once per run), so that many zones of one sister
// network cost two reads, not one each. Only the zones named are stored, under
// their own network — created from GET /networks/{id} when it is not here yet,
// with no syncedAt, as a network not imported as a whole. Nothing is marked
// removed for missing from a sister list: a zone not found in one (or whose
// list could not be read) is read on its own, with that read's failures.
import { newMongoId } from '../../domain/ids.ts';
import type { RunContext } from '../context.ts';
import { failureOf, syncError } from '../failures.ts';
import type { SyncErrorRecord } from '../types.ts';
import type { BsZone } from '../../broadstreet/index.ts';
import { networkFields } from '../../network/network.sync.ts';
import { zoneFields } from '../../zone/zone.sync.ts';

/** Local zone row ids of zones fetched on their own, by Broadstreet id; one fetch per zone per run. */
export class GroupZones {
  private readonly fetched = new Map<number, Promise<number | SyncErrorRecord>>();
  private readonly networks = new Map<number, ReturnType<GroupZones['storeNetwork']>>();
  /** Zone lists of the sister networks met so far, by Broadstreet network id; null when the list could not be read. */
  private readonly lists = new Map<number, Promise<Map<number, BsZone> | null> | undefined>();
  /** Zones being read on their own: a zone needed meanwhile waits for the network they name. */
  private readonly reading = new Set<Promise<unknown>>();

  constructor(private readonly ctx: RunContext) {}

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
    let zone = await this.listed(zoneId);
    if (!zone) {
      const read = ctx.client.getZone(zoneId, { signal: ctx.signal });
      this.reading.add(read);
      try {
        zone = await read;
      } catch (error) {
        return failureOf(error, entity, doing);
      } finally {
        this.reading.delete(read);
      }
      if (zone.networkId === null) return syncError('VALIDATION', `${doing}: it names no network`, entity);
      // Its network's list is read only if another zone is needed that no list read so far has.
      if (!this.lists.has(zone.networkId)) this.lists.set(zone.networkId, undefined);
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

  /** Zone `zoneId` from the zone list of a sister network met so far, each list read once; undefined if in none. */
  private async listed(zoneId: number): Promise<BsZone | undefined> {
    await Promise.allSettled([...this.reading]);
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
    const remote = await this.ctx.client.getNetwork(broadstreetId, { signal: this.ctx.signal });
    return this.ctx.db.network.upsert({
      where: { broadstreetId },
      create: { mongoId: newMongoId(), broadstreetId, ...networkFields(remote), broadstreetBaseUrl: this.ctx.client.baseUrl },
      update: {},
    });
  }
}
