// The scale-out scheduler: each enabled schedule is a BullMQ job scheduler
// (upsertJobScheduler) on the runs' Redis, so each tick is one job, processed
// by one instance. The tick's due time is the job's slot (its id ends with
// it); the tick row's unique (schedule, due time) guards it once more. A
// stopped cluster leaves one delayed job per schedule, which the first worker
// back processes once: missed ticks coalesce into one run. Automatic retries
// are taken from the database by a conditional update, polled here.
import { Queue, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { SyncSchedule } from '../generated/prisma/client.ts';
import { startDueRetries } from '../sync/auto-retry.ts';
import { intervalMs } from '../sync/schedules/cadence.ts';
import { coalescedNote } from '../sync/schedules/due.ts';
import { fireTick } from '../sync/schedules/ticks.ts';
import type { ScheduleTimer, Services } from '../sync/services.ts';
import { closeBullMQ, connectRedis } from './redis.ts';

export const SCHEDULE_QUEUE = 'broadsync-schedules';
const RETRY_POLL_MS = 2_000;

interface TickJob {
  scheduleId: number;
}

export interface QueueSchedulerOptions {
  redisUrl: string;
  /** Process ticks here (false: only keep the job schedulers current). */
  work: boolean;
}

export const schedulerKey = (scheduleId: number) => `schedule-${scheduleId}`;

export class QueueScheduler implements ScheduleTimer {
  private readonly queue: Queue<TickJob>;
  private readonly queueConnection: Redis;
  private worker: { worker: Worker<TickJob>; connection: Redis } | undefined;
  private poller: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly pending = new Set<Promise<unknown>>();

  constructor(
    private readonly services: Services,
    private readonly options: QueueSchedulerOptions,
  ) {
    this.queueConnection = connectRedis(options.redisUrl, 'schedules', services.logger, { maxRetriesPerRequest: null });
    this.queue = new Queue<TickJob>(SCHEDULE_QUEUE, {
      connection: this.queueConnection,
      defaultJobOptions: { removeOnComplete: true, removeOnFail: 100 },
    });
    this.queue.on('error', () => {});
  }

  async start(): Promise<void> {
    // In the background: a Redis that is away must not keep the server from starting (its connection retries).
    this.track(this.syncAll().catch((error: Error) => this.warn('job schedulers not synced with the schedules', error)));
    if (!this.options.work) return;
    const connection = connectRedis(this.options.redisUrl, 'schedule-worker', this.services.logger, { maxRetriesPerRequest: null });
    const worker = new Worker<TickJob>(SCHEDULE_QUEUE, (job) => this.process(job), { connection, concurrency: 4 });
    worker.on('error', () => {});
    this.worker = { worker, connection };
    this.poller = setInterval(() => {
      this.track(startDueRetries(this.services).catch((error: Error) => this.warn('automatic retries not started', error)));
    }, RETRY_POLL_MS);
    this.poller.unref();
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearInterval(this.poller);
    if (this.worker) await closeBullMQ(this.worker.worker, this.worker.connection);
    // Work waiting on a Redis that is away is given up: the next start syncs every schedule again.
    await Promise.race([Promise.allSettled([...this.pending]), new Promise((resolve) => setTimeout(resolve, 2_000).unref())]);
    await closeBullMQ(this.queue, this.queueConnection);
  }

  changed(scheduleId?: number): void {
    if (this.stopped || scheduleId == null) return;
    this.track(this.syncOne(scheduleId).catch((error: Error) => this.warn('job scheduler not updated', error)));
  }

  /** Brings the job scheduler of one schedule in line with its row (and resolves when it is). */
  async syncOne(scheduleId: number): Promise<void> {
    const schedule = await this.services.db.syncSchedule.findUnique({ where: { id: scheduleId } });
    if (!schedule?.enabled) {
      await this.queue.removeJobScheduler(schedulerKey(scheduleId));
      return;
    }
    await this.ensure(schedule);
  }

  private async syncAll(): Promise<void> {
    const schedules = await this.services.db.syncSchedule.findMany();
    const wanted = new Set(schedules.filter((s) => s.enabled).map((s) => schedulerKey(s.id)));
    for (const existing of await this.queue.getJobSchedulers(0, -1)) {
      if (!wanted.has(existing.key)) await this.queue.removeJobScheduler(existing.key);
    }
    for (const schedule of schedules) if (schedule.enabled) await this.ensure(schedule);
  }

  /** Upserts a schedule's job scheduler unless one with the same cadence exists (keeping its pending tick). */
  private async ensure(schedule: SyncSchedule): Promise<void> {
    const key = schedulerKey(schedule.id);
    const every = intervalMs(schedule);
    const existing = await this.queue.getJobScheduler(key);
    const same =
      existing &&
      (every !== null
        ? existing.every === every
        : existing.pattern === schedule.cron && (existing.tz ?? 'UTC') === (schedule.timeZone ?? 'UTC'));
    if (!same) {
      const now = this.services.clock.now().getTime();
      const startDate = schedule.nextRunAt && schedule.nextRunAt.getTime() > now ? schedule.nextRunAt : undefined;
      const repeat = every !== null ? { every, startDate } : { pattern: schedule.cron!, tz: schedule.timeZone ?? 'UTC' };
      await this.queue.upsertJobScheduler(key, repeat, { name: 'tick', data: { scheduleId: schedule.id } });
    }
    await this.recordNext(schedule.id);
  }

  private async process(job: Job<TickJob>): Promise<void> {
    const { db, clock } = this.services;
    const dueAt = new Date(Number(/:(\d+)$/.exec(job.id ?? '')?.[1] ?? job.timestamp));
    const schedule = await db.syncSchedule.findUnique({ where: { id: job.data.scheduleId } });
    if (!schedule) return;
    const note = coalescedNote(schedule, dueAt, clock.now());
    await this.recordNext(schedule.id);
    await fireTick(this.services, schedule.id, dueAt, note);
  }

  /** Stores the job scheduler's next slot as the schedule's nextRunAt (what the status shows). */
  private async recordNext(scheduleId: number): Promise<void> {
    const next = (await this.queue.getJobScheduler(schedulerKey(scheduleId)))?.next;
    if (next)
      await this.services.db.syncSchedule.updateMany({ where: { id: scheduleId, enabled: true }, data: { nextRunAt: new Date(next) } });
  }

  private track(work: Promise<unknown>): void {
    this.pending.add(work);
    void work.finally(() => this.pending.delete(work));
  }

  private warn(what: string, error: Error): void {
    this.services.logger.warn({ err: { message: error.message } }, what);
  }
}
