// EntityRef: how a client names an entity wherever a parent or target is
// named. Exactly one id is enforced by GraphQL itself (@oneOf): naming both or
// neither is a request error, refused before anything runs.
import { broadstreetIdSchema, mongoIdSchema } from '../domain/rules.ts';
import { builder } from './builder.ts';

export const EntityRefInput = builder.inputType('EntityRef', {
  isOneOf: true,
  description: 'Name an entity by exactly one of its two ids.',
  fields: (t) => ({
    broadstreetId: t.int({ description: "Broadstreet's id of the entity.", validate: broadstreetIdSchema }),
    mongoId: t.string({ description: 'The 24-hex ObjectId made locally.', validate: mongoIdSchema }),
  }),
});
