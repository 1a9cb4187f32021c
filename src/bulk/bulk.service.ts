// Writes of many entities in one call, all or none: every item is checked
// first, each refusal named with its typed error; only when none is refused
// are they written, in one transaction.
import type { Db } from '../db/index.ts';
import type { EntityType } from '../domain/enums.ts';
import {
  BatchRefusedError,
  ConflictError,
  DependencyError,
  ExpectedError,
  NotFoundError,
  ValidationError,
  type RefusedItem,
} from '../domain/errors.ts';
import { newMongoId } from '../domain/ids.ts';
import { findByRef, type EntityRef } from '../domain/refs.ts';
import { assertValid } from '../domain/rules.ts';
import { assertLocalOnly, assertNoExportRunning, guardedWrite } from '../domain/writes.ts';
import type { Placement } from '../generated/prisma/client.ts';
import { checkPlacement, checkPlacementParents } from '../placement/placement.rules.ts';

/** Most items one call takes (like a page). */
export const MAX_BATCH = 500;

export interface NewPlacements {
  campaign: EntityRef;
  advertisementId: number;
  zones: EntityRef[];
  restrictions?: string[] | null;
}

function assertBatchSize(field: string, length: number): void {
  if (length === 0) throw ValidationError.of([{ path: ['input', field], message: 'must name at least one' }]);
  if (length > MAX_BATCH) throw ValidationError.of([{ path: ['input', field], message: `must name at most ${MAX_BATCH}` }]);
}

/** Runs `check` for each item; a refusal it throws is recorded against that item. */
async function checkEach<T, R>(
  items: T[],
  describe: (item: T) => Omit<RefusedItem, 'index' | 'error'>,
  check: (item: T, index: number) => Promise<R>,
) {
  const refused: RefusedItem[] = [];
  const checked: R[] = [];
  for (const [index, item] of items.entries()) {
    try {
      checked.push(await check(item, index));
    } catch (error) {
      if (!(error instanceof ExpectedError)) throw error;
      refused.push({ index, ...describe(item), error });
    }
  }
  return { refused, checked };
}

function refusal(what: string, refused: RefusedItem[], total: number): BatchRefusedError {
  return new BatchRefusedError(
    `${refused.length} of ${total} ${what} refused (at ${refused.map((r) => r.index).join(', ')}); nothing was written`,
    refused,
  );
}

const describeRef = (ref: EntityRef) => ({ broadstreetId: ref.broadstreetId ?? null, mongoId: ref.mongoId ?? null });

/** One campaign's advertisement in many zones. */
export async function createPlacements(db: Db, input: NewPlacements): Promise<Placement[]> {
  assertBatchSize('zones', input.zones.length);
  const fields = { restrictions: input.restrictions ?? [] };
  assertValid(checkPlacement(fields));
  const campaign = await findByRef(db, 'campaign', input.campaign, { path: ['input', 'campaign'] });
  const advertisement = await findByRef(
    db,
    'advertisement',
    { broadstreetId: input.advertisementId },
    { networkId: campaign.networkId, path: ['input', 'advertisementId'] },
  );
  // Problems of the campaign or the advertisement concern the whole batch, not one zone.
  const common = checkPlacementParents({ campaign, advertisement, zone: campaign }).filter((p) => p.path[0] !== 'zone');
  assertValid(common.map((p) => ({ ...p, path: ['input', ...p.path] })));

  const seen = new Map<number, number>();
  const { refused, checked: zones } = await checkEach(input.zones, describeRef, async (ref, index) => {
    const path = ['input', 'zones', String(index)];
    const zone = await findByRef(db, 'zone', ref, { ...(ref.broadstreetId != null ? { networkId: campaign.networkId } : {}), path });
    const problems = checkPlacementParents({ campaign, advertisement, zone }).filter((p) => p.path[0] === 'zone');
    assertValid(problems.map((p) => ({ ...p, path: [...path, ...p.path.slice(1)] })));
    const twice = seen.get(zone.id);
    if (twice !== undefined) throw new ConflictError(`zone ${zone.mongoId} is named twice (also at ${twice})`);
    seen.set(zone.id, index);
    const existing = await db.placement.findUnique({
      where: { campaignId_advertisementId_zoneId: { campaignId: campaign.id, advertisementId: advertisement.id, zoneId: zone.id } },
    });
    if (existing)
      throw new ConflictError(`this campaign already places this advertisement in zone ${zone.mongoId} (placement ${existing.mongoId})`);
    return zone;
  });
  if (refused.length > 0) throw refusal('zones were', refused, input.zones.length);

  return guardedWrite('the placements were not created', () =>
    db.$transaction(
      zones.map((zone) =>
        db.placement.create({
          data: {
            ...fields,
            campaignId: campaign.id,
            advertisementId: advertisement.id,
            zoneId: zone.id,
            mongoId: newMongoId(),
            networkId: campaign.networkId,
            createdLocally: true,
          },
        }),
      ),
    ),
  );
}

