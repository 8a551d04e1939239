/**
 * The job kinds of DESIGN.md's data flow. A job names the objects it works on, never their content:
 * the worker reads current config and state when it runs, so a retried job acts on fresh data.
 */
import { createHash } from 'node:crypto';
import type { FluxEvent } from './event.ts';

export interface Ref {
  namespace: string;
  name: string;
}

/**
 * One scan per image, not per ImageRepository: a push of `team/app` refreshes every ImageRepository
 * of that image and every v1 automated workload that runs it in one job, so that one push yields
 * one evaluation of the policies and one commit.
 */
export interface ScanImageJob {
  kind: 'scan-image';
  /** The canonical image name (`docker.io/library/nginx`). */
  image: string;
  /** A tag a registry webhook says was pushed; confirmed with one manifest HEAD before it counts. */
  hintTag?: string;
}

export interface UpdateJob {
  kind: 'update';
  automation: Ref;
}

export interface SyncSourceJob {
  kind: 'sync-source';
  gitRepository: Ref;
  /** A pushed revision from a webhook; a hint only, the branch is fetched. */
  revision?: string;
}

export interface ApplyJob {
  kind: 'apply';
  kustomization: Ref;
  revision?: string;
}

export interface NotifyJob {
  kind: 'notify';
  provider: Ref;
  alert: Ref;
  event: FluxEvent;
  /** How many times the receiver has answered 429 to this notification so far. */
  rateLimited?: number;
}

export type Job = ScanImageJob | UpdateJob | SyncSourceJob | ApplyJob | NotifyJob;
export type JobKind = Job['kind'];
export type JobOf<K extends JobKind> = Extract<Job, { kind: K }>;

/** The Flux kinds a job can reconcile. */
export type JobObjectKind =
  | 'ImageRepository'
  | 'ImageUpdateAutomation'
  | 'GitRepository'
  | 'Kustomization'
  | 'Provider';

/** The Flux kind each job reconciles, for status and events. */
export const JOB_OBJECT_KIND: Record<JobKind, JobObjectKind> = {
  'scan-image': 'ImageRepository',
  update: 'ImageUpdateAutomation',
  'sync-source': 'GitRepository',
  apply: 'Kustomization',
  notify: 'Provider',
};

/**
 * The object a job reconciles: the one whose status and events its outcome lands on. A scan has
 * none of its own: it lands on every ImageRepository of its image (see jobSubjects).
 */
export function jobSubject(job: Exclude<Job, ScanImageJob>): { kind: JobObjectKind } & Ref {
  const kind = JOB_OBJECT_KIND[job.kind];
  switch (job.kind) {
    case 'update':
      return { kind, ...job.automation };
    case 'sync-source':
      return { kind, ...job.gitRepository };
    case 'apply':
      return { kind, ...job.kustomization };
    case 'notify':
      return { kind, ...job.provider };
  }
}

/**
 * The FIFO group of a job: jobs of one group run one at a time, in order. One group per object
 * reconciled (per image for scans), so that two applies of one Kustomization never race while
 * different ones run in parallel. (The update job's group is per repository and branch; its
 * orchestrator supplies it.)
 */
export function defaultGroup(job: Job): string {
  if (job.kind === 'scan-image') return `image/${job.image}`;
  const s = jobSubject(job);
  return `${s.kind}/${s.namespace}/${s.name}`;
}

/**
 * Identical work asked for twice within the queue's deduplication window runs once: a burst of
 * webhooks for one push becomes one job. The id hashes the job's whole body plus a caller-chosen
 * salt (a delivery id, a schedule tick) where repeats are wanted.
 */
export function dedupeIdOf(job: Job, salt = ''): string {
  return createHash('sha256').update(JSON.stringify(job)).update('\0').update(salt).digest('hex');
}
