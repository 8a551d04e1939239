/**
 * Sends jobs to their queue: one queue per job kind (as on AWS, where each kind has its own SQS
 * FIFO queue and consumer), the FIFO group from the job unless the caller knows better.
 */
import type { JobQueue, JobQueueFactory } from '../queue/job-queue.ts';
import type { Job, JobKind } from './job.ts';
import { dedupeIdOf, defaultGroup } from './job.ts';

export interface EnqueueOptions {
  /** Overrides the default group (the update job groups by repository and branch). */
  group?: string;
  /**
   * Mixed into the deduplication id. Without it, identical jobs within five minutes run once;
   * a schedule tick or a webhook delivery id passes a salt so that its request is not swallowed.
   */
  salt?: string;
  delaySeconds?: number;
}

export class JobEnqueuer {
  readonly #queues: JobQueueFactory;
  readonly #open = new Map<JobKind, JobQueue<Job>>();
  readonly #groupOf: (job: Job) => string | undefined;

  /** `groupOf` overrides the default group where it knows better (update jobs: repository and branch). */
  constructor(queues: JobQueueFactory, groupOf: (job: Job) => string | undefined = () => undefined) {
    this.#queues = queues;
    this.#groupOf = groupOf;
  }

  queue(kind: JobKind): JobQueue<Job> {
    let queue = this.#open.get(kind);
    if (!queue) {
      queue = this.#queues.open<Job>(kind);
      this.#open.set(kind, queue);
    }
    return queue;
  }

  async enqueue(job: Job, options: EnqueueOptions = {}): Promise<{ id: string }> {
    return await this.queue(job.kind).send(job, {
      group: options.group ?? this.#groupOf(job) ?? defaultGroup(job),
      dedupeId: dedupeIdOf(job, options.salt),
      ...(options.delaySeconds ? { delaySeconds: options.delaySeconds } : {}),
    });
  }
}
