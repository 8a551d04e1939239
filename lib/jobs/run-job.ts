/**
 * Runs one job: finds the object it reconciles in the current config, hands it to the kind's
 * handler, and records the outcome as status and events in the two failure classes of DESIGN.md.
 * Handlers contain the domain work only; this is the one place that knows what a failure means.
 */
import type { ConfigSet } from '../config/index.ts';
import { isSuspended } from '../config/index.ts';
import { FerryError, failureClassOf, TerminalError } from '../errors.ts';
import type { Logger } from '../observe/logger.ts';
import type { StateStore } from '../state/state-store.ts';
import type { JobEnqueuer } from './enqueuer.ts';
import type { EventBus } from './event-bus.ts';
import type { Job, JobKind, JobOf } from './job.ts';
import { jobSubject } from './job.ts';
import type { StatusRecorder } from './status.ts';

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
) => Promise<JobResult | undefined>;
export type JobHandlers = { [K in JobKind]?: JobHandler<K> };

export type RunOutcome = 'done' | 'gone' | 'suspended';

export interface RunOptions {
  signal: AbortSignal;
  attempt: number;
  /** The attempt after which the queue gives up; a transient failure on it is final. */
  maxAttempts: number;
}

export async function runJob(
  job: Job,
  handlers: JobHandlers,
  deps: JobDeps,
  options: RunOptions,
): Promise<RunOutcome> {
  const subject = jobSubject(job);
  const log = deps.log.child({
    job: job.kind,
    object: `${subject.kind}/${subject.namespace}/${subject.name}`,
  });
  const object = deps.config().get(subject.kind, subject.namespace, subject.name);
  if (!object) {
    log.info('object is no longer in the config; job dropped');
    return 'gone';
  }
  if (isSuspended(object)) {
    log.info('object is suspended; job skipped');
    return 'suspended';
  }
  const handler = handlers[job.kind] as JobHandler<JobKind> | undefined;
  if (!handler)
    throw new TerminalError(`no handler for ${job.kind} jobs`, { data: { reason: 'NotSupported' } });
  try {
    const result = await handler(job, { ...deps, log, signal: options.signal, attempt: options.attempt });
    if (result) {
      await deps.status.markReady(
        subject,
        result.reason ?? 'ReconciliationSucceeded',
        result.message,
        result.status,
      );
    }
    return 'done';
  } catch (error) {
    await recordFailure(job, error, deps, options, log);
    throw error;
  }
}

async function recordFailure(job: Job, error: unknown, deps: JobDeps, options: RunOptions, log: Logger) {
  const subject = jobSubject(job);
  const reason = reasonOf(error);
  const message = error instanceof Error ? error.message : String(error);
  const involved = { kind: subject.kind, namespace: subject.namespace, name: subject.name };
  // A failed delivery must not raise an event an Alert could match, or alerts would feed themselves.
  const emits = job.kind !== 'notify';
  if (failureClassOf(error) === 'terminal') {
    log.error({ err: error, reason }, 'job failed for good; object stalled');
    await deps.status.markStalled(subject, reason, message);
    if (emits) await deps.events.publish(deps.events.event(involved, 'error', reason, message));
  } else if (options.attempt >= options.maxAttempts) {
    log.error({ err: error, reason, attempt: options.attempt }, 'job failed on its last attempt');
    const final = `${message} (gave up after ${options.attempt} attempts)`;
    await deps.status.markFailed(subject, reason, final);
    if (emits) await deps.events.publish(deps.events.event(involved, 'error', reason, final));
  } else {
    log.warn({ err: error, reason, attempt: options.attempt }, 'job failed; it will be retried');
    await deps.status.markRetrying(subject, reason, message);
  }
}

/** Errors may name their Flux reason in `data.reason`; otherwise the generic one. */
function reasonOf(error: unknown): string {
  const reason = error instanceof FerryError ? error.data.reason : undefined;
  return typeof reason === 'string' ? reason : 'ReconciliationFailed';
}
