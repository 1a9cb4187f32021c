// The validation phase of an export: which local-only entities it will send,
// in which order, and which are blocked — by the business rules (VALIDATION)
// or by a parent that cannot be exported (DEPENDENCY).
import { db } from '../../db/index.ts';
import type { EntityType } from '../../domain/enums.ts';
import type { Network } from '../../generated/prisma/client.ts';
import type { RunContext } from '../context.ts';
import { syncError } from '../failures.ts';
import type { SyncErrorRecord } from '../types.ts';
import { problemsOf } from './rules.ts';

export type ExportType = 'ADVERTISER' | 'ZONE' | 'CAMPAIGN' | 'PLACEMENT';

export interface PlanItem {
  type: ExportType;
  /** Local row id. */
  id: number;
  mongoId: string;
  name: string;
  /** Local row ids of the parents this item needs exported first. */
  parents: { type: ExportType; id: number }[];
  blocked?: SyncErrorRecord;
}

export interface ExportPlan {
  items: PlanItem[];
  byKey: Map<string, PlanItem>;
}

export const itemKey = (type: ExportType, id: number) => `${type}:${id}`;

const localOnly = { broadstreetId: null, removedAt: null };

export async function buildPlan(ctx: RunContext, network: Network): Promise<ExportPlan> {
  const include = (t: EntityType) => ctx.entityTypes.includes(t);
  const where = { networkId: network.id };
  // A retry's scope is applied here, not in SQL: it may list more ids than a statement can bind.
  const scope = ctx.scope ? new Set(ctx.scope.mongoIds) : null;
  const inScope = <T extends { mongoId: string }>(rows: T[]) => (scope ? rows.filter((r) => scope.has(r.mongoId)) : rows);
  const loaded = await Promise.all([
    include('ADVERTISER') ? db().advertiser.findMany({ where: { ...where, ...localOnly }, orderBy: { id: 'asc' } }) : [],
    include('ZONE') ? db().zone.findMany({ where: { ...where, ...localOnly }, orderBy: { id: 'asc' } }) : [],
    include('CAMPAIGN')
      ? db().campaign.findMany({ where: { ...where, ...localOnly }, orderBy: { id: 'asc' }, include: { advertiser: true } })
      : [],
    include('PLACEMENT')
      ? db().placement.findMany({
          where: { ...where, syncedAt: null, removedAt: null },
          orderBy: { id: 'asc' },
          include: { campaign: { include: { advertiser: true } }, advertisement: true, zone: true },
        })
      : [],
  ]);
  const [advertisers, zones, campaigns, placements] = [inScope(loaded[0]), inScope(loaded[1]), inScope(loaded[2]), inScope(loaded[3])];

  const plan: ExportPlan = { items: [], byKey: new Map() };
  const add = (item: PlanItem, problems: string[]) => {
    if (problems.length > 0) {
      item.blocked = syncError('VALIDATION', `${describe(item)} cannot be exported: ${problems.join('; ')}`, entityOf(item));
    }
    plan.items.push(item);
    plan.byKey.set(itemKey(item.type, item.id), item);
  };
  for (const a of advertisers) add({ type: 'ADVERTISER', id: a.id, mongoId: a.mongoId, name: a.name, parents: [] }, problemsOf('ADVERTISER', a));
  for (const z of zones) add({ type: 'ZONE', id: z.id, mongoId: z.mongoId, name: z.name, parents: [] }, problemsOf('ZONE', z));
  for (const c of campaigns) {
    const item: PlanItem = { type: 'CAMPAIGN', id: c.id, mongoId: c.mongoId, name: c.name, parents: [] };
    const problems = problemsOf('CAMPAIGN', c);
    dependOn(plan, item, 'ADVERTISER', c.advertiser, problems);
    add(item, problems);
  }
  for (const p of placements) {
    const name = `${p.campaign.name} / ${p.advertisement.name} / ${p.zone.name}`;
    const item: PlanItem = { type: 'PLACEMENT', id: p.id, mongoId: p.mongoId, name, parents: [] };
    const problems = problemsOf('PLACEMENT', p);
    dependOn(plan, item, 'CAMPAIGN', p.campaign, problems);
    dependOn(plan, item, 'ZONE', p.zone, problems);
    if (p.advertisement.broadstreetId === null || p.advertisement.removedAt !== null) {
      problems.push(`advertisement "${p.advertisement.name}" is not in Broadstreet`);
    }
    add(item, problems);
  }
  propagateBlocks(plan);
  return plan;
}

/**
 * Records that item needs parent exported first. A parent already in
 * Broadstreet needs nothing; a local one must be part of this export.
 */
function dependOn(
  plan: ExportPlan,
  item: PlanItem,
  type: ExportType,
  parent: { id: number; mongoId: string; name: string; broadstreetId: number | null; removedAt: Date | null },
  problems: string[],
): void {
  const label = `${type.toLowerCase()} "${parent.name}"`;
  if (parent.removedAt !== null) {
    problems.push(`${label} was removed from Broadstreet`);
    return;
  }
  if (parent.broadstreetId !== null) return;
  if (!plan.byKey.has(itemKey(type, parent.id))) {
    item.blocked ??= syncError(
      'DEPENDENCY',
      `${describe(item)} needs ${label} (${parent.mongoId}) exported first, and it is not part of this export`,
      entityOf(item),
    );
    return;
  }
  item.parents.push({ type, id: parent.id });
}

/** Children of blocked parents are blocked too (items are in parent-first order). */
function propagateBlocks(plan: ExportPlan): void {
  for (const item of plan.items) {
    if (item.blocked) continue;
    const blockedParent = item.parents.map((p) => plan.byKey.get(itemKey(p.type, p.id))!).find((p) => p.blocked);
    if (blockedParent) {
      item.blocked = syncError(
        'DEPENDENCY',
        `${describe(item)} skipped: its ${blockedParent.type.toLowerCase()} "${blockedParent.name}" cannot be exported`,
        entityOf(item),
      );
    }
  }
}

export function describe(item: PlanItem): string {
  return `${item.type.toLowerCase()} "${item.name}"`;
}

export function entityOf(item: PlanItem) {
  return { entityType: item.type, mongoId: item.mongoId } as const;
}
