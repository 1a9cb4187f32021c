// The names API.md promises clients (the entity part), checked against the
// schema built from code: a rename or reshape fails here first.
import { isInputObjectType, isInterfaceType, isObjectType, isUnionType, type GraphQLField, type GraphQLInputField } from 'graphql';
import { expect, it } from 'vitest';
import { schema } from '../src/graphql/schema.ts';

/** `Type.field(args): type` as written in API.md. */
const CONTRACT = [
  'Query.node(id: ID!): Node',
  'Query.networks: [Network!]!',
  'Query.advertisers(networkId: Int!, syncState: SyncState = ALL, search: String, first: Int, after: String): AdvertiserConnection!',
  'Query.zones(networkId: Int!, syncState: SyncState = ALL, search: String, first: Int, after: String): ZoneConnection!',
  'Query.advertisements(networkId: Int!, advertiser: EntityRef, first: Int, after: String): AdvertisementConnection!',
  'Query.campaigns(networkId: Int!, advertiser: EntityRef, syncState: SyncState = ALL, first: Int, after: String): CampaignConnection!',
  'Query.placements(networkId: Int!, campaign: EntityRef, zone: EntityRef, syncState: SyncState = ALL, ' +
    'first: Int, after: String): PlacementConnection!',
  'Query.advertiser(ref: EntityRef!): Advertiser',
  'Query.zone(ref: EntityRef!): Zone',
  'Query.campaign(ref: EntityRef!): Campaign',
  'Query.advertisement(ref: EntityRef!): Advertisement',
  'Query.localEntities(networkId: Int!): LocalEntitiesSummary!',
  'Mutation.createAdvertiser(input: CreateAdvertiserInput!): CreateAdvertiserResult!',
  'Mutation.createZone(input: CreateZoneInput!): CreateZoneResult!',
  'Mutation.createCampaign(input: CreateCampaignInput!): CreateCampaignResult!',
  'Mutation.createPlacement(input: CreatePlacementInput!): CreatePlacementResult!',
  'EntityRef.broadstreetId: Int',
  'EntityRef.mongoId: String',
  'SyncedEntity.id: ID!',
  'SyncedEntity.mongoId: String!',
  'SyncedEntity.broadstreetId: Int',
  'SyncedEntity.createdLocally: Boolean!',
  'SyncedEntity.syncedAt: DateTime',
  'SyncedEntity.syncErrors: [EntitySyncError!]!',
  'Network.name: String!',
  'Advertiser.name: String!',
  'Advertiser.webHomeUrl: String',
  'Advertiser.notes: String',
  'Advertiser.network: Network!',
  'Advertiser.campaigns(first: Int, after: String): CampaignConnection!',
  'Zone.name: String!',
  'Zone.alias: String',
  'Zone.selfServe: Boolean!',
  'Zone.network: Network!',
  'Advertisement.name: String!',
  'Advertisement.type: String',
  'Advertisement.previewUrl: String',
  'Advertisement.advertiser: Advertiser!',
  'Campaign.name: String!',
  'Campaign.advertiser: Advertiser!',
  'Campaign.startDate: Date',
  'Campaign.endDate: Date',
  'Campaign.weight: Float',
  'Campaign.paused: Boolean',
  'Campaign.displayType: String',
  'Campaign.pacingType: String',
  'Campaign.impressionMaxType: String',
  'Campaign.notes: String',
  'Campaign.placements(first: Int, after: String): PlacementConnection!',
  'Placement.campaign: Campaign!',
  'Placement.advertisement: Advertisement!',
  'Placement.zone: Zone!',
  'Placement.restrictions: [String!]!',
  'CreateAdvertiserInput.networkId: Int!',
  'CreateAdvertiserInput.name: String!',
  'CreateAdvertiserInput.webHomeUrl: String',
  'CreateAdvertiserInput.notes: String',
  'CreateZoneInput.networkId: Int!',
  'CreateZoneInput.name: String!',
  'CreateZoneInput.alias: String',
  'CreateZoneInput.selfServe: Boolean',
  'CreateCampaignInput.advertiser: EntityRef!',
  'CreateCampaignInput.startDate: Date',
  'CreateCampaignInput.endDate: Date',
  'CreateCampaignInput.weight: Float',
  'CreatePlacementInput.campaign: EntityRef!',
  'CreatePlacementInput.advertisementId: Int!',
  'CreatePlacementInput.zone: EntityRef!',
  'CreatePlacementInput.restrictions: [String!]',
  'CreateAdvertiserPayload.advertiser: Advertiser!',
  'CreateZonePayload.zone: Zone!',
  'CreateCampaignPayload.campaign: Campaign!',
  'CreatePlacementPayload.placement: Placement!',
  'ValidationError.message: String!',
  'ValidationError.fieldErrors: [FieldError!]!',
  // API.md "Contract corrections".
  'Query.syncRuns(networkId: Int, first: Int, after: String): SyncRunConnection!',
  'SyncRun.items(first: Int, after: String): SyncItemConnection!',
  'SyncItem.outcome: SyncItemOutcome!',
  'NotFoundError.entityType: EntityType',
  'ReadOnlyError.entityType: EntityType',
  'Mutation.cancelSync(input: CancelSyncInput): CancelSyncResult!',
  'CancelSyncInput.runId: ID!',
];

