// resolveConflict (DESIGN.md §2b): settles a row's conflict field by field.
// Keeping LOCAL leaves the local value and takes Broadstreet's as the base, so
// the row reads CHANGED and the next export pushes it; keeping REMOTE takes
// Broadstreet's value as both. A conflict over a remote deletion: LOCAL makes
// the row local-only again (the next export re-creates it, an advertiser with
// the campaigns removed along with it), REMOTE accepts the removal. Deleted on
// both sides, either side accepts it: the entity becomes REMOVED.
import { Prisma, type Db } from '../db/index.ts';
import type { ConflictSide, ExportableType } from '../domain/enums.ts';
import { ConflictError, NotFoundError, ValidationError } from '../domain/errors.ts';
import { findByRef, type EntityRef } from '../domain/refs.ts';
import { assertNoExportRunning } from '../domain/writes.ts';
import type { FieldValues } from './merge.ts';
import { specOf } from './specs.ts';
import { baseOf, conflictOf, stateColumns, type TwoWayRow } from './status.ts';

export interface ResolveConflictInput {
  entityType: ExportableType;
  entity: EntityRef;
  keep: ConflictSide;
  fields?: { field: string; keep: ConflictSide }[] | null;
}

type Row = TwoWayRow & { id: number; mongoId: string; networkId: number; updatedAt: Date };

interface Model {
  update(args: { where: { id: number; updatedAt: Date }; data: object }): Promise<{ id: number }>;
}

export async function resolveConflict(db: Db, input: ResolveConflictInput): Promise<{ id: number; type: ExportableType }> {
  const spec = specOf(input.entityType);
  const twoWay = spec.twoWay;
  if (!twoWay)
    throw ValidationError.of([
      { path: ['input', 'entityType'], message: 'only advertisers, zones, campaigns and placements sync both ways' },
    ]);
  const row = await findRow(db, input);
  const conflict = conflictOf(row);
  if (!conflict) throw new ConflictError(`${input.entityType.toLowerCase()} ${row.mongoId} is not in conflict`);
  await assertNoExportRunning(db, row.networkId);
  const known = new Set(conflict.fields.map((f) => f.field));
  const unknown = (input.fields ?? []).map((f, i) => ({ f, i })).filter(({ f }) => !known.has(f.field));
  if (unknown.length > 0) {
    throw ValidationError.of(
      unknown.map(({ f, i }) => ({
        path: ['input', 'fields', String(i), 'field'],
        message: `"${f.field}" is not a field in conflict (${[...known].join(', ')})`,
      })),
    );
  }
  const sideOf = (field: string) => input.fields?.find((f) => f.field === field)?.keep ?? input.keep;
  const cleared = { conflict: null, conflictAt: null };
  let data: Record<string, unknown>;
  if (conflict.remoteDeleted) {
    // One side for the whole entity: it exists in Broadstreet or it does not. Deleted on both sides, both agree it does not.
    data =
      input.keep === 'REMOTE' || conflict.localDeleted
        ? { ...cleared, removedAt: new Date(), changedAt: null }
        : { ...cleared, ...localAgain(input.entityType), base: null, changedAt: null, deletedAt: null };
  } else {
    const values: FieldValues = {};
    const base: FieldValues = { ...(baseOf(row) ?? twoWay.localValues(row)) };
    let undelete = false;
    for (const f of conflict.fields) {
      base[f.field] = f.remote;
      if (sideOf(f.field) === 'REMOTE') {
        values[f.field] = f.remote;
        undelete = true;
      }
    }
    const next = { ...row, ...twoWay.columns(values), base, conflict: null } as TwoWayRow;
    data = {
      ...twoWay.columns(values),
      base,
      ...cleared,
      ...(undelete && row.deletedAt ? { deletedAt: null } : {}),
      changedAt: stateColumns(input.entityType, next).changedAt,
    };
  }
  try {
    await db.$transaction(async (tx) => {
      await (tx[spec.model] as unknown as Model).update({ where: { id: row.id, updatedAt: row.updatedAt }, data });
      const recreating = conflict.remoteDeleted && !conflict.localDeleted && input.keep === 'LOCAL';
      // An advertiser re-created in Broadstreet gets its campaigns back: Broadstreet deleted them along with it
      // (those removed here since the conflict was found, or still listed here; not those deleted or in
      // conflict here). They are created again under it. Its advertisements went too, and Broadstreet's API
      // cannot create advertisements: the campaigns' placements (of those advertisements) become removed.
      if (recreating && input.entityType === 'ADVERTISER') {
        const back = await tx.campaign.findMany({
          where: {
            advertiserId: row.id,
            broadstreetId: { not: null },
            deletedAt: null,
            OR: [{ removedAt: null }, { removedAt: { gte: new Date(conflict.detectedAt) } }],
          },
        });
        // A settled conflict may be stored as JSON null rather than SQL NULL: read it as the status does.
        const ids = back.filter((c) => !conflictOf(c as unknown as TwoWayRow)).map((c) => c.id);
        await tx.campaign.updateMany({
          where: { id: { in: ids } },
          data: { ...localAgain('CAMPAIGN'), base: Prisma.DbNull, changedAt: null, conflictAt: null, removedAt: null },
        });
        await tx.placement.updateMany({
          where: { campaignId: { in: ids }, removedAt: null },
          data: { removedAt: new Date(), changedAt: null },
        });
      }
      // Re-created in Broadstreet, the entity has none of its placements there: they are created again with it.
      if (recreating && (input.entityType === 'CAMPAIGN' || input.entityType === 'ZONE')) {
        await tx.placement.updateMany({
          where: { [input.entityType === 'CAMPAIGN' ? 'campaignId' : 'zoneId']: row.id, removedAt: null },
          data: { syncedAt: null, base: Prisma.DbNull, changedAt: null, conflict: Prisma.DbNull, conflictAt: null, deletedAt: null },
        });
      }
    });
  } catch (error) {
    if ((error as { code?: string }).code === 'P2025') throw new ConflictError('it changed meanwhile (an import or export); read it again');
    throw error;
  }
  return { id: row.id, type: input.entityType };
}

/** The columns that make a row local-only again, so the next export creates it. */
function localAgain(type: ExportableType): Record<string, unknown> {
  return type === 'PLACEMENT'
    ? { syncedAt: null, intentRunId: null }
    : { broadstreetId: null, syncedAt: null, intentName: null, intentRunId: null };
}

async function findRow(db: Db, input: ResolveConflictInput): Promise<Row> {
  if (input.entityType === 'PLACEMENT') {
    if (!input.entity.mongoId) throw ValidationError.of([{ path: ['input', 'entity'], message: 'a placement is named by its mongoId' }]);
    const row = await db.placement.findUnique({ where: { mongoId: input.entity.mongoId } });
    if (!row) throw new NotFoundError(`no placement with mongoId ${input.entity.mongoId}`, 'PLACEMENT');
    return row as unknown as Row;
  }
  const model = specOf(input.entityType).model as 'advertiser' | 'zone' | 'campaign';
  return (await findByRef(db, model, input.entity, { path: ['input', 'entity'] })) as unknown as Row;
}
