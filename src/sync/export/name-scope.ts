// The scope an entity's name must be unique in, for a create and for a dry
// run alike: its network, or its parent in Broadstreet. A parent not yet in
// Broadstreet (a dry run, before anything is created) gives a scope of its
// own, known to be empty: its children can only clash with each other.
import type { RunContext } from '../context.ts';
import type { NamedSpec } from '../specs.ts';
import type { NameScope } from './names.ts';
import type { PlanItem } from './plan.ts';
import type { ExportState } from './state.ts';

export async function nameScopeOf(ctx: RunContext, state: ExportState, spec: NamedSpec, item: PlanItem): Promise<NameScope> {
  const networkId = state.network.broadstreetId!;
  const where = spec.export.how.nameScope;
  if (where.under === 'network') return { type: item.type, networkId, parentId: networkId };
  const model = ctx.db[spec.model] as unknown as { findUniqueOrThrow(args: object): Promise<Record<string, ScopeParent>> };
  const row = await model.findUniqueOrThrow({
    where: { id: item.id },
    select: { [where.relation]: { select: { id: true, broadstreetId: true } } },
  });
  const parent = row[where.relation]!;
  if (parent.broadstreetId !== null) return { type: item.type, networkId, parentId: parent.broadstreetId };
  const scope: NameScope = { type: item.type, networkId, parentId: -parent.id };
  state.names.markEmpty(scope);
  return scope;
}

interface ScopeParent {
  id: number;
  broadstreetId: number | null;
}
