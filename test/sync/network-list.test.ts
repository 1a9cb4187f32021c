// Issue 18: an import takes the network's own fields from the account's network
// list (GET /networks), read once per run with the network's other lists, and
// its group from the same list. GET /networks/{id} is read only when the list
// lacks the network or was refused, so a run fails for the precise reason.
import { describe, expect, it } from 'vitest';
import { databaseSkipReason } from '../helpers/database.ts';
import { networkRow } from '../helpers/local-entities.ts';
import { syncEnvPerTest } from '../helpers/sync.ts';

const skip = databaseSkipReason();

describe.skipIf(!!skip)('the network read from the network list', () => {
  const startEnv = syncEnvPerTest();

  it('one GET /networks gives the network its fields, also when they change in Broadstreet', async () => {
    const env = await startEnv();
    const [network] = [...env.emulator.store.networks.values()];
    env.emulator.stats.reset();
    const first = await env.sync({ networkId: network!.id, direction: 'IMPORT' });
    expect(first.run.status).toBe('SUCCEEDED');
    expect(env.emulator.stats.byEndpoint['GET /networks']).toBe(1);
    expect(env.emulator.stats.byEndpoint['GET /networks/{id}'] ?? 0).toBe(0);
    expect(await networkRow(network!.id)).toMatchObject({ name: network!.name, webHomeUrl: network!.webHomeUrl });

    network!.name = 'Renamed in Broadstreet';
    network!.webHomeUrl = 'https://renamed.example';
    env.emulator.stats.reset();
    const again = await env.sync({ networkId: network!.id, direction: 'IMPORT' });
    expect(again.run.status).toBe('SUCCEEDED');
    expect(env.emulator.stats.byEndpoint['GET /networks']).toBe(1);
    expect(await networkRow(network!.id)).toMatchObject({ name: 'Renamed in Broadstreet', webHomeUrl: 'https://renamed.example' });
  });

  it('a refused network list falls back to the network read on its own', async () => {
    const env = await startEnv();
    const [network] = [...env.emulator.store.networks.values()];
    env.emulator.faults.script({ kind: '5xx', status: 403, count: 1, endpoint: 'GET /networks' });
    env.emulator.stats.reset();
    const { run } = await env.sync({ networkId: network!.id, direction: 'IMPORT' });
    expect(run.status).toBe('SUCCEEDED');
    // The network on its own; without the list its group is unknown, so a zone a sister network shares is read on its
    // own too, and the network it names as well.
    expect(env.emulator.stats.byEndpoint).toMatchObject({ 'GET /networks': 1, 'GET /networks/{id}': 2, 'GET /zones/{id}': 1 });
    expect(await networkRow(network!.id)).toMatchObject({ name: network!.name });
  });

  it('a network the list does not name is read on its own, and its 403 or 404 fails the run precisely', async () => {
    const env = await startEnv();
    const [network] = [...env.emulator.store.networks.values()];
    env.emulator.core.forbid({ networkIds: [network!.id] });
    env.emulator.stats.reset();
    const refused = await env.sync({ networkId: network!.id, direction: 'IMPORT' });
    expect(refused.run.status).toBe('FAILED');
    expect(refused.run.failureReason).toBe(
      `the access token has no access to network ${network!.id} (GET /networks/${network!.id}: 403 while fetching network ${network!.id})`,
    );
    expect(env.emulator.stats.byEndpoint).toMatchObject({ 'GET /networks': 1, 'GET /networks/{id}': 1 });

    const unknown = await env.sync({ networkId: 9_999_123, direction: 'IMPORT' });
    expect(unknown.run.status).toBe('FAILED');
    expect(unknown.run.failureReason).toMatch(/network 9999123/);
    expect(unknown.run.failureReason).toMatch(/GET \/networks\/9999123/);
    expect(unknown.run.failureReason).toMatch(/404|not found/i);
  });
});
