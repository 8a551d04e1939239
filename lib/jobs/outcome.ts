/**
 * What a failed job means for its object, in the two failure classes of DESIGN.md. Called from the
 * consumer's outcome hook, which runs before the message is acknowledged, retried or dead-lettered,
 * so the status and event are durable before the job leaves the queue.
 *
 * - terminal: Ready=False and Stalled=True with the error's reason, an error event.
 * - retry: Ready=False and Reconciling=True; no event, so a blip does not page anyone.
 * - dead-letter: Ready=False, an error event saying ferry gave up.
 */
import { FerryError } from '../errors.ts';
import type { Outcome } from '../queue/consumer.ts';
import type { Job } from './job.ts';
import type { JobDeps } from './run-job.ts';
import type { StatusSubject } from './status.ts';
import { jobSubjects, subjectName } from './subjects.ts';

export interface FailedOutcome {
  job: Job;
  outcome: Outcome;
  attempt: number;
  /** Absent when the job was dead-lettered without running (its consumers kept dying). */
  error?: unknown;
}

export async function recordOutcome(
  report: FailedOutcome,
  deps: Pick<JobDeps, 'status' | 'events' | 'log' | 'config'>,
): Promise<void> {
  const { job, outcome } = report;
  if (outcome !== 'terminal' && outcome !== 'retry' && outcome !== 'dead-letter') return;
  const subjects = jobSubjects(job, deps.config());
  if (subjects.length === 0) {
    deps.log.error(
      { job: job.kind, outcome, err: report.error },
      'job failed; no object in the config to record it on',
    );
  }
  for (const subject of subjects) await recordOn(subject, report, deps);
}

async function recordOn(
  subject: StatusSubject,
  report: FailedOutcome,
  deps: Pick<JobDeps, 'status' | 'events' | 'log'>,
): Promise<void> {
  const { job, outcome, attempt, error } = report;
  const log = deps.log.child({ job: job.kind, object: subjectName(subject) });
  const reason = reasonOf(error);
  const message =
    error === undefined
      ? `the job was received ${attempt} times without finishing`
      : error instanceof Error
        ? error.message
        : String(error);
  const involved = { kind: subject.kind, namespace: subject.namespace, name: subject.name };
  // A failed delivery must not raise an event an Alert could match, or alerts would feed themselves.
  const emits = job.kind !== 'notify';

  if (outcome === 'terminal') {
    log.error({ err: error, reason }, 'job failed for good; object stalled');
    await deps.status.markStalled(subject, reason, message);
    if (emits) await deps.events.publish(deps.events.event(involved, 'error', reason, message));
  } else if (outcome === 'retry') {
    log.warn({ err: error, reason, attempt }, 'job failed; it will be retried');
    await deps.status.markRetrying(subject, reason, message);
  } else {
    const final = `${message} (gave up after ${attempt} attempts)`;
    log.error({ err: error, reason, attempt }, 'job dead-lettered');
    await deps.status.markFailed(subject, reason, final);
    if (emits) await deps.events.publish(deps.events.event(involved, 'error', reason, final));
  }
}

/** Errors may name their Flux reason in `data.reason`; otherwise the generic one. */
function reasonOf(error: unknown): string {
  const reason = error instanceof FerryError ? error.data.reason : undefined;
  return typeof reason === 'string' ? reason : 'ReconciliationFailed';
}
