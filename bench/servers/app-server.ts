// Broadsync as its own process for the load and fan-out benchmarks, on the
// database the parent prepared. Besides serving, it can publish synthetic
// progress events (the last step of a run's progress path) and measure the
// in-process pub/sub baseline, stamping times on a clock both processes share.
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { useHotReads } from '../../src/db/hot-reads.ts';
import { createServices } from '../../src/services.ts';
import type { ProgressEvent } from '../../src/sync/types.ts';
import { serveParent } from '../lib/child.ts';
import { now } from '../lib/clock.ts';
import { formatSummary, startProfile, type ProfileSummary } from '../lib/profile.ts';

const services = await createServices(loadConfig({ ...process.env, PORT: '0' }));
const { db, pubsub } = services;
const app = buildApp(services);
const startedAt = performance.now();
const url = await app.start();
/** app.start(): services, the schema's warm-up, listening. */
const startMs = performance.now() - startedAt;

function event(runId: number, seq: number, last: boolean): ProgressEvent {
  return {
    seq,
    runId,
    status: last ? 'SUCCEEDED' : 'RUNNING',
    phase: 'PLACEMENTS',
    current: seq,
    total: seq,
    percentage: last ? 100 : 50,
    message: `event ${seq}`,
    errors: [],
    warnings: [],
    at: new Date(),
  };
}

/** Publishes events seq 2…count+1 at `rate` per second, the last one final; returns publish times by seq. */
async function publish({ runId, count, rate }: { runId: number; count: number; rate: number }): Promise<Record<number, number>> {
  const times: Record<number, number> = {};
  const start = now();
  for (let i = 0; i < count; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const seq = i + 2;
    times[seq] = now();
    pubsub.publish('sync:progress', runId, event(runId, seq, i === count - 1));
  }
  return times;
}

let stopProfile: (() => Promise<ProfileSummary>) | undefined;

serveParent(
  { url, startMs },
  {
    /** CPU-profiles this server between the two calls (where the time goes under load). */
    profileStart: async (label: string) => {
      stopProfile = await startProfile(label);
    },
    profileStop: async () => formatSummary(await stopProfile!()),
    /** Lets the hand-written list reads take what they can (true, the default) or sends every read to Prisma. */
    hotReads: (on: boolean) => useHotReads(on),
    /** CPU time this process has used, in ms (user + system), for CPU per request. */
    cpuMs: () => {
      const { user, system } = process.cpuUsage();
      return (user + system) / 1000;
    },
    /**
     * A run as an executing worker leaves it (RUNNING, one stored event, a
     * live owner), for subscribers to follow; owned, so no executor takes it.
     */
    createRun: async () => {
      const run = await db.syncRun.create({
        data: {
          networkId: 999_999,
          direction: 'IMPORT',
          entityTypes: [],
          status: 'RUNNING',
          counts: {},
          lastSeq: 1,
          startedAt: new Date(),
          owner: 'bench:0:synthetic',
          heartbeatAt: new Date(Date.now() + 3_600_000),
        },
      });
      await db.syncEvent.create({
        data: {
          runId: run.id,
          seq: 1,
          status: 'RUNNING',
          current: 0,
          total: 0,
          percentage: 0,
          message: 'started',
          errors: [],
          warnings: [],
        },
      });
      return run.id;
    },
    /** syncProgress streams being served, so the parent knows when every subscriber is listening. */
    subscriptions: () => services.feeds.activeFollowers(),
    publish,
    /** The in-process baseline: `subscribers` plain pub/sub subscribers, same events, same rate. */
    baseline: async ({ runId, subscribers, count, rate }: { runId: number; subscribers: number; count: number; rate: number }) => {
      const received: number[][] = [];
      const done = Array.from({ length: subscribers }, async () => {
        const times: number[] = [];
        received.push(times);
        for await (const e of pubsub.subscribe('sync:progress', runId)) {
          times[e.seq] = now();
          if (e.status !== 'RUNNING') break;
        }
      });
      const published = await publish({ runId, count, rate });
      await Promise.all(done);
      return { published, received };
    },
  },
  () => app.stop().then(() => services.close()),
);