/** Every type in the schema whose name ends in Connection: edges { cursor node }, pageInfo, totalCount: Int!. */
const CONNECTION_FIELDS = ['edges', 'pageInfo', 'totalCount: Int!'];

function describeField(field: GraphQLField<unknown, unknown> | GraphQLInputField, withArgs: string[]): string {
  const args = 'args' in field ? field.args.filter((a) => withArgs.includes(a.name)) : [];
  const byOrder = args.sort((a, b) => withArgs.indexOf(a.name) - withArgs.indexOf(b.name));
  const list = byOrder.map((a) => `${a.name}: ${a.type}${a.defaultValue !== undefined ? ` = ${String(a.defaultValue)}` : ''}`);
  return `${list.length ? `(${list.join(', ')})` : ''}: ${field.type}`;
}

it.each(CONTRACT)('%s', (line) => {
  const match = /^(\w+)\.(\w+)(?:\((.*)\))?: (.+)$/.exec(line)!;
  const [, typeName, fieldName, args = ''] = match;
  const type = schema.getType(typeName!);
  expect(type, `type ${typeName}`).toBeDefined();
  if (!isObjectType(type) && !isInterfaceType(type) && !isInputObjectType(type)) throw new Error(`${typeName} has no fields`);
  const field = type.getFields()[fieldName!];
  expect(field, `${typeName}.${fieldName}`).toBeDefined();
  const argNames = args ? args.split(', ').map((a) => a.split(':')[0]!) : [];
  expect(`${typeName}.${fieldName}${describeField(field!, argNames)}`).toBe(line);
});

it('connections and their edges are named <Type>Connection and <Type>Edge', () => {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || !type.name.endsWith('Connection')) continue;
    const node = String(type.getFields().edges!.type).replace(/^\[(\w+)Edge!\]!$/, '$1');
    expect(type.name).toBe(`${node}Connection`);
    const edge = schema.getType(`${node}Edge`);
    expect(isObjectType(edge) && String(edge.getFields().node!.type), `${node}Edge`).toBe(`${node}!`);
  }
});

it('the deprecated cancelSync(runId:) is still there, marked deprecated', () => {
  const runId = schema
    .getMutationType()!
    .getFields()
    .cancelSync!.args.find((a) => a.name === 'runId');
  expect(runId?.deprecationReason).toMatch(/input/);
});

it('EntityRef is @oneOf', () => {
  const ref = schema.getType('EntityRef');
  expect(isInputObjectType(ref) && ref.isOneOf).toBe(true);
});

it('every entity type implements Node and SyncedEntity', () => {
  for (const name of ['Network', 'Advertiser', 'Zone', 'Advertisement', 'Campaign', 'Placement']) {
    const type = schema.getType(name);
    expect(isObjectType(type) && type.getInterfaces().map(String).sort()).toEqual(['Node', 'SyncedEntity']);
  }
});

it('every mutation result is a union of its payload and Error types', () => {
  for (const entity of ['Advertiser', 'Zone', 'Campaign', 'Placement']) {
    for (const verb of ['Create', 'Update', 'Delete']) {
      const union = schema.getType(`${verb}${entity}Result`);
      expect(isUnionType(union), `${verb}${entity}Result`).toBe(true);
      const members = isUnionType(union) ? union.getTypes().map(String) : [];
      expect(members).toContain(`${verb}${entity}Payload`);
      expect(members).toContain('ValidationError');
      expect(members).toContain('NotFoundError');
    }
  }
});

it('every connection has edges, pageInfo and totalCount: Int!', () => {
  const connections = Object.values(schema.getTypeMap()).filter((type) => isObjectType(type) && type.name.endsWith('Connection'));
  expect(connections.length).toBeGreaterThanOrEqual(5);
  for (const connection of connections) {
    if (!isObjectType(connection)) continue;
    const fields = connection.getFields();
    expect(
      CONNECTION_FIELDS.map((f) => (f.includes(':') ? `${f.split(':')[0]}: ${fields[f.split(':')[0]!]?.type}` : fields[f] && f)),
    ).toEqual(CONNECTION_FIELDS);
  }
});
