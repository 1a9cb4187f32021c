// Flexible references: a client names an entity by exactly one of its two ids
// (an EntityRef). These helpers map a reference to the local row.
import type { Db } from '../db/index.ts';
import type { Advertisement, Advertiser, Campaign, Network, Zone } from '../generated/prisma/client.ts';
import type { EntityType } from './enums.ts';
import { NotFoundError, ValidationError } from './errors.ts';

export interface EntityRef {
  broadstreetId?: number | null;
  mongoId?: string | null;
}

interface RefRows {
  network: Network;
  advertiser: Advertiser;
  zone: Zone;
  campaign: Campaign;
  advertisement: Advertisement;
}
export type RefModel = keyof RefRows;

const ENTITY_TYPE: Record<RefModel, EntityType> = {
  network: 'NETWORK',
  advertiser: 'ADVERTISER',
  zone: 'ZONE',
  campaign: 'CAMPAIGN',
  advertisement: 'ADVERTISEMENT',
};

export interface RefScope {
  /** Local Network.id the entity must belong to; broadstreetIds are unique per network. */
  networkId?: number;
  /** Where the reference sits in the input, for error paths (e.g. ["input", "advertiser"]). */
  path?: string[];
}

/** The row a reference names, or null when there is none. */
export async function lookupByRef<M extends RefModel>(db: Db, model: M, ref: EntityRef, scope: RefScope = {}): Promise<RefRows[M] | null> {
  if ((ref.mongoId == null) === (ref.broadstreetId == null)) {
    throw ValidationError.of([{ path: scope.path ?? [], message: 'name the entity by exactly one of broadstreetId and mongoId' }]);
  }
  const delegate = db[model] as unknown as { findMany(args: object): Promise<RefRows[M][]> };
  const where = {
    ...(ref.mongoId != null ? { mongoId: ref.mongoId } : { broadstreetId: ref.broadstreetId }),
    ...(scope.networkId !== undefined && model !== 'network' ? { networkId: scope.networkId } : {}),
  };
  const rows = await delegate.findMany({ where, take: 2, orderBy: { id: 'asc' } });
  if (rows.length > 1) {
    throw ValidationError.of([
      {
        path: [...(scope.path ?? []), 'broadstreetId'],
        message: `names ${model}s in more than one network; name it by mongoId instead`,
      },
    ]);
  }
  return rows[0] ?? null;
}

/** The row a reference names; NotFoundError when there is none. */
export async function findByRef<M extends RefModel>(db: Db, model: M, ref: EntityRef, scope: RefScope = {}): Promise<RefRows[M]> {
  const row = await lookupByRef(db, model, ref, scope);
  if (!row)
    throw new NotFoundError(
      `no ${model} with ${describeRef(ref)}${scope.networkId !== undefined && model !== 'network' ? ' in this network' : ''}`,
      ENTITY_TYPE[model],
    );
  return row;
}

/** The network a Broadstreet network id names (networks are import-only, so all have one). */
export async function findNetwork(db: Db, broadstreetId: number): Promise<Network> {
  const network = await db.network.findUnique({ where: { broadstreetId } });
  if (!network) throw networkNotFound(broadstreetId);
  return network;
}

export function networkNotFound(broadstreetId: number): NotFoundError {
  return new NotFoundError(`network ${broadstreetId} is not in the local database; import it from Broadstreet first`, 'NETWORK');
}

export function describeRef(ref: EntityRef): string {
  return ref.mongoId != null ? `mongoId ${ref.mongoId}` : `broadstreetId ${ref.broadstreetId}`;
}
