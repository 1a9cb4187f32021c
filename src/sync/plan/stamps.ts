// Fingerprints a dry run stores with each planned entity, so that the run
// applying the plan can tell whether anything moved since: the local row
// (every column but bookkeeping that changes without meaning anything), and
// Broadstreet as the plan saw it (for a create: the name it would use).
import { createHash } from 'node:crypto';

/** Columns that change without the entity changing: row ids, timestamps of the write itself, a create's intent. */
const BOOKKEEPING = new Set(['id', 'createdAt', 'updatedAt', 'intentName', 'intentRunId']);

/** The local row's fingerprint: its columns, not its loaded relations (`include`), with JSON keys sorted. */
export function localStamp(row: Record<string, unknown>, include: Record<string, unknown> = {}): string {
  const columns = Object.keys(row)
    .filter((k) => !BOOKKEEPING.has(k) && !(k in include))
    .sort();
  return digest(stableJson(Object.fromEntries(columns.map((k) => [k, row[k]]))));
}

/** A fingerprint of what the plan saw in Broadstreet. */
export function remoteStamp(value: unknown): string {
  return digest(stableJson(value));
}

function digest(text: string): string {
  return createHash('sha256').update(text).digest('base64url').slice(0, 32);
}

/** JSON with object keys sorted (PostgreSQL's jsonb does not keep key order), dates as ISO strings. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value ?? null, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );
}
