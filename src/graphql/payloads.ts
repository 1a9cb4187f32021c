// Shapes shared by the entity mutations' payloads.
import { encodeGlobalID } from '@pothos/plugin-relay';
import { builder } from './builder.ts';

/** What a mutation that wrote a row hands its payload: the row's local id, re-read with the client's selection. */
export interface WrittenRow {
  id: number;
}

export interface DeletedRow {
  id: number;
  mongoId: string;
}

/** `DeleteXPayload { deletedId mongoId }`: the ids of an entity that no longer exists. */
export function deletedPayload(name: string, typename: string) {
  return builder.objectRef<DeletedRow>(name).implement({
    fields: (t) => ({
      deletedId: t.id({ description: `The Relay id the ${typename} had.`, resolve: (row) => encodeGlobalID(typename, row.id) }),
      mongoId: t.exposeString('mongoId'),
    }),
  });
}
