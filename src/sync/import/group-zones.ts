// Zones shared across a group of networks. A placement of this network's
// campaign may name a zone of another network of its group [live]. Such a zone
// is read on its own (GET /zones/{id}) and stored under its own network, which
// is created from GET /networks/{id} when it is not here yet — with no
// syncedAt, as a network not imported as a whole.
import { newMongoId } from '../../domain/ids.ts';
import type { RunContext } from '../context.ts';
import { failureOf, syncError } from '../failures.ts';
import type { SyncErrorRecord } from '../types.ts';
import { networkFields } from '../../network/network.sync.ts';
import { zoneFields } from '../../zone/zone.sync.ts';

/** Local zone row ids of zones fetched on their own, by Broadstreet id; one fetch per zone per run. */
export class GroupZones {
  private readonly fetched = new Map<number, Promise<number | SyncErrorRecord>>();
  private readonly networks = new Map<number, ReturnType<GroupZones['storeNetwork']>>();

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
    let zone;
    try {
      zone = await ctx.client.getZone(zoneId, { signal: ctx.signal });
    } catch (error) {
      return failureOf(error, entity, doing);
    }
    if (zone.networkId === null) return syncError('VALIDATION', `${doing}: it names no network`, entity);
    const known = await ctx.db.zone.findFirst({
      where: { broadstreetId: zone.id, network: { broadstreetId: zone.networkId } },
      select: { id: true },
    });
    if (known) return known.id;
    // A preview writes nothing: the placement only needs to count as one it would create.
    if (ctx.run.dryRun) return -zone.id;
    let network;
    try {
      network = await this.networkRow(zone.networkId);
    } catch (error) {
      return failureOf(
        error,
        { entityType: 'NETWORK', broadstreetId: zone.networkId },
        `fetching network ${zone.networkId} of zone ${zoneId}`,
      );
    }
    const row = await ctx.db.zone.create({
      data: { mongoId: newMongoId(), broadstreetId: zone.id, networkId: network.id, ...zoneFields(zone), syncedAt: new Date() },
      select: { id: true },
    });
    ctx.progress.warn(`zone ${zone.id} belongs to network ${zone.networkId} of this network's group: stored under that network`);
    return row.id;
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
