// One entity type's sync behaviour, as data: its Prisma model, its phase and
// parents, its remote calls, the mapping between the wire format and its
// columns, its name scope and its rule check. Import, export and dry run are
// loops over these specs (src/sync/specs.ts lists them); each entity's spec
// lives beside its feature (src/<entity>/<entity>.sync.ts).
import type { CallOptions } from '../broadstreet/index.ts';
import type { EntityType, ExportableType, SyncPhase } from '../domain/enums.ts';
import type { BroadstreetApi } from './broadstreet-port.ts';
import type { FieldValues } from './merge.ts';

/** The Prisma models the sync core reads and writes by name. */
export type SyncModel = 'network' | 'advertiser' | 'zone' | 'advertisement' | 'campaign' | 'placement';

/** Where a remote list or create happens, in Broadstreet ids: the network, and the parent the entity is listed under. */
export interface RemoteScope {
  networkId: number;
  parentId: number;
}

/** Every listed entity carries its Broadstreet id and name. */
export interface WireEntity {
  id: number;
  name: string;
}

/** A local row as the export plan sees its parents. */
export interface ParentRow {
  id: number;
  mongoId: string;
  name: string;
  broadstreetId: number | null;
  removedAt: Date | null;
}

/**
 * How an import lists the type: under the network (scope column networkId),
 * or under each of the network's advertisers (advertiserId). Placements,
 * which have no id of their own, bring their own phase.
 */
export type ImportSpec<Wire> =
  | {
      listedUnder: 'network' | 'advertiser';
      fromWire(wire: Wire): Record<string, unknown>;
      /** Required columns a payload may leave out (a new row needs a value; an existing one keeps its own). */
      createDefaults?: Record<string, unknown>;
      /**
       * Listed under the advertiser, but also readable in one list of the whole
       * network whose items name their advertiser only by NAME (advertisements):
       * an item whose advertiser's name is unique among the advertisers listed
       * this run is linked by it; advertisers whose names repeat are listed alone.
       */
      networkWide?: {
        list(client: BroadstreetApi, networkId: number, opts: CallOptions): Promise<Wire[]>;
        parentName(wire: Wire): string | null | undefined;
      };
    }
  | { listedUnder: 'campaign' };

/** A type exported by name: created under a resolved unique name, looked up by that name on resume. */
export interface NamedExport<Row, Input> {
  identity: 'name';
  /** The scope its names are unique in: the network, or a parent entity (its relation on the row). */
  nameScope: { under: 'network' } | { under: ExportableType; relation: string };
  /** The wire input of a create, from the stored row (loaded with `include`) under its resolved name. */
  toWire(row: Row, name: string): Input;
  create(client: BroadstreetApi, scope: RemoteScope, input: Input, opts: CallOptions): Promise<WireEntity>;
  /** Columns Broadstreet answered a create with that an import compares, stored at once (so a re-import finds the row unchanged). */
  answered?(created: WireEntity): Record<string, unknown>;
}

/** A type identified by its parents (placements: the triple); created once, found by listing. */
export interface TripleExport {
  identity: 'parents';
}

export interface ExportSpec<Row, Input> {
  /** Relations loaded with every row the export reads. */
  include?: Record<string, unknown>;
  /** Rows not yet in Broadstreet (and not removed from it). */
  pending: Record<string, unknown>;
  /** Rows in Broadstreet: an intent left on one is spent. */
  exported: Record<string, unknown>;
  /** The intent columns, cleared. */
  noIntent: Record<string, null>;
  /** What the plan and messages call the row. */
  nameOf(row: Row): string;
  /** The parents that must be in Broadstreet first, with their type. */
  parents(row: Row): { type: ExportableType; row: ParentRow }[];
  /** The business rules re-checked before export, in words; then problems no rule covers. */
  check(row: Row): string[];
  /** Problems found after the parents (e.g. a parent that cannot be exported at all). */
  afterParents?(row: Row): string[];
  how: NamedExport<Row, Input> | TripleExport;
}

