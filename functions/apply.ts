/** The apply worker: SQS FIFO batch (one group per Kustomization) → build, server-side apply, prune, health. */
import type { JobHandlers } from '../lib/jobs/run-job.ts';
import type { AwsRuntime } from '../lib/runtime/aws-runtime.ts';
import { clusterJobHandlers } from './cluster-services.ts';
import { sqsWorker } from './sqs-worker.ts';

export const applyHandlers = (runtime: AwsRuntime): JobHandlers => ({
  apply: clusterJobHandlers(runtime).apply,
});

export const handler = sqsWorker('apply', applyHandlers);
