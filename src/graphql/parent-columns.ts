// Which columns of a list's joined parents an operation reads. The lists'
// types are in plugin-prisma's include mode, so `include` names whole parent
// rows: the dashboard's placement list asks for `campaign { name }` and
// would read, and decode, every column of the campaign, its advertisement
// and its zone (dates, the JSON of base and conflict) for three names
// (issue 18). Where every field the operation selects on a parent is an
// exposed column (t.expose*) or a node's global id (NODE_ID), the hand-written JOIN (src/db/hot-reads.ts)
// reads only those columns and the id; anything else on it (a computed
// field, a relation not joined, a field this cannot follow) keeps the whole
// row. Fields are gathered by name across aliases, fragments and @skip /
// @include alike, so the set read is never smaller than what is served.
import {
  type FieldNode,
  getNamedType,
  type GraphQLObjectType,
  type GraphQLResolveInfo,
  isObjectType,
  Kind,
  type SelectionSetNode,
} from 'graphql';
import { type FindArgs, findPage, type HotModel, type ParentColumns } from '../db/hot-reads.ts';
import type { Context } from './context.ts';
import { READS_COLUMN } from './global-id.ts';

/** How deep under the list field its nodes are looked for: edges → node, or nodes. */
const NODE_DEPTH = 2;

/** findPage for a list resolver: the rows of `args`, each joined parent read only for the columns `info` selects on it. */
export function listPage<T>(ctx: Context, info: GraphQLResolveInfo, model: HotModel, args: FindArgs): Promise<T[]> {
  const typeName = `${model.charAt(0).toUpperCase()}${model.slice(1)}`;
  return findPage<T>(ctx.services.db, model, args, parentColumns(info, typeName, args.include));
}

/** The columns read of each parent in `include`, for the nodes of type `typeName` under the list field `info` resolves. */
export function parentColumns(info: GraphQLResolveInfo, typeName: string, include: unknown): ParentColumns | undefined {
  const type = info.schema.getType(typeName);
  if (!isObjectType(type) || !isRecord(include)) return undefined;
  const nodeSets: SelectionSetNode[] = [];
  const listType = getNamedType(info.returnType);
  if (listType === type) nodeSets.push(...setsOf(info.fieldNodes));
  else if (isObjectType(listType)) collectNodeSets(info, listType, type, setsOf(info.fieldNodes), NODE_DEPTH, nodeSets);
  return nodeSets.length === 0 ? undefined : plan(info, type, fieldsIn(info, nodeSets), include);
}

/** The columns of each parent in `include`, given the fields selected on `type` (null: some could not be followed). */
function plan(
  info: GraphQLResolveInfo,
  type: GraphQLObjectType,
  selected: FieldNode[] | null,
  include: Record<string, unknown>,
): ParentColumns {
  const out: ParentColumns = {};
  // A field that asks plugin-prisma for rows of its own (t.field with select or include) may read any parent: whole rows.
  const fields = type.getFields();
  if (selected?.some((f) => fields[f.name.value]?.extensions?.pothosPrismaSelect && !Object.hasOwn(include, f.name.value))) return out;
  for (const [relation, value] of Object.entries(include)) {
    if (value === undefined || value === false) continue;
    const parentType = getNamedType(fields[relation]?.type);
    if (!isObjectType(parentType) || selected === null) continue;
    // Another field of the same parent type (a second relation, or a field named otherwise) may read this row: whole row.
    if (selected.some((f) => f.name.value !== relation && getNamedType(fields[f.name.value]?.type) === parentType)) continue;
    const parentSets = selected.filter((f) => f.name.value === relation).flatMap((f) => (f.selectionSet ? [f.selectionSet] : []));
    if (parentSets.length === 0) continue;
    const nested = isRecord(value) && isRecord(value.include) ? value.include : {};
    const onParent = fieldsIn(info, parentSets);
    out[relation] = { columns: columnsOf(parentType, onParent, nested), parents: plan(info, parentType, onParent, nested) };
  }
  return out;
}

/** The exposed columns selected on `type` (with id), or null when any selected field is not one, nor a joined relation. */
function columnsOf(type: GraphQLObjectType, selected: FieldNode[] | null, include: Record<string, unknown>): string[] | null {
  if (selected === null) return null;
  const columns = new Set(['id']);
  const fields = type.getFields();
  for (const field of selected) {
    const name = field.name.value;
    if (name === '__typename') continue;
    const extensions = fields[name]?.extensions;
    const exposed = extensions?.pothosExposedField ?? extensions?.[READS_COLUMN];
    if (typeof exposed === 'string') columns.add(exposed);
    else if (!Object.hasOwn(include, name) || !include[name]) return null;
  }
  return [...columns];
}

/** The fields of `sets`, fragments followed (whatever their type condition: a superset); null for a fragment that is not there. */
function fieldsIn(info: GraphQLResolveInfo, sets: readonly SelectionSetNode[], depth = 0): FieldNode[] | null {
  if (depth > 10) return null;
  const out: FieldNode[] = [];
  for (const set of sets) {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        out.push(selection);
        continue;
      }
      const inner = selection.kind === Kind.INLINE_FRAGMENT ? selection.selectionSet : info.fragments[selection.name.value]?.selectionSet;
      const fields = inner ? fieldsIn(info, [inner], depth + 1) : null;
      if (fields === null) return null;
      out.push(...fields);
    }
  }
  return out;
}

/** The selection sets of the fields of type `nodeType` within `depth` levels of `sets` (a connection's edges.node or nodes). */
function collectNodeSets(
  info: GraphQLResolveInfo,
  type: GraphQLObjectType,
  nodeType: GraphQLObjectType,
  sets: readonly SelectionSetNode[],
  depth: number,
  out: SelectionSetNode[],
): void {
  for (const field of fieldsIn(info, sets) ?? []) {
    const fieldType = getNamedType(type.getFields()[field.name.value]?.type);
    if (!field.selectionSet || !isObjectType(fieldType)) continue;
    if (fieldType === nodeType) out.push(field.selectionSet);
    else if (depth > 1) collectNodeSets(info, fieldType, nodeType, [field.selectionSet], depth - 1, out);
  }
}

const setsOf = (nodes: readonly FieldNode[]) => nodes.flatMap((n) => (n.selectionSet ? [n.selectionSet] : []));

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
