// Issue 14 #13: startSync refuses what cannot be a run before making one, and
// an import's dry run is an official read-only preview.
import { describe, expect, it } from 'vitest';
import { db } from '../helpers/db.ts';
import { databaseSkipReason } from '../helpers/database.ts';
import { allCounts, syncEnvPerTest } from '../helpers/sync.ts';

const skip = databaseSkipReason();
const NETWORK = 85;

describe.skipIf(!!skip)('startSync input and the import preview', () => {
  const startEnv = syncEnvPerTest();

  it('refuses a network id that is not a positive integer, and leaves no run behind', async () => {
    const env = await startEnv({ size: 'tiny' });
    for (const networkId of [-5, 0]) {
      const refused = await env.startSync({ networkId, direction: 'IMPORT' });
      expect(refused).toMatchObject({ __typename: 'ValidationError', fieldErrors: [{ path: ['input', 'networkId'] }] });
    }
    expect(await db().syncRun.count()).toBe(0);
  });

  it('an import dry run previews creates and updates, and writes nothing', async () => {
    const env = await startEnv({ size: 'tiny' });
    const refused = await env.startSync({ networkId: NETWORK, direction: 'IMPORT', dryRun: true });
    expect(refused).toMatchObject({ __typename: 'NotFoundError', message: expect.stringMatching(/import it first/) });
    expect((await env.sync({ networkId: NETWORK, direction: 'IMPORT' })).run.status).toBe('SUCCEEDED');
    const renamed = env.emulator.store.advertisersOf(NETWORK)[0]!;
    const oldName = renamed.name;
    renamed.name = 'Renamed In Broadstreet';
    env.emulator.store.addZone({
      id: env.emulator.store.nextId('zone'),
      networkId: NETWORK,
      name: 'Brand New Zone',
      alias: null,
      selfServe: false,
      origin: 'api',
    });
    const zonesBefore = await db().zone.count();

    const { run, events } = await env.sync({ networkId: NETWORK, direction: 'IMPORT', dryRun: true });
    expect(run).toMatchObject({ status: 'SUCCEEDED', dryRun: true });
    // A dry run counts planned work, never work done.
    const counts = await allCounts(env, run.id);
    expect(counts.ADVERTISER).toMatchObject({ plannedUpdates: 1, updated: 0 });
    expect(counts.ZONE).toMatchObject({ plannedCreates: 1, created: 0 });
    const final = events.at(-1)!.message;
    expect(final).toMatch(/^dry run finished: .*1 to create.*1 to update/);
    for (const event of events) expect(event.message).not.toMatch(/\b(created|updated|new)\b/);
    expect((await db().advertiser.findFirstOrThrow({ where: { broadstreetId: renamed.id } })).name).toBe(oldName);
    expect(await db().zone.count()).toBe(zonesBefore);
  });
});
