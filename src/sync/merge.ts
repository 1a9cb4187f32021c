// The three-way merge of two-way sync (DESIGN.md §2b), field by field: the
// base (Broadstreet's values when the two sides last agreed), the local row
// and Broadstreet's current values. Pure: the import and the export both call
// it and write what it says.

/** A synced field as the merge sees it: write-only fields are never returned by Broadstreet. */
export interface MergeField {
  field: string;
  writeOnly?: boolean;
}

/** Which side changed a field since the base. */
export type ChangedBy = 'NONE' | 'LOCAL' | 'REMOTE' | 'BOTH' | 'CONFLICT';

/** One field's change, planned or made. driftChecked: false for write-only fields (Broadstreet never says what it has). */
export interface FieldChange {
  field: string;
  from: unknown;
  to: unknown;
  driftChecked: boolean;
}

/** A field both sides changed to different values. */
export interface FieldConflict {
  field: string;
  base: unknown;
  local: unknown;
  remote: unknown;
}

export type FieldValues = Record<string, unknown>;

export interface MergeResult {
  changedBy: Record<string, ChangedBy>;
  /** The values the local row should hold: remote-only changes taken, the local value elsewhere (conflicts included). */
  merged: FieldValues;
  /** Local changes Broadstreet does not have yet: from Broadstreet's value (or the base, write-only) to the local one. */
  push: FieldChange[];
  /** Remote changes the local row takes: from the local value to Broadstreet's. */
  take: FieldChange[];
  conflicts: FieldConflict[];
  /**
   * The base after this merge, as far as the two sides now agree: fields
   * changed on one side only keep their base until pushed (local) or take the
   * remote value (remote); agreed fields move to the agreed value.
   */
  base: FieldValues;
  /** Broadstreet no longer has the entity (remote was null). */
  remoteDeleted: boolean;
}

/**
 * Merges one entity. A base of null (a row synced before two-way sync
 * existed) or without a field counts as agreeing with the local value. A
 * remote of null means Broadstreet no longer has the entity: nothing is taken
 * and local changes are listed as push, for the caller to decide.
 */
export function threeWayMerge(
  fields: readonly MergeField[],
  base: FieldValues | null,
  local: FieldValues,
  remote: FieldValues | null,
): MergeResult {
  const result: MergeResult = {
    changedBy: {},
    merged: {},
    push: [],
    take: [],
    conflicts: [],
    base: {},
    remoteDeleted: remote === null,
  };
  for (const { field, writeOnly = false } of fields) {
    const localValue = local[field] ?? null;
    const baseValue = base && field in base ? (base[field] ?? null) : localValue;
    // Broadstreet never returns a write-only field: it is taken to hold what was last agreed.
    const remoteValue = remote === null || writeOnly || !(field in remote) ? baseValue : (remote[field] ?? null);
    const localChanged = !sameValue(localValue, baseValue);
    const remoteChanged = !sameValue(remoteValue, baseValue);
    let by: ChangedBy = 'NONE';
    if (localChanged && remoteChanged) by = sameValue(localValue, remoteValue) ? 'BOTH' : 'CONFLICT';
    else if (localChanged) by = 'LOCAL';
    else if (remoteChanged) by = 'REMOTE';
    result.changedBy[field] = by;
    switch (by) {
      case 'NONE':
        result.merged[field] = localValue;
        result.base[field] = baseValue;
        break;
      case 'BOTH':
        result.merged[field] = localValue;
        result.base[field] = localValue;
        break;
      case 'LOCAL':
        result.merged[field] = localValue;
        result.base[field] = baseValue;
        result.push.push({ field, from: remoteValue, to: localValue, driftChecked: !writeOnly });
        break;
      case 'REMOTE':
        result.merged[field] = remoteValue;
        result.base[field] = remoteValue;
        result.take.push({ field, from: localValue, to: remoteValue, driftChecked: true });
        break;
      case 'CONFLICT':
        result.merged[field] = localValue;
        result.base[field] = baseValue;
        result.conflicts.push({ field, base: baseValue, local: localValue, remote: remoteValue });
        break;
    }
  }
  return result;
}

/** The fields whose local value differs from the base (a base of null: none). */
export function changedAgainstBase(fields: readonly MergeField[], base: FieldValues | null, local: FieldValues): string[] {
  if (!base) return [];
  return fields.filter(({ field }) => field in base && !sameValue(local[field] ?? null, base[field] ?? null)).map((f) => f.field);
}

/** Equal as stored values: null and undefined alike, JSON by content (object key order ignored), dates by instant. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a instanceof Date || b instanceof Date) return new Date(a as Date).getTime() === new Date(b as Date).getTime();
  if ((a !== null && typeof a === 'object') || (b !== null && typeof b === 'object')) return stableJson(a) === stableJson(b);
  return (a ?? null) === (b ?? null);
}

/** JSON with object keys sorted: PostgreSQL's jsonb does not keep key order. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value ?? null, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1))) : v,
  );
}
