/**
 * Prometheus metrics, one registry per runtime so that tests and two runtimes in one process never
 * share counters. Queue depth is read from the queues at scrape time rather than tracked, so it is
 * right even when another process (a CLI reconcile) changed the queue.
 */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

export type JobOutcome = 'ok' | 'terminal' | 'retry' | 'dead-letter' | 'requeue';

export interface QueueDepthSource {
  name: string;
  stats(): Promise<{ visible: number; inFlight: number; delayed: number; deadLetters: number }>;
}

export interface Metrics {
  registry: Registry;
  jobs: Counter<'kind' | 'outcome'>;
  jobDuration: Histogram<'kind' | 'outcome'>;
  webhooks: Counter<'type' | 'status'>;
  /** Adds queues whose depth is reported on each scrape. */
  watchQueues(queues: QueueDepthSource[]): void;
}

export function createMetrics(options: { defaultMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: 'ferry_' });
  const queues: QueueDepthSource[] = [];

  const jobs = new Counter({
    name: 'ferry_jobs_total',
    help: 'Jobs finished, by kind and outcome.',
    labelNames: ['kind', 'outcome'] as const,
    registers: [registry],
  });
  const jobDuration = new Histogram({
    name: 'ferry_job_duration_seconds',
    help: 'Time a job took from receipt to outcome, by kind and outcome.',
    labelNames: ['kind', 'outcome'] as const,
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
    registers: [registry],
  });
  const webhooks = new Counter({
    name: 'ferry_webhook_requests_total',
    help: 'Webhook requests, by receiver type and HTTP status.',
    labelNames: ['type', 'status'] as const,
    registers: [registry],
  });
  new Gauge({
    name: 'ferry_queue_depth',
    help: 'Messages in each job queue, by state.',
    labelNames: ['queue', 'state'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const queue of queues) {
        const s = await queue.stats();
        this.set({ queue: queue.name, state: 'visible' }, s.visible);
        this.set({ queue: queue.name, state: 'in_flight' }, s.inFlight);
        this.set({ queue: queue.name, state: 'delayed' }, s.delayed);
        this.set({ queue: queue.name, state: 'dead_letter' }, s.deadLetters);
      }
    },
  });

  return { registry, jobs, jobDuration, webhooks, watchQueues: (q) => queues.push(...q) };
}
