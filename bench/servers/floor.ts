// The floor of the read benchmarks (issue 18): what the placement page and
// the dashboard's list queries cost when written by hand on the same stack.
// graphql-yoga on node:http with the project's own schema (schema.graphql, so
// parsing, validation and execution are graphql-js's work as in the project),
// whose list fields are answered from hand-written better-sqlite3 prepared
// statements on the same SQLite file: one statement per page, the page's
// parents JOINed in and its totalCount (and syncErrors) as subqueries.
// Nothing of Prisma, Pothos or the project's plugins runs here.
//
// It answers only the operations of bench/lib/floor-queries.ts, matched on
// their text; any other operation gets an error. query-floor checks that each
// answer is byte-identical to the project's before comparing req/s.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import Database from 'better-sqlite3';
import { type DocumentNode, type FieldNode, GraphQLError, Kind, type SelectionSetNode } from 'graphql';
import { createSchema, createYoga, type Plugin } from 'graphql-yoga';
import type { EntityType } from '../../src/domain/enums.ts';
import { changedFields, syncStatusOf, type TwoWayRow } from '../../src/sync/status.ts';
import { ROOT, serveParent } from '../lib/child.ts';
import { floorQueries } from '../lib/floor-queries.ts';
import { formatSummary, startProfile, type ProfileSummary } from '../lib/profile.ts';

const file = (process.env.DATABASE_URL ?? '').replace(/^file:/, '');
if (!file) throw new Error('DATABASE_URL (file:…) is required');
const sqlite = new Database(file, { fileMustExist: true, readonly: true, timeout: 10_000 });

type Row = Record<string, any>;

/** A prepared SELECT whose rows come back decoded by each column's declared type, as Prisma decodes them. */
function prepare(sql: string): (params: Record<string, unknown>) => Row[] {
  const statement = sqlite.prepare(sql);
  const decoders = statement.columns().map((c) => [c.name, c.type ? DECODERS[c.type.toUpperCase()] : undefined] as const);
  const decoded = decoders.filter(([, decode]) => decode !== undefined) as [string, (v: unknown) => unknown][];
  return (params) => {
    const rows = statement.all(params) as Row[];
    for (const row of rows) {
      for (const [name, decode] of decoded) if (row[name] !== null) row[name] = decode(row[name]);
    }
    return rows;
  };
}

const DECODERS: Record<string, (value: unknown) => unknown> = {
  DATETIME: (value) => storedDate(value),
  BOOLEAN: (value) => Boolean(value),
  JSONB: (value) => (typeof value === 'string' ? JSON.parse(value) : value),
};

const ZONED = /(?:Z|[+-]\d\d:?\d\d)$/i;

/** Stored date text or milliseconds; text that names no zone is UTC (CURRENT_TIMESTAMP's form). */
function storedDate(value: unknown): Date {
  if (typeof value !== 'string') return new Date(Number(value));
  return new Date(ZONED.test(value) || /^\d{4}-\d\d-\d\d$/.test(value) ? value : `${value.replace(' ', 'T')}Z`);
}

/**
 * The fields the project's server resolves asynchronously (counts and
 * syncErrors; its Relay ids are synchronous, src/graphql/global-id.ts). Its
 * executor (@graphql-tools/executor) writes an object's keys in the order
 * their values complete: the synchronous fields in selection
 * order, then the asynchronous ones as they settle, the more deeply they wait
 * the later (an object or list waits one step more than its slowest part).
 * The floor resolves everything synchronously, so it puts the fields in that
 * order itself: once per document, in its selection sets (inCompletionOrder),
 * and per answer only for what depends on the data, an empty list being
 * ready at once (connectionOrder). query-floor checks the outcome byte for byte.
 */
const LATE = new Set(['totalCount', 'total', 'syncErrors']);

