/** The scan-image worker: SQS FIFO batch → scan, confirm hints, evaluate policies. */
import type { JobHandlers } from '../lib/jobs/run-job.ts';
import type { AwsRuntime } from '../lib/runtime/aws-runtime.ts';
import { sqsWorker } from './sqs-worker.ts';

export async function scanImageHandlers(runtime: AwsRuntime): Promise<JobHandlers> {
  const [{ imageAutomationHandlers }, { EcrTokenSource }, { RegistryClient }] = await Promise.all([
    import('../lib/jobs/image-handlers.ts'),
    import('../lib/registry/ecr-token-source.ts'),
    import('../lib/registry/registry-client.ts'),
  ]);
  const { 'scan-image': scan } = imageAutomationHandlers({
    registry: new RegistryClient({ logger: runtime.log }),
    ecr: new EcrTokenSource(),
    gitCacheDir: runtime.gitCacheDir,
  });
  return { 'scan-image': scan };
}

export const handler = sqsWorker('scan-image', scanImageHandlers);
