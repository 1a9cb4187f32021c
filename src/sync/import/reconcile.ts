// Writes one scope of imported entities (e.g. a network's advertisers) in
// batches: creates what is new, updates what changed, leaves the rest, and
// marks as removed what Broadstreet no longer has. Local-only rows (no
// broadstreetId) are never read or written here.
import { db } from '../../db/index.ts';
import type { EntityType } from '../../domain/enums.ts';
import { newMongoId } from '../../domain/ids.ts';
import type { RunContext } from '../context.ts';

const CREATE_CHUNK = 500;
const UPDATE_CHUNK = 200;

export type ImportModel = 'advertiser' | 'zone' | 'advertisement' | 'campaign';

export interface RemoteRow {
  broadstreetId: number;
  /** Column values as stored locally. */
  fields: Record<string, unknown>;
}

export interface ReconcileSpec {
  entityType: EntityType;
  model: ImportModel;
  /** The local network id every row gets. */
  networkId: number;
  /** Where the scope's existing rows are (e.g. { networkId } or { advertiserId }). */
  scope: Record<string, unknown>;
  remote: RemoteRow[];
}

interface ExistingRow {
  id: number;
  broadstreetId: number;
  removedAt: Date | null;
  [column: string]: unknown;
}

/** The Prisma delegate for a model, typed to what this module calls. */
interface Delegate {
  findMany(args: object): Promise<ExistingRow[]>;
  createMany(args: { data: object[] }): Promise<unknown>;
  update(args: { where: { id: number }; data: object }): Promise<unknown>;
  updateMany(args: object): Promise<{ count: number }>;
}

const delegate = (model: ImportModel) => db()[model] as unknown as Delegate;

export interface ReconcileResult {
  created: number;
  updated: number;
  unchanged: number;
  removed: number;
}

const IN_CHUNK = 5_000;

export async function reconcile(ctx: RunContext, spec: ReconcileSpec): Promise<ReconcileResult> {
  const model = delegate(spec.model);
  const columns = Object.keys(spec.remote[0]?.fields ?? {});
  const select = { id: true, broadstreetId: true, removedAt: true, ...Object.fromEntries(columns.map((c) => [c, true])) };
  const existing = new Map<number, ExistingRow>();
  // Matched by broadstreetId across the whole network: an entity that moved
  // to another parent in Broadstreet is updated, not created twice.
  for (let i = 0; i < spec.remote.length; i += IN_CHUNK) {
    const ids = spec.remote.slice(i, i + IN_CHUNK).map((r) => r.broadstreetId);
    for (const row of await model.findMany({ where: { networkId: spec.networkId, broadstreetId: { in: ids } }, select })) {
      existing.set(row.broadstreetId, row);
    }
  }
  const now = new Date();
  const creates: object[] = [];
  const updates: { id: number; data: object }[] = [];
  let unchanged = 0;
  for (const { broadstreetId, fields } of spec.remote) {
    const row = existing.get(broadstreetId);
    if (!row) {
      creates.push({ mongoId: newMongoId(), broadstreetId, networkId: spec.networkId, ...fields, syncedAt: now });
    } else if (row.removedAt !== null || columns.some((c) => !sameValue(row[c], fields[c]))) {
      updates.push({ id: row.id, data: { ...fields, removedAt: null, syncedAt: now } });
    } else {
      unchanged += 1;
    }
  }
  const remoteIds = new Set(spec.remote.map((r) => r.broadstreetId));
  const inScope = await model.findMany({
    where: { ...spec.scope, broadstreetId: { not: null }, removedAt: null },
    select: { id: true, broadstreetId: true },
  });
  const gone = inScope.filter((row) => !remoteIds.has(row.broadstreetId)).map((row) => row.id);
  if (!ctx.run.dryRun) {
    for (let i = 0; i < creates.length; i += CREATE_CHUNK) {
      await model.createMany({ data: creates.slice(i, i + CREATE_CHUNK) });
    }
    for (let i = 0; i < updates.length; i += UPDATE_CHUNK) {
      const chunk = updates.slice(i, i + UPDATE_CHUNK);
      await db().$transaction(chunk.map((u) => model.update({ where: { id: u.id }, data: u.data }) as never));
    }
    for (let i = 0; i < gone.length; i += IN_CHUNK) {
      await model.updateMany({ where: { id: { in: gone.slice(i, i + IN_CHUNK) } }, data: { removedAt: now } });
    }
  }
  const result = { created: creates.length, updated: updates.length, unchanged, removed: gone.length };
  ctx.progress.count(spec.entityType, 'created', result.created);
  ctx.progress.count(spec.entityType, 'updated', result.updated);
  ctx.progress.count(spec.entityType, 'unchanged', result.unchanged);
  if (result.removed > 0) {
    ctx.progress.warn(`${result.removed} ${spec.entityType.toLowerCase()}(s) no longer in Broadstreet: marked removed`);
  }
  return result;
}

function sameValue(local: unknown, remote: unknown): boolean {
  if (local instanceof Date || remote instanceof Date) {
    return new Date(local as Date).getTime() === new Date(remote as Date).getTime();
  }
  if (typeof local === 'object' || typeof remote === 'object') return stableJson(local) === stableJson(remote);
  return (local ?? null) === (remote ?? null);
}

/** JSON with object keys sorted: PostgreSQL's jsonb does not keep key order. */
function stableJson(value: unknown): string {
  return JSON.stringify(value ?? null, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );
}