/** How long a field waits in the project (0: at once), lists taken as non-empty; its selection set sorted by the same measure. */
function fieldWait(field: FieldNode): { wait: number; field: FieldNode } {
  const late = LATE.has(field.name.value) ? 1 : 0;
  if (!field.selectionSet) return { wait: late, field };
  const sorted = sortSelections(field.selectionSet);
  return { wait: sorted.slowest > 0 ? sorted.slowest + 1 : late, field: { ...field, selectionSet: sorted.selectionSet } };
}

function sortSelections(set: SelectionSetNode): { slowest: number; selectionSet: SelectionSetNode } {
  if (set.selections.some((s) => s.kind !== Kind.FIELD)) throw new Error('the floor server orders plain fields only');
  // A stable sort: equal waits keep the selection order.
  const fields = (set.selections as FieldNode[]).map(fieldWait).sort((x, y) => x.wait - y.wait);
  const slowest = fields.reduce((wait, f) => Math.max(wait, f.wait), 0);
  return { slowest, selectionSet: { ...set, selections: fields.map((f) => f.field) } };
}

const ordered = new WeakMap<DocumentNode, DocumentNode>();

/** The document with every selection set in the project's completion order (yoga's parse cache gives one document per query). */
function inCompletionOrder(document: DocumentNode): DocumentNode {
  let result = ordered.get(document);
  if (!result) {
    result = {
      ...document,
      definitions: document.definitions.map((d) =>
        d.kind === Kind.OPERATION_DEFINITION ? { ...d, selectionSet: sortSelections(d.selectionSet).selectionSet } : d,
      ),
    };
    ordered.set(document, result);
  }
  return result;
}

/**
 * A non-empty page's edges wait for their nodes, an empty page's are ready at
 * once: then edges come before totalCount, and the connection (ready sooner)
 * before its non-empty siblings. Rebuilds the objects above the edges whose
 * order that changes; returns the value and its wait.
 */
function connectionOrder(value: unknown, late: boolean): { wait: number; value: unknown } {
  if (Array.isArray(value)) {
    // Every item has the same shape: the first one tells how long they wait.
    return { wait: Math.max(late ? 1 : 0, value.length > 0 ? waitOf(value[0], false) : 0), value };
  }
  if (value === null || typeof value !== 'object') return { wait: late ? 1 : 0, value };
  const fields = Object.entries(value).map(([key, v]) => ({ key, ...connectionOrder(v, LATE.has(key)) }));
  const slowest = fields.reduce((wait, f) => Math.max(wait, f.wait), 0);
  if (fields.every((f, i) => i === 0 || fields[i - 1]!.wait <= f.wait)) {
    // In order already: only rebuilt parts to put back.
    const object = value as Record<string, unknown>;
    for (const f of fields) if (object[f.key] !== f.value) object[f.key] = f.value;
    return { wait: slowest > 0 ? slowest + 1 : late ? 1 : 0, value };
  }
  fields.sort((x, y) => x.wait - y.wait);
  const object: Record<string, unknown> = {};
  for (const f of fields) object[f.key] = f.value;
  return { wait: slowest + 1, value: object };
}

/** connectionOrder's wait, without touching the value. */
function waitOf(value: unknown, late: boolean): number {
  if (Array.isArray(value)) return Math.max(late ? 1 : 0, value.length > 0 ? waitOf(value[0], false) : 0);
  if (value === null || typeof value !== 'object') return late ? 1 : 0;
  let slowest = 0;
  for (const [key, v] of Object.entries(value)) slowest = Math.max(slowest, waitOf(v, LATE.has(key)));
  return slowest > 0 ? slowest + 1 : late ? 1 : 0;
}

const iso = (value: Date | null | undefined) => (value ? value.toISOString() : null);
const globalId = (typename: string, id: number) => Buffer.from(`${typename}:${id}`).toString('base64');
const idCursor = (id: number) => Buffer.from(`GPC:N:${id}`).toString('base64');

