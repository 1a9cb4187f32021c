// RunProgress with its services passed in: a fake run store, an in-memory
// pub/sub, a fixed clock. Phase weights, a percentage that never goes back,
// ticks coalesced, and errors, phase changes and the final event never lost.
import { describe, expect, it } from 'vitest';
import type { AppPubSub } from '../../src/pubsub.ts';
import { createLogger } from '../../src/logger.ts';
import { createMemoryPubSub } from '../../src/pubsub.ts';
import { COALESCE_MS, RunProgress, type PhasePlan } from '../../src/sync/progress.ts';
import type { ProgressEvent } from '../../src/sync/types.ts';

function progressOver(plan: PhasePlan) {
  const stored: ProgressEvent[] = [];
  const published: ProgressEvent[] = [];
  const pubsub = createMemoryPubSub();
  const runs = {
    appendEvent: async (event: ProgressEvent) => {
      stored.push(event);
    },
  };
  const services = {
    runs,
    pubsub: {
      ...pubsub,
      publish: ((_t: 'sync:progress', _id: number, e: ProgressEvent) => void published.push(e)) as AppPubSub['publish'],
    },
    logger: createLogger('silent'),
    clock: { now: () => new Date('2026-12-01T12:00:00Z') },
  };
  const progress = new RunProgress(services, { id: 1, lastSeq: 1, percentage: 0, counts: {} }, plan);
  return { progress, stored, published };
}

const EXPORT_PLAN: PhasePlan = [
  ['VALIDATION', 5],
  ['ADVERTISERS', 20],
  ['ZONES', 20],
  ['CAMPAIGNS', 25],
  ['PLACEMENTS', 25],
  ['CLEANUP', 5],
];

describe('RunProgress', () => {
  it('weights each phase: entering a phase starts at the sum of the weights before it', async () => {
    const { progress, stored } = progressOver(EXPORT_PLAN);
    const at: number[] = [];
    for (const [phase] of EXPORT_PLAN) {
      await progress.enterPhase(phase, 10, `${phase}`);
      at.push(stored.at(-1)!.percentage);
    }
    expect(at).toEqual([0, 5, 25, 45, 70, 95]);
    await progress.enterPhase('CLEANUP', 4, 'cleanup');
    progress.advance(2);
    await progress.flush();
    expect(stored.at(-1)!.percentage).toBe(97);
  });

  it("stores every event before publishing it, in seq order from the run's last seq", async () => {
    const { progress, stored, published } = progressOver(EXPORT_PLAN);
    await progress.enterPhase('VALIDATION', 1, 'checking');
    await progress.enterPhase('ADVERTISERS', 1, 'advertisers');
    expect(stored.map((e) => e.seq)).toEqual([2, 3]);
    expect(published).toEqual(stored);
  });

  it('coalesces ticks: a thousand entities in one window make one event, with every count', async () => {
    const { progress, stored } = progressOver(EXPORT_PLAN);
    await progress.enterPhase('ADVERTISERS', 1000, 'exporting');
    const before = stored.length;
    for (let i = 0; i < 1000; i++) progress.record('ADVERTISER', 'created');
    await progress.flush();
    expect(stored.length - before).toBe(1);
    expect(stored.at(-1)!.current).toBe(1000);
    expect(progress.runCounts.ADVERTISER?.created).toBe(1000);
  });

  it('a coalesced tick is emitted on its own within the window', async () => {
    const { progress, stored } = progressOver(EXPORT_PLAN);
    await progress.enterPhase('ZONES', 10, 'zones');
    progress.record('ZONE', 'created', 'zone 1');
    await new Promise((r) => setTimeout(r, COALESCE_MS + 100));
    await progress.settled();
    expect(stored.at(-1)!.message).toBe('zone 1');
    expect(stored.at(-1)!.current).toBe(1);
  });

  it('never drops an error or a warning, and never moves the percentage back', async () => {
    const { progress, stored } = progressOver(EXPORT_PLAN);
    await progress.enterPhase('CAMPAIGNS', 2, 'campaigns');
    progress.advance(2);
    await progress.flush();
    const high = stored.at(-1)!.percentage;
    // Work discovered later grows the total: the fraction falls, the percentage holds.
    progress.addToTotal(100);
    for (let i = 0; i < 3; i++) {
      progress.error({
        code: 'NETWORK',
        message: `e${i}`,
        entityType: 'CAMPAIGN',
        mongoId: null,
        broadstreetId: null,
        retryable: true,
        attempt: 1,
        at: new Date(),
      });
      progress.warn(`w${i}`);
    }
    await progress.flush();
    const last = stored.at(-1)!;
    expect(last.percentage).toBe(high);
    expect(stored.flatMap((e) => e.errors.map((x) => x.message))).toEqual(['e0', 'e1', 'e2']);
    expect(stored.flatMap((e) => e.warnings)).toEqual(['w0', 'w1', 'w2']);
    const percentages = stored.map((e) => e.percentage);
    expect(percentages).toEqual([...percentages].sort((a, b) => a - b));
  });

  it('refuses a phase outside its plan or before the current one', async () => {
    const { progress } = progressOver(EXPORT_PLAN);
    await progress.enterPhase('ZONES', 0, 'zones');
    await expect(progress.enterPhase('ADVERTISERS', 0, 'back')).rejects.toThrow(/comes before ZONES/);
    await expect(progress.enterPhase('NETWORKS', 0, 'not an export phase')).rejects.toThrow(/not in this run's plan/);
  });

  it('a succeeding run ends at 100% in its last phase, with the final status', async () => {
    const { progress, stored } = progressOver(EXPORT_PLAN);
    await progress.enterPhase('ADVERTISERS', 4, 'advertisers');
    progress.record('ADVERTISER', 'created');
    const final = await progress.finish('SUCCEEDED', 'export finished: 1 created');
    expect(final).toMatchObject({ status: 'SUCCEEDED', percentage: 100, phase: 'CLEANUP', message: 'export finished: 1 created' });
    expect(stored.at(-1)).toBe(final);
  });
});
