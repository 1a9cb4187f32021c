// One entity type's sync behaviour, as data: its Prisma model, its phase and
// parents, its remote calls, the mapping between the wire format and its
// columns, its name scope and its rule check. Import, export and dry run are
// loops over these specs (src/sync/specs.ts lists them); each entity's spec
// lives beside its feature (src/<entity>/<entity>.sync.ts).
import type { CallOptions } from '../broadstreet/index.ts';
import type { EntityType, ExportableType, SyncPhase } from '../domain/enums.ts';
import type { BroadstreetApi } from './broadstreet-port.ts';

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
}

/** Problems from a rule check (FieldProblem[]), in words: "endDate: must not be before …". */
export function inWords(problems: { path: string[]; message: string }[]): string[] {
  return problems.map((p) => (p.path.length > 0 ? `${p.path.join('.')}: ${p.message}` : p.message));
}