/** plugin-prisma's id cursor back to the id; anything else is refused. */
function afterId(after: string | null | undefined): number {
  if (after == null) return 0;
  const match = /^GPC:N:(\d+)$/.exec(Buffer.from(after, 'base64').toString());
  if (!match) throw new GraphQLError('after is not a cursor of this list');
  return Number(match[1]);
}

// --- SQL --------------------------------------------------------------------

const NETWORK = `(SELECT "id" FROM "Network" WHERE "broadstreetId" = @network)`;

/** The ten newest errors of the row's entity, as JSON (EntitySyncError's fields). */
const ERRORS = `(SELECT json_group_array(json_object('code', e."code", 'message', e."message", 'entityType', e."entityType",
  'mongoId', e."mongoId", 'broadstreetId', e."broadstreetId", 'retryable', e."retryable", 'attempt', e."attempt", 'at', e."at"))
  FROM (SELECT * FROM "SyncError" e WHERE e."mongoId" = t."mongoId" ORDER BY e."id" DESC LIMIT 10) e)`;

interface ListSql {
  table: string;
  /** The list's condition on the table aliased `alias`, beside its network. */
  where: (alias: string) => string;
  /** Parents' columns (aliased) and their JOINs. */
  parents?: string;
  joins?: string;
  errors: boolean;
}

/** One page: the rows after @after with their parents, the list's count and (optionally) each row's errors. */
function pageSql({ table, where, parents, joins, errors }: ListSql): string {
  const count = `(SELECT COUNT(*) FROM "${table}" k WHERE k."networkId" = ${NETWORK} AND ${where('k')})`;
  const columns = ['t.*', parents, errors ? `${ERRORS} AS "errorsJson"` : undefined, `${count} AS "totalCount"`];
  return `SELECT ${columns.filter(Boolean).join(', ')} FROM "${table}" t ${joins ?? ''}
    WHERE t."networkId" = ${NETWORK} AND ${where('t')} AND t."id" > @after ORDER BY t."id" LIMIT @limit`;
}

const countSql = ({ table, where }: ListSql) =>
  `SELECT COUNT(*) AS "n" FROM "${table}" k WHERE k."networkId" = ${NETWORK} AND ${where('k')}`;

const listed = (alias: string) => `${alias}."deletedAt" IS NULL`;
const local = (alias: string) => `${alias}."broadstreetId" IS NULL`;
const localPlacement = (alias: string) => `${alias}."syncedAt" IS NULL`;

const PLACEMENT_PARENTS = `c."name" AS "campaignName", a."name" AS "advertisementName", z."name" AS "zoneName"`;
const PLACEMENT_JOINS = `JOIN "Campaign" c ON c."id" = t."campaignId" JOIN "Advertisement" a ON a."id" = t."advertisementId"
  JOIN "Zone" z ON z."id" = t."zoneId"`;
const CAMPAIGN_PARENTS = `v."name" AS "advertiserName"`;
const CAMPAIGN_JOINS = `JOIN "Advertiser" v ON v."id" = t."advertiserId"`;

/** The placement page of item 3: each placement's campaign (with its advertiser), advertisement and zone. */
const PAGE_PARENTS = `c."id" AS "cId", c."mongoId" AS "cMongoId", c."broadstreetId" AS "cBroadstreetId", c."name" AS "cName",
  c."startDate" AS "cStartDate", c."endDate" AS "cEndDate", c."weight" AS "cWeight",
  v."id" AS "vId", v."broadstreetId" AS "vBroadstreetId", v."name" AS "vName",
  a."id" AS "aId", a."broadstreetId" AS "aBroadstreetId", a."name" AS "aName", a."type" AS "aType", a."previewUrl" AS "aPreviewUrl",
  z."id" AS "zId", z."broadstreetId" AS "zBroadstreetId", z."name" AS "zName", z."alias" AS "zAlias"`;
