/**
 * Runs one job: finds the object it reconciles in the current config and hands it to the kind's
 * handler. Handlers contain the domain work only.
 */
import type { ConfigSet } from '../config/index.ts';
import { isSuspended } from '../config/index.ts';
import { TerminalError } from '../errors.ts';
import type { Logger } from '../observe/logger.ts';
import type { Requeue } from '../queue/requeue.ts';
import { isRequeue } from '../queue/requeue.ts';
import type { StateStore } from '../state/state-store.ts';
import type { JobEnqueuer } from './enqueuer.ts';
import type { EventBus } from './event-bus.ts';
import type { Job, JobKind, JobOf } from './job.ts';
import type { StatusRecorder } from './status.ts';
import { jobSubjects, subjectName } from './subjects.ts';

export interface JobDeps {
  /** The config in force now; it may change between two jobs. */
  config: () => ConfigSet;
  state: StateStore;
  status: StatusRecorder;
  events: EventBus;
  enqueuer: JobEnqueuer;
  log: Logger;
  now: () => Date;
}

export interface JobContext extends JobDeps {
  signal: AbortSignal;
  /** 1 on the first delivery. */
  attempt: number;
}

/** A handler's success: Ready=True with this reason and message, plus status fields to record. */
export interface JobResult {
  reason?: string;
  message: string;
  status?: Record<string, unknown>;
}

export type JobHandler<K extends JobKind> = (
  job: JobOf<K>,
  ctx: JobContext,
) => Promise<JobResult | Requeue<Job> | undefined>;
export type JobHandlers = { [K in JobKind]?: JobHandler<K> };

export interface RunOptions {
  signal: AbortSignal;
  attempt: number;
}

/**
 * Runs the job's handler on the object as it is in the config now, recording Ready on success.
 * A failure is thrown to the consumer, whose outcome hook records it (see outcome.ts); a requeue
 * (the handler waits on something) is handed back to the consumer as is.
 */
export async function runJob(
  job: Job,
  handlers: JobHandlers,
  deps: JobDeps,
  options: RunOptions,
): Promise<Requeue<Job> | undefined> {
  const config = deps.config();
  const subjects = jobSubjects(job, config);
  const log = deps.log.child({ job: job.kind, objects: subjects.map(subjectName) });
  // A scan may serve only v1 workloads, which live in git rather than the config: its handler decides.
  if (subjects.length === 0 && job.kind !== 'scan-image') {
    log.info('object is no longer in the config; job dropped');
    return undefined;
  }
  const objects = subjects.map((s) => config.get(s.kind, s.namespace, s.name));
  if (objects.length > 0 && objects.every((o) => o !== undefined && isSuspended(o))) {
    log.info('object is suspended; job skipped');
    return undefined;
  }
  const handler = handlers[job.kind] as JobHandler<JobKind> | undefined;
  if (!handler)
    throw new TerminalError(`no handler for ${job.kind} jobs`, { data: { reason: 'NotSupported' } });
  const result = await handler(job, { ...deps, log, signal: options.signal, attempt: options.attempt });
  if (isRequeue<Job>(result)) return result;
  if (result) {
    const reason = result.reason ?? 'ReconciliationSucceeded';
    for (const subject of subjects)
      await deps.status.markReady(subject, reason, result.message, result.status);
  }
  return undefined;
}
