/** The sync-source worker: SQS FIFO batch → resolve the GitRepository's ref, ask its Kustomizations to apply. */
import type { JobHandlers } from '../lib/jobs/run-job.ts';
import { syncSourceHandler } from '../lib/jobs/sync-source.ts';
import type { AwsRuntime } from '../lib/runtime/aws-runtime.ts';
import { sqsWorker } from './sqs-worker.ts';

export const syncSourceHandlers = (runtime: AwsRuntime): JobHandlers => ({
  'sync-source': syncSourceHandler({ gitCacheDir: runtime.gitCacheDir }),
});

export const handler = sqsWorker('sync-source', syncSourceHandlers);