const PAGE_JOINS = `${PLACEMENT_JOINS} JOIN "Advertiser" v ON v."id" = c."advertiserId"`;

// --- nodes ------------------------------------------------------------------

interface StoredError {
  code: string;
  message: string;
  entityType: string | null;
  mongoId: string | null;
  broadstreetId: number | null;
  retryable: number;
  attempt: number;
  at: string | number;
}

function syncErrors(json: string | null): object[] {
  const errors = json ? (JSON.parse(json) as StoredError[]) : [];
  return errors.map((e) => ({ ...e, retryable: Boolean(e.retryable), at: storedDate(e.at).toISOString() }));
}

interface StoredConflict {
  detectedAt: string;
  runId: number | null;
  remoteDeleted: boolean;
  localDeleted?: boolean;
  fields: { field: string; base?: unknown; local?: unknown; remote?: unknown }[];
}

function conflict(value: unknown): object | null {
  if (!value || typeof value !== 'object') return null;
  const c = value as StoredConflict;
  return {
    detectedAt: new Date(c.detectedAt).toISOString(),
    runId: c.runId === null ? null : globalId('SyncRun', c.runId),
    remoteDeleted: c.remoteDeleted,
    localDeleted: c.localDeleted === true,
    fields: c.fields.map((f) => ({ field: f.field, base: f.base ?? null, local: f.local ?? null, remote: f.remote ?? null })),
  };
}

/** What every synced entity shows (SyncedEntity); the sync state from the project's own rules on the decoded row. */
function synced(type: EntityType, typename: string, row: Row): Row {
  return {
    id: globalId(typename, row.id),
    mongoId: row.mongoId,
    broadstreetId: row.broadstreetId ?? null,
    createdLocally: row.createdLocally,
    syncedAt: iso(row.syncedAt),
    removedAt: iso(row.removedAt),
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
    syncStatus: syncStatusOf(type, row as TwoWayRow),
    changedFields: changedFields(type, row as TwoWayRow),
    conflict: conflict(row.conflict),
    syncErrors: syncErrors(row.errorsJson ?? null),
  };
}

/** A stored campaign value as its enum's name; one outside the enum is null (campaign.enums.ts). */
const wireEnum = (known: readonly string[]) => (stored: string | null) =>
  stored !== null && known.includes(stored) ? stored.toUpperCase() : null;
const displayType = wireEnum(['no_repeat', 'allow_repeat_campaign', 'allow_repeat_advertisement', 'force_repeat_campaign']);
const pacingType = wireEnum(['asap', 'even']);
const impressionMaxType = wireEnum(['cap', 'goal']);

const NODES: Record<string, (row: Row) => Row> = {
  advertiser: (r) => ({
    ...synced('ADVERTISER', 'Advertiser', r),
    name: r.name,
    webHomeUrl: r.webHomeUrl,
    notes: r.notes,
    logoUrl: r.logoUrl,
    admins: r.admins,
  }),
  zone: (r) => ({ ...synced('ZONE', 'Zone', r), name: r.name, alias: r.alias, selfServe: r.selfServe }),
  campaign: (r) => ({
    ...synced('CAMPAIGN', 'Campaign', r),
    name: r.name,
    advertiser: { name: r.advertiserName },
    startDate: r.startDate,
    endDate: r.endDate,
    weight: r.weight,
    displayType: displayType(r.displayType),
    pacingType: pacingType(r.pacingType),
    impressionMaxType: impressionMaxType(r.impressionMaxType),
    maxImpressionCount: r.maxImpressionCount,
    paused: r.paused,
    archived: r.archived,
    notes: r.notes,
  }),
  placement: (r) => ({
    ...synced('PLACEMENT', 'Placement', r),
    campaign: { name: r.campaignName },
    advertisement: { name: r.advertisementName },
    zone: { name: r.zoneName },
    restrictions: r.restrictions,
  }),
  placementPage: (r) => ({
    ...synced('PLACEMENT', 'Placement', r),
    restrictions: r.restrictions,
    campaign: {
      id: globalId('Campaign', r.cId),
      mongoId: r.cMongoId,
      broadstreetId: r.cBroadstreetId,
      name: r.cName,
      startDate: r.cStartDate,
      endDate: r.cEndDate,
      weight: r.cWeight,
      advertiser: { id: globalId('Advertiser', r.vId), broadstreetId: r.vBroadstreetId, name: r.vName },
    },
    advertisement: {
      id: globalId('Advertisement', r.aId),
      broadstreetId: r.aBroadstreetId,
      name: r.aName,
      type: r.aType,
      previewUrl: r.aPreviewUrl,
    },
    zone: { id: globalId('Zone', r.zId), broadstreetId: r.zBroadstreetId, name: r.zName, alias: r.zAlias },
  }),
};

