import { db } from '../db/index.ts';
import { builder } from '../graphql/builder.ts';
import { SyncedEntity } from '../graphql/synced-entity.ts';

export const NetworkRef = builder.prismaNode('Network', {
  id: { field: 'id' },
  interfaces: [SyncedEntity],
  description: 'A Broadstreet network: imported, never created locally.',
  fields: (t) => ({
    name: t.exposeString('name'),
    groupId: t.exposeInt('groupId', { nullable: true }),
    webHomeUrl: t.exposeString('webHomeUrl', { nullable: true }),
    logoUrl: t.exposeString('logoUrl', { nullable: true }),
    valetActive: t.exposeBoolean('valetActive', { nullable: true }),
    path: t.exposeString('path', { nullable: true }),
    removedAt: t.expose('removedAt', { type: 'DateTime', nullable: true, description: 'Set when an import no longer found it in Broadstreet.' }),
  }),
});

builder.queryField('networks', (t) =>
  t.prismaField({
    type: [NetworkRef],
    description: 'Every network imported from Broadstreet, by name.',
    resolve: (query) => db().network.findMany({ ...query, orderBy: [{ name: 'asc' }, { id: 'asc' }] }),
  }),
);
