/**
 * The job services of the workers that reach clusters (apply, and notify through the shared
 * handler set): defaultJobHandlers with EKS-aware cluster connections signed by the function's role.
 */
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { EksClusterConnections } from '../lib/aws/eks-cluster-connections.ts';
import type { JobHandlers } from '../lib/jobs/run-job.ts';
import { RegistryClient } from '../lib/registry/registry-client.ts';
import type { AwsRuntime } from '../lib/runtime/aws-runtime.ts';
import { defaultJobHandlers } from '../lib/runtime/job-handlers.ts';

export function clusterJobHandlers(runtime: AwsRuntime): JobHandlers {
  const clusters = new EksClusterConnections({
    region: process.env.AWS_REGION ?? 'us-east-1',
    credentials: fromNodeProviderChain(),
  });
  return defaultJobHandlers({
    registry: new RegistryClient({ logger: runtime.log }),
    gitCacheDir: runtime.gitCacheDir,
    clusters,
  });
}