// --- connections ------------------------------------------------------------

interface PageArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

/** A connection over one list: its page statement, its count statement (for an empty page) and its nodes. */
function list(sql: ListSql, node: (row: Row) => Row) {
  const page = prepare(pageSql(sql));
  const count = prepare(countSql(sql));
  return (network: number, args: PageArgs) => {
    if (args.last != null || args.before != null) throw new GraphQLError('the floor server pages forwards only');
    const first = args.first ?? 50;
    if (first < 0 || first > 500) throw new GraphQLError('first must be 0…500');
    const rows = page({ network, after: afterId(args.after), limit: first + 1 });
    const totalCount = rows.length > 0 ? rows[0]!.totalCount : count({ network })[0]!.n;
    const edges = rows.slice(0, first).map((row) => ({ cursor: idCursor(row.id), node: node(row) }));
    return {
      totalCount,
      edges,
      pageInfo: {
        hasNextPage: rows.length > first,
        hasPreviousPage: false,
        startCursor: edges[0]?.cursor ?? null,
        endCursor: edges.at(-1)?.cursor ?? null,
      },
    };
  };
}

const LISTS = {
  advertisers: list({ table: 'Advertiser', where: listed, errors: true }, NODES.advertiser!),
  zones: list({ table: 'Zone', where: listed, errors: true }, NODES.zone!),
  campaigns: list({ table: 'Campaign', where: listed, parents: CAMPAIGN_PARENTS, joins: CAMPAIGN_JOINS, errors: true }, NODES.campaign!),
  placements: list(
    { table: 'Placement', where: listed, parents: PLACEMENT_PARENTS, joins: PLACEMENT_JOINS, errors: true },
    NODES.placement!,
  ),
  placementPage: list({ table: 'Placement', where: listed, parents: PAGE_PARENTS, joins: PAGE_JOINS, errors: false }, NODES.placementPage!),
};

const LOCAL = {
  advertisers: list({ table: 'Advertiser', where: local, errors: true }, NODES.advertiser!),
  zones: list({ table: 'Zone', where: local, errors: true }, NODES.zone!),
  campaigns: list({ table: 'Campaign', where: local, parents: CAMPAIGN_PARENTS, joins: CAMPAIGN_JOINS, errors: true }, NODES.campaign!),
  placements: list(
    { table: 'Placement', where: localPlacement, parents: PLACEMENT_PARENTS, joins: PLACEMENT_JOINS, errors: true },
    NODES.placement!,
  ),
};

const localTotal = prepare(
  `SELECT ${[
    ['Advertiser', local],
    ['Zone', local],
    ['Campaign', local],
    ['Placement', localPlacement],
  ]
    .map(
      ([table, where]) =>
        `(SELECT COUNT(*) FROM "${table as string}" k WHERE k."networkId" = ${NETWORK} AND ${(where as typeof local)('k')})`,
    )
    .join(' + ')} AS "n", ${NETWORK} AS "networkId"`,
);

// --- server -----------------------------------------------------------------

