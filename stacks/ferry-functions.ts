/**
 * The functions of the deployment, one bundle per file in functions/, and the queues each one may
 * send to (the contract with functions/: triggers enqueue the four reconcile kinds, workers
 * enqueue anything and dead-letter their own).
 */
import type { JobKind } from '../lib/jobs/job.ts';

/** A record, not a list, so that a job kind added to lib/jobs fails to compile until it is deployed. */
const DEPLOYED_KINDS: Record<JobKind, true> = {
  'scan-image': true,
  update: true,
  'sync-source': true,
  apply: true,
  notify: true,
};

/** The job kinds, each with its FIFO queue, dead-letter queue and worker function. */
export const JOB_KINDS = Object.keys(DEPLOYED_KINDS) as JobKind[];

export type TriggerName = 'http' | 'schedule' | 'ecr-push';
export type FerryFunctionName = TriggerName | JobKind;

/** The kinds a trigger (webhook, schedule, ECR push) starts. */
export const TRIGGER_SENDS: readonly JobKind[] = ['scan-image', 'update', 'sync-source', 'apply'];

/** The handler of a function, as SST resolves it from the project root. */
export function handlerOf(name: FerryFunctionName): string {
  return `functions/${name}.handler`;
}

/** `scan-image` → `SCAN_IMAGE`, as the queue environment variables spell a kind. */
export function envKindOf(kind: JobKind): string {
  return kind.toUpperCase().replaceAll('-', '_');
}
