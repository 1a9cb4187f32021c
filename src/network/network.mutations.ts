// relinkNetwork: the documented way to point a network at another Broadstreet
// API (the same account under a new URL). See "One Broadstreet per network".
import { builder } from '../graphql/builder.ts';
import { NotFoundError } from '../graphql/errors.ts';
import { relinkNetwork } from '../sync/network-origin.ts';
import { NetworkRef } from './network.schema.ts';

const RelinkNetworkInput = builder.inputType('RelinkNetworkInput', {
  fields: (t) => ({
    networkId: t.int({ required: true, description: 'The Broadstreet network id.' }),
  }),
});

builder.mutationField('relinkNetwork', (t) =>
  t.field({
    type: NetworkRef,
    description:
      "Forgets which Broadstreet API the network's rows came from; its next run records the one this " +
      'server is configured for. Only for the same Broadstreet account under another URL: ids of another ' +
      'account would name other entities.',
    args: { input: t.arg({ type: RelinkNetworkInput, required: true }) },
    errors: {
      types: [NotFoundError],
      union: { name: 'RelinkNetworkResult' },
      result: { name: 'RelinkNetworkPayload' },
      dataField: { name: 'network' },
    },
    resolve: async (_root, { input }, ctx) => {
      const network = await relinkNetwork(ctx.services.db, input.networkId);
      if (!network) throw new NotFoundError(`network ${input.networkId} is not in the local database`, 'NETWORK');
      return network;
    },
  }),
);
