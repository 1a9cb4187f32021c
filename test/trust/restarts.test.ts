// Issue 14 #11: a run is failed for its restarts only when they pile up in a
// row without completing anything; a run that keeps moving is resumed however
// often its process was killed.
import { afterEach, describe, expect, it } from 'vitest';
import { db } from '../helpers/db.ts';
import { MAX_RUN_ATTEMPTS } from '../../src/sync/engine.ts';
import { databaseSkipReason } from '../helpers/database.ts';
import { localAdvertiser, networkRow } from '../helpers/local-entities.ts';
import { startSyncEnv, type SyncEnv } from '../helpers/sync.ts';

const skip = databaseSkipReason();
const NETWORK = 85;
const relayId = (id: number) => Buffer.from(`SyncRun:${id}`).toString('base64');

describe.skipIf(!!skip)('the restart limit', () => {
  let env: SyncEnv | undefined;
  afterEach(async () => {
    await env?.stop();
    env = undefined;
  });

  /** An export left RUNNING by a dead process after `attempts` executions, `stalled` of them in a row without progress. */
  async function abandonedExport(attempts: number, stalled: number) {
    env = await startSyncEnv({ size: 'tiny' });
    expect((await env.sync({ networkId: NETWORK, direction: 'IMPORT' })).run.status).toBe('SUCCEEDED');
    const network = await networkRow(NETWORK);
    for (let i = 0; i < 3; i++) await localAdvertiser(network.id, `Resumed Advertiser ${i}`);
    const run = await db().syncRun.create({
      data: {
        networkId: NETWORK,
        direction: 'EXPORT',
        entityTypes: ['ADVERTISER'],
        status: 'RUNNING',
        counts: { ADVERTISER: { created: attempts - stalled, updated: 0, unchanged: 0, failed: 0, skipped: 0 } },
        activeKey: String(NETWORK),
        lastSeq: 1,
        attempts,
        stalledAttempts: stalled,
        owner: null,
        startedAt: new Date(),
        events: { create: { seq: 1, status: 'QUEUED', current: 0, total: 0, percentage: 0, message: 'queued', errors: [], warnings: [] } },
      },
    });
    const events = env.follow(relayId(run.id));
    await env.server.services.executor.submit(run.id);
    await events;
    return env.run(relayId(run.id));
  }

  it(`resumes a run killed ${MAX_RUN_ATTEMPTS + 2} times when each execution completed something`, async () => {
    const run = await abandonedExport(MAX_RUN_ATTEMPTS + 2, 1);
    expect(run.status).toBe('SUCCEEDED');
    expect(env!.emulator.stats.created.advertiser).toBe(3);
  });

  it(`fails a run that stopped ${MAX_RUN_ATTEMPTS} times in a row without completing an entity, saying so`, async () => {
    const run = await abandonedExport(MAX_RUN_ATTEMPTS + 2, MAX_RUN_ATTEMPTS);
    expect(run.status).toBe('FAILED');
    expect(run.failureReason).toMatch(/stopped 10 times in a row without completing an entity/);
    expect(env!.emulator.stats.created.advertiser ?? 0).toBe(0);
  });
});
