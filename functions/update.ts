/** The update worker: SQS FIFO batch (one group per repository and branch) → setters, commit, push. */
import type { JobHandlers } from '../lib/jobs/run-job.ts';
import type { AwsRuntime } from '../lib/runtime/aws-runtime.ts';
import { sqsWorker } from './sqs-worker.ts';

export async function updateHandlers(runtime: AwsRuntime): Promise<JobHandlers> {
  const [{ updateHandler }, { RegistryClient }] = await Promise.all([
    import('../lib/jobs/update.ts'),
    import('../lib/registry/registry-client.ts'),
  ]);
  return {
    update: updateHandler({
      registry: new RegistryClient({ logger: runtime.log }),
      gitCacheDir: runtime.gitCacheDir,
    }),
  };
}

export const handler = sqsWorker('update', updateHandlers);
