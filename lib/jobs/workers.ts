/**
 * One consumer per job kind that has a handler, each running jobs through `runJob`. The consumer
 * owns delivery (retries, backoff, dead-lettering); runJob owns meaning (status, events); this file
 * only joins them and counts outcomes.
 */
import type { Metrics } from '../observe/metrics.ts';
import type { ConsumerOptions } from '../queue/consumer.ts';
import { startConsumer } from '../queue/consumer.ts';
import type { JobEnqueuer } from './enqueuer.ts';
import type { Job, JobKind } from './job.ts';
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
      async (job, { message, signal }) => {
        await runJob(job, handlers, deps, {
          signal,
          attempt: message.receiveCount,
          maxAttempts: maxReceives,
        });
      },
      {
        concurrency: 4,
        visibilitySeconds: 300,
        waitSeconds: 1,
        ...options.consumer,
        maxReceives,
        onOutcome: ({ outcome, durationMs }) => {
          metrics?.jobs.inc({ kind, outcome });
          metrics?.jobDuration.observe({ kind, outcome }, durationMs / 1000);
        },
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
