/**
 * The sync-source worker: SQS FIFO batch → resolve the GitRepository's ref, ask its Kustomizations to
 * apply. A push to the config repository itself reloads the config here at once rather than at the
 * next minute's look at the branch.
 */
import type { Job } from '../lib/jobs/job.ts';
import { normaliseGitUrl } from '../lib/receivers/git-push.ts';
import type { AwsRuntime } from '../lib/runtime/aws-runtime.ts';
import type { WorkerParts } from './sqs-worker.ts';
import { sqsWorker } from './sqs-worker.ts';

export async function syncSourceHandlers(runtime: AwsRuntime): Promise<WorkerParts> {
  const { syncSourceHandler } = await import('../lib/jobs/sync-source.ts');
  return {
    handlers: { 'sync-source': syncSourceHandler({ gitCacheDir: runtime.gitCacheDir }) },
    beforeBatch: async (jobs) => {
      if (jobs.some((job) => isConfigRepository(job, runtime))) await runtime.load({ force: true });
    },
  };
}

function isConfigRepository(job: Job, runtime: AwsRuntime): boolean {
  if (job.kind !== 'sync-source') return false;
  const { namespace, name } = job.gitRepository;
  const url = runtime.config().get('GitRepository', namespace, name)?.spec.url;
  const config = normaliseGitUrl(runtime.env.configUrl);
  return url !== undefined && config !== undefined && normaliseGitUrl(url) === config;
}

export const handler = sqsWorker('sync-source', syncSourceHandlers);