/**
 * A field two-way sync compares and pushes: its GraphQL name (the key of base,
 * changes and conflicts), its column, its name on the wire, and whether
 * Broadstreet accepts it but never returns it (never drift-checked).
 */
export interface SyncedField {
  field: string;
  column: string;
  wire: string;
  writeOnly?: boolean;
}

/** Where an entity is in Broadstreet: its id, or (placements) its triple. */
export type RemoteTarget = { id: number } | { triple: { campaignId: number; advertisementId: number; zoneId: number } };

/** The rows that hang off an entity: a parent with live ones cannot be deleted; a removed parent takes them along. */
export interface ChildRelation {
  model: SyncModel;
  type: EntityType;
  /** The child's foreign key to this entity. */
  column: string;
  /** Only taken along on removal, never counted as live children (advertisements cannot be deleted here). */
  cascadeOnly?: boolean;
}

/** Two-way sync of a type (DESIGN.md §2b): its synced fields, both sides' values in field space, the remote calls. */
export interface TwoWaySpec<Row = any> {
  fields: readonly SyncedField[];
  /** The row's values of the synced fields, keyed by field. */
  localValues(row: Row): FieldValues;
  /** Broadstreet's values (a wire entity), keyed by field; write-only fields left out. */
  remoteValues(wire: any): FieldValues;
  /** Field values → the row's column data. */
  columns(values: FieldValues): Record<string, unknown>;
  /** Relations a row needs loaded for target() and localValues(). */
  include?: Record<string, unknown>;
  /** The row's identity in Broadstreet; null while it (or a parent) is not there. */
  target(row: Row): RemoteTarget | null;
  /** Broadstreet's current values, or null when it no longer has the entity (404 / not listed). */
  fetch(client: BroadstreetApi, target: RemoteTarget, opts: CallOptions): Promise<FieldValues | null>;
  /** PUT of the changed fields (plus what the endpoint always requires); answers Broadstreet's values. Absent: no PUT (placements). */
  update?(client: BroadstreetApi, target: RemoteTarget, changes: FieldValues, local: FieldValues, opts: CallOptions): Promise<FieldValues>;
  /** DELETE; a 404 is left to the caller (already gone). */
  delete(client: BroadstreetApi, target: RemoteTarget, opts: CallOptions): Promise<void>;
  children: readonly ChildRelation[];
}

export interface EntitySyncSpec<Wire extends WireEntity = WireEntity, Row = any, Input = any> {
  type: EntityType;
  model: SyncModel;
  /** Plural, for messages ("advertisers"). */
  label: string;
  phase: SyncPhase;
  /** Lists the type in Broadstreet within a scope (not for the network itself or placements). */
  list?(client: BroadstreetApi, scope: RemoteScope, opts: CallOptions): Promise<Wire[]>;
  import?: ImportSpec<Wire>;
  export?: ExportSpec<Row, Input>;
  twoWay?: TwoWaySpec<Row>;
}

/** The row's values of fields, keyed by field name, from their columns. */
export function valuesOf(fields: readonly SyncedField[], row: Record<string, unknown>): FieldValues {
  return Object.fromEntries(fields.map((f) => [f.field, row[f.column] ?? null]));
}

/** Field values → column data, for the fields given. */
export function columnsOf(fields: readonly SyncedField[], values: FieldValues): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) if (f.field in values) out[f.column] = values[f.field];
  return out;
}

/** Only the fields present in a wire entity's mapped values. */
export function pickFields(fields: readonly SyncedField[], mapped: Record<string, unknown>): FieldValues {
  return Object.fromEntries(fields.filter((f) => !f.writeOnly && f.column in mapped).map((f) => [f.field, mapped[f.column] ?? null]));
}

/** Problems from a rule check (FieldProblem[]), in words: "endDate: must not be before …". */
export function inWords(problems: { path: string[]; message: string }[]): string[] {
  return problems.map((p) => (p.path.length > 0 ? `${p.path.join('.')}: ${p.message}` : p.message));
}
