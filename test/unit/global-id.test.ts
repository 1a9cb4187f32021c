import { isObjectType, type GraphQLResolveInfo } from 'graphql';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { describe, expect, it } from 'vitest';
import { schema } from '../../src/graphql/schema.ts';

// A promise per Relay id made every object of a page, and every object above
// it, complete through promises (issue 18's placement-page profile).
describe('Relay ids', () => {
  const nodeTypes = Object.values(schema.getTypeMap()).filter(
    (type) => isObjectType(type) && type.getInterfaces().some((i) => i.name === 'Node'),
  );

  it('are on every entity type', () => {
    expect(nodeTypes.map((t) => t.name)).toEqual(expect.arrayContaining(['Advertiser', 'Zone', 'Campaign', 'Advertisement', 'Placement']));
  });

  it.each(nodeTypes.map((t) => [t.name, t] as const))('%s.id is encoded synchronously, as plugin-relay encodes it', (name, type) => {
    const field = isObjectType(type) ? type.getFields().id! : undefined;
    const info = { fieldName: 'id', parentType: type, returnType: field!.type, path: { key: 'id', prev: undefined } };
    const id = field!.resolve!({ id: 7 }, {}, {}, info as unknown as GraphQLResolveInfo);
    expect(id).toBe(encodeGlobalID(name, '7'));
  });
});
