/**
 * The schedule loop of a long-running process: every tick it plans against the current config and
 * enqueues what is due. Only objects whose job kind has a handler are scheduled, so a runtime never
 * fills a queue nobody consumes. Suspended objects are left out, as Flux does.
 */
import { createHash } from 'node:crypto';
import type { ConfigSet, FluxObject } from '../config/index.ts';
import { isSuspended, objectKey, reconcileIntervalMs } from '../config/index.ts';
import type { Logger } from '../observe/logger.ts';
import type { JobEnqueuer } from './enqueuer.ts';
import type { JobKind } from './job.ts';
import type { Schedulable, ScheduleEntry, ScheduleOptions } from './schedule.ts';
import { planSchedule } from './schedule.ts';
import { jobForObject, scheduledJobKind } from './targets.ts';

export interface SchedulerOptions extends ScheduleOptions {
  config: () => ConfigSet;
  enqueuer: JobEnqueuer;
  /** Job kinds that have a consumer in this runtime. */
  kinds: ReadonlySet<JobKind>;
  log: Logger;
  tickMs?: number;
  now?: () => number;
  /** The entries an earlier tick left (see `entries`), for a caller that keeps them elsewhere. */
  entries?: ReadonlyMap<string, ScheduleEntry>;
}

export class Scheduler {
  readonly #options: SchedulerOptions;
  #entries = new Map<string, ScheduleEntry>();
  #timer: NodeJS.Timeout | undefined;
  #ticking: Promise<unknown> = Promise.resolve();

  constructor(options: SchedulerOptions) {
    this.#options = options;
    this.#entries = new Map(options.entries ?? []);
  }

  /** When each object is due next: a stateless caller (a scheduled function) stores them between ticks. */
  get entries(): ReadonlyMap<string, ScheduleEntry> {
    return this.#entries;
  }

  /** Enqueues every job due now; returns the keys of the objects enqueued. */
  async tick(): Promise<string[]> {
    const { config, enqueuer, log } = this.#options;
    const now = (this.#options.now ?? Date.now)();
    const byKey = new Map<string, FluxObject>();
    const schedulable: Schedulable[] = [];
    for (const object of config().all()) {
      const kind = scheduledJobKind(object);
      const intervalMs = reconcileIntervalMs(object);
      if (!kind || !this.#options.kinds.has(kind) || intervalMs === undefined || isSuspended(object))
        continue;
      const key = objectKey(object);
      byKey.set(key, object);
      schedulable.push({ key, intervalMs, fingerprint: fingerprint(object) });
    }
    const plan = planSchedule(schedulable, this.#entries, now, this.#options);
    this.#entries = plan.entries;
    for (const key of plan.due) {
      const job = jobForObject(byKey.get(key) as FluxObject, config());
      if (!job) continue;
      try {
        await enqueuer.enqueue(job, { salt: `schedule:${now}` });
      } catch (error) {
        // The next tick retries: forget the entry so that it is due again at once.
        this.#entries.delete(key);
        log.warn({ err: error, object: key }, 'scheduled job could not be enqueued');
      }
    }
    if (plan.due.length > 0) log.debug({ objects: plan.due }, 'scheduled reconciles enqueued');
    return plan.due;
  }

  start(): void {
    const loop = () => {
      this.#ticking = this.tick().catch((error) =>
        this.#options.log.error({ err: error }, 'schedule tick failed'),
      );
      this.#ticking.finally(() => {
        if (this.#timer) this.#timer = setTimeout(loop, this.#options.tickMs ?? 1_000);
      });
    };
    this.#timer = setTimeout(loop, 0);
  }

  async stop(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#ticking;
  }
}

/** Changes when anything the user wrote about the object changes; status never feeds into it. */
function fingerprint(object: FluxObject): string {
  const { metadata } = object;
  const definition = {
    labels: metadata.labels,
    annotations: metadata.annotations,
    spec: 'spec' in object ? object.spec : undefined,
  };
  return createHash('sha256').update(JSON.stringify(definition)).digest('hex').slice(0, 16);
}