/** The list arguments the supported operations leave at their defaults; any other value is not served here. */
function defaultsOnly(args: Record<string, unknown>): void {
  const unsupported = [
    'syncState',
    'includeDeleting',
    'includeRemoved',
    'hasSyncErrors',
    'orderBy',
    'search',
    'campaign',
    'zone',
    'advertisement',
  ];
  const defaults: Record<string, unknown> = { syncState: 'ALL', includeDeleting: false, includeRemoved: true };
  for (const name of unsupported) {
    if (args[name] != null && args[name] !== defaults[name]) throw new GraphQLError(`the floor server does not filter by ${name}`);
  }
}

type Args = PageArgs & { networkId: number } & Record<string, unknown>;

const topList = (name: keyof typeof LISTS) => (_root: unknown, args: Args) => {
  defaultsOnly(args);
  return LISTS[name](args.networkId, args);
};

/** localEntities' connections page within the network the root field found. */
const localList = (name: keyof typeof LOCAL) => (summary: { network: number }, args: PageArgs) => LOCAL[name](summary.network, args);

const supported = new Set(Object.values(await floorQueries()));

/** Only the operations whose answers query-floor checks against the project's. */
const onlyBenchmarkOperations: Plugin = {
  onParams({ params, setResult }) {
    if (!params.query || !supported.has(params.query)) {
      setResult({ errors: [new GraphQLError('the floor server answers only the benchmark operations')] });
    }
  },
};

/** The answer's keys as the project's server writes them (see LATE). */
const inProjectKeyOrder: Plugin = {
  onExecute: ({ executeFn, setExecuteFn }) => {
    setExecuteFn((args) => executeFn({ ...args, document: inCompletionOrder(args.document) }));
    return {
      onExecuteDone: ({ result, setResult }) => {
        if (!('data' in result) || !result.data) return;
        setResult({ ...result, data: connectionOrder(result.data, false).value as Record<string, unknown> });
      },
    };
  },
};

const yoga = createYoga({
  schema: createSchema({
    typeDefs: readFileSync(path.join(ROOT, 'schema.graphql'), 'utf8'),
    resolvers: {
      Query: {
        // The placement page (operation PlacementPage) selects more of each parent than the dashboard's list.
        placements: (root: unknown, args: Args, _ctx: unknown, info: { operation: { name?: { value: string } } }) =>
          topList(info.operation.name?.value === 'PlacementPage' ? 'placementPage' : 'placements')(root, args),
        advertisers: topList('advertisers'),
        zones: topList('zones'),
        campaigns: topList('campaigns'),
        localEntities: (_root: unknown, { networkId }: { networkId: number }) => {
          const [row] = localTotal({ network: networkId });
          if (row!.networkId === null) throw new GraphQLError(`No network with Broadstreet id ${networkId}`);
          return { network: networkId, total: row!.n };
        },
      },
      LocalEntitiesSummary: {
        advertisers: localList('advertisers'),
        zones: localList('zones'),
        campaigns: localList('campaigns'),
        placements: localList('placements'),
      },
    },
  }),
  plugins: [onlyBenchmarkOperations, inProjectKeyOrder],
  logging: false,
  landingPage: false,
  graphiql: false,
});
const server = createServer(yoga);
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const { port } = server.address() as AddressInfo;

let stopProfile: (() => Promise<ProfileSummary>) | undefined;

serveParent(
  { url: `http://127.0.0.1:${port}` },
  {
    /** CPU-profiles this server between the two calls (where the floor's own time goes). */
    profileStart: async (label: string) => {
      stopProfile = await startProfile(label);
    },
    profileStop: async () => formatSummary(await stopProfile!()),
    /** CPU time this process has used, in ms (user + system), for CPU per request. */
    cpuMs: () => {
      const { user, system } = process.cpuUsage();
      return (user + system) / 1000;
    },
  },
  async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    sqlite.close();
  },
);
