// Imports every type module, then builds the schema. Nothing else.
import './scalars.ts';
import './errors.ts';
import './enums.ts';
import './synced-entity.ts';
import '../network/network.schema.ts';
import '../advertiser/advertiser.schema.ts';
import '../advertiser/advertiser.mutations.ts';
import { builder } from './builder.ts';

builder.queryType({});
builder.mutationType({});

export const schema = builder.toSchema({ sortSchema: false });
