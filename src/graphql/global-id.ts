// Relay ids without a promise each. plugin-relay's `t.globalID` (behind every
// Node's `id`) is an async function even when the id is at hand, so each of
// the ~250 ids of a placement page made its object, and every object above
// it, wait a microtask turn: the executor then builds the whole tree through
// promises (issue 18's profile). This replaces that one method with the same
// encoding, returned as it comes: synchronous for a synchronous id, a promise
// only for a promised one. Ids are encoded as plugin-relay encodes them when
// no `relay.encodeGlobalID` is configured (builder.ts configures none).
import { completeValue, RootFieldBuilder } from '@pothos/core';
import { encodeGlobalID } from '@pothos/plugin-relay';

type GlobalIDResult = { type: unknown; id: unknown } | string | number | null | undefined;
type Resolve = (parent: unknown, args: object, context: object, info: unknown) => GlobalIDResult | Promise<GlobalIDResult>;

const proto = RootFieldBuilder.prototype as unknown as {
  field(options: object): unknown;
  globalID(options: { resolve: Resolve }): unknown;
  builder: { configStore: { getTypeConfig(ref: unknown): { name: string } } };
};

proto.globalID = function globalID(this: typeof proto, { resolve, ...options }: { resolve: Resolve }) {
  return this.field({
    ...options,
    type: 'ID',
    resolve: (parent: unknown, args: object, context: object, info: unknown) =>
      completeValue(resolve(parent, args, context, info), (result) => {
        if (!result || typeof result !== 'object') return result;
        return encodeGlobalID(this.builder.configStore.getTypeConfig(result.type).name, String(result.id));
      }),
  });
};

/** The extension naming the one column a field reads of its parent row (read by src/graphql/parent-columns.ts). */
export const READS_COLUMN = 'broadsyncReadsColumn';

/**
 * The `id` option of every prismaNode: its global id encodes the row's `id`
 * column and nothing else, so a joined parent whose id is selected can still
 * be read for only the columns the operation selects on it.
 */
export const NODE_ID = { field: 'id', extensions: { [READS_COLUMN]: 'id' } } as const;
