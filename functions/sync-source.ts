/** The sync-source worker: SQS FIFO batch → resolve the GitRepository's ref, ask its Kustomizations to apply. */
import type { JobHandlers } from '../lib/jobs/run-job.ts';
import type { AwsRuntime } from '../lib/runtime/aws-runtime.ts';
import { sqsWorker } from './sqs-worker.ts';

export async function syncSourceHandlers(runtime: AwsRuntime): Promise<JobHandlers> {
  const { syncSourceHandler } = await import('../lib/jobs/sync-source.ts');
  return { 'sync-source': syncSourceHandler({ gitCacheDir: runtime.gitCacheDir }) };
}

export const handler = sqsWorker('sync-source', syncSourceHandlers);
