/**
 * One consumer per job kind that has a handler, each running jobs through `runJob`. The consumer
 * owns delivery (retries, backoff, dead-lettering), runJob the work, recordOutcome what a failure
 * means (status, events); this file only joins them and counts outcomes.
 */
import type { Metrics } from '../observe/metrics.ts';
import type { ConsumerOptions } from '../queue/consumer.ts';
import { startConsumer } from '../queue/consumer.ts';
import type { JobEnqueuer } from './enqueuer.ts';
import type { Job, JobKind } from './job.ts';
import { recordOutcome } from './outcome.ts';
import type { JobDeps, JobHandlers } from './run-job.ts';
import { runJob } from './run-job.ts';

export interface WorkersOptions {
  enqueuer: JobEnqueuer;
  handlers: JobHandlers;
  deps: JobDeps;
  metrics?: Metrics;
  /** Per-kind consumer settings; defaults suit a single local process. */
  consumer?: Partial<
    Pick<ConsumerOptions, 'concurrency' | 'visibilitySeconds' | 'maxReceives' | 'waitSeconds' | 'backoff'>
  >;
}

export interface Workers {
  kinds: ReadonlySet<JobKind>;
  /** Stops taking jobs, waits up to graceMs for running ones, releases the rest to the queue. */
  stop(graceMs: number): Promise<void>;
}

export function startWorkers(options: WorkersOptions): Workers {
  const { enqueuer, handlers, deps, metrics } = options;
  const maxReceives = options.consumer?.maxReceives ?? 5;
  const kinds = new Set(Object.keys(handlers) as JobKind[]);
  const consumers = [...kinds].map((kind) =>
    startConsumer<Job>(
      enqueuer.queue(kind),
      (job, { message, signal }) => runJob(job, handlers, deps, { signal, attempt: message.receiveCount }),
      {
        concurrency: 4,
        visibilitySeconds: 300,
        waitSeconds: 1,
        ...options.consumer,
        maxReceives,
        onOutcome: async ({ message, outcome, durationMs, error }) => {
          metrics?.jobs.inc({ kind, outcome });
          if (durationMs > 0) metrics?.jobDuration.observe({ kind, outcome }, durationMs / 1000);
          await recordOutcome({ job: message.body, outcome, attempt: message.receiveCount, error }, deps);
        },
        onError: (error) =>
          deps.log.warn({ err: error, queue: kind }, 'queue call failed; the message comes back'),
      },
    ),
  );
  return {
    kinds,
    async stop(graceMs) {
      await Promise.all(consumers.map((c) => c.stop(graceMs)));
    },
  };
}
