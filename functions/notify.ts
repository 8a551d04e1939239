/** The notify worker: SQS FIFO batch (one group per Provider) → deliver each event through its Alert. */
import type { JobHandlers } from '../lib/jobs/run-job.ts';
import type { AwsRuntime } from '../lib/runtime/aws-runtime.ts';
import { clusterJobHandlers } from './cluster-services.ts';
import { sqsWorker } from './sqs-worker.ts';

export const notifyHandlers = (runtime: AwsRuntime): JobHandlers => ({
  notify: clusterJobHandlers(runtime).notify,
});

export const handler = sqsWorker('notify', notifyHandlers);