export type DeletableType = Extract<EntityType, 'ADVERTISER' | 'ZONE' | 'CAMPAIGN' | 'PLACEMENT'>;

interface Deletable {
  model: 'advertiser' | 'zone' | 'campaign' | 'placement';
  /** How many children keep a row from being deleted (deleting never cascades). */
  children(db: Db, id: number): Promise<number>;
  childName: string;
}

const DELETABLE: Record<DeletableType, Deletable> = {
  ADVERTISER: { model: 'advertiser', children: (db, id) => db.campaign.count({ where: { advertiserId: id } }), childName: 'campaign' },
  ZONE: { model: 'zone', children: (db, id) => db.placement.count({ where: { zoneId: id } }), childName: 'placement' },
  CAMPAIGN: { model: 'campaign', children: (db, id) => db.placement.count({ where: { campaignId: id } }), childName: 'placement' },
  PLACEMENT: { model: 'placement', children: async () => 0, childName: '' },
};

export interface DeletedEntity {
  id: number;
  mongoId: string;
  entityType: DeletableType;
}

interface Row {
  id: number;
  mongoId: string;
  networkId: number;
  broadstreetId?: number | null;
  syncedAt: Date | null;
}

/** Deletes local-only entities of one type by mongoId, all or none. */
export async function deleteLocalEntities(db: Db, input: { entityType: DeletableType; mongoIds: string[] }): Promise<DeletedEntity[]> {
  assertBatchSize('mongoIds', input.mongoIds.length);
  const spec = DELETABLE[input.entityType];
  const delegate = db[spec.model] as unknown as {
    findUnique(args: object): Promise<Row | null>;
    deleteMany(args: object): { count: number } & Promise<{ count: number }>;
  };
  const seen = new Set<string>();
  const { refused, checked: rows } = await checkEach(
    input.mongoIds,
    (mongoId) => ({ broadstreetId: null, mongoId }),
    async (mongoId) => {
      if (seen.has(mongoId)) throw new ConflictError(`${mongoId} is named twice`);
      seen.add(mongoId);
      const row = await delegate.findUnique({ where: { mongoId } });
      if (!row) throw new NotFoundError(`no ${spec.model} with mongoId ${mongoId}`, input.entityType);
      assertLocalOnly(input.entityType, row);
      await assertNoExportRunning(db, row.networkId);
      const children = await spec.children(db, row.id);
      if (children > 0)
        throw new DependencyError(
          `${spec.model} ${mongoId} has ${children} ${spec.childName}(s); delete them first (deleting never cascades)`,
        );
      return row;
    },
  );
  if (refused.length > 0) throw refusal(`${spec.model}s were`, refused, input.mongoIds.length);

  const ids = rows.map((row) => row.id);
  const localOnly = spec.model === 'placement' ? { syncedAt: null } : { broadstreetId: null };
  await guardedWrite(`the ${spec.model}s were not deleted`, () =>
    db.$transaction(async (tx) => {
      const { count } = await (tx[spec.model] as unknown as typeof delegate).deleteMany({ where: { id: { in: ids }, ...localOnly } });
      // One of them was exported or deleted since it was checked: undo, so that it is all or none.
      if (count !== ids.length)
        throw new ConflictError(`${ids.length - count} of them changed meanwhile (exported or deleted); nothing was deleted`);
    }),
  );
  return rows.map((row) => ({ id: row.id, mongoId: row.mongoId, entityType: input.entityType }));
}
