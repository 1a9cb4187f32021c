// Imports every type module, then builds the schema. Nothing else.
import './scalars.ts';
import './errors.ts';
import './enums.ts';
import './synced-entity.ts';
import '../network/network.schema.ts';
import '../advertiser/advertiser.schema.ts';
import '../advertiser/advertiser.mutations.ts';
import '../zone/zone.schema.ts';
import '../zone/zone.mutations.ts';
import '../advertisement/advertisement.schema.ts';
import '../campaign/campaign.schema.ts';
import '../campaign/campaign.mutations.ts';
import '../placement/placement.schema.ts';
import '../placement/placement.mutations.ts';
import '../bulk/bulk.schema.ts';
import '../network/network.mutations.ts';
import '../network/local-entities.schema.ts';
import '../sync/sync.schema.ts';
import '../sync/conflict.schema.ts';
import { builder } from './builder.ts';

builder.queryType({});
builder.mutationType({});
builder.subscriptionType({});

export const schema = builder.toSchema({ sortSchema: false });
