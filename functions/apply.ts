/**
 * The apply worker: SQS FIFO batch (one group per Kustomization) → build, server-side apply, prune,
 * health. Its handler is the one defaultJobHandlers builds, with cluster connections that sign EKS
 * tokens with the function's role instead of running `aws eks get-token`.
 */
import type { JobHandlers } from '../lib/jobs/run-job.ts';
import type { AwsRuntime } from '../lib/runtime/aws-runtime.ts';
import { sqsWorker } from './sqs-worker.ts';

export async function applyHandlers(runtime: AwsRuntime): Promise<JobHandlers> {
  const [{ defaultProvider }, { EksClusterConnections }, { RegistryClient }, { defaultJobHandlers }] =
    await Promise.all([
      import('../lib/aws/environment-credentials.ts'),
      import('../lib/aws/eks-cluster-connections.ts'),
      import('../lib/registry/registry-client.ts'),
      import('../lib/runtime/job-handlers.ts'),
    ]);
  const clusters = new EksClusterConnections({
    region: process.env.AWS_REGION ?? 'us-east-1',
    credentials: defaultProvider(),
  });
  const all = defaultJobHandlers({
    registry: new RegistryClient({ logger: runtime.log }),
    gitCacheDir: runtime.gitCacheDir,
    clusters,
  });
  return { apply: all.apply };
}

export const handler = sqsWorker('apply', applyHandlers);
