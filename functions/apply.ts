/**
 * The apply worker: SQS FIFO batch (one group per Kustomization) → build, server-side apply, prune,
 * health. Its handler is the one defaultJobHandlers builds, with cluster connections that sign EKS
 * tokens with the function's role instead of running `aws eks get-token`. Before a batch it prunes
 * the Kustomizations the config removed (see lib/aws/removed-kustomizations.ts).
 */
import type { Job } from '../lib/jobs/job.ts';
import type { AwsRuntime } from '../lib/runtime/aws-runtime.ts';
import type { WorkerParts } from './sqs-worker.ts';
import { sqsWorker } from './sqs-worker.ts';

export async function applyHandlers(runtime: AwsRuntime): Promise<WorkerParts> {
  const [
    { defaultProvider },
    { EksClusterConnections },
    { RegistryClient },
    { defaultJobHandlers },
    { pruneOrphanInventories },
    { notePruneFailed, removalKey, removalsIn },
  ] = await Promise.all([
    import('../lib/aws/environment-credentials.ts'),
    import('../lib/aws/eks-cluster-connections.ts'),
    import('../lib/registry/registry-client.ts'),
    import('../lib/runtime/job-handlers.ts'),
    import('../lib/jobs/orphan-inventories.ts'),
    import('../lib/aws/removed-kustomizations.ts'),
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
  const { state, events, log } = runtime;

  async function beforeBatch(jobs: readonly Job[]): Promise<void> {
    const config = runtime.config();
    for (const { namespace, name, note } of await removalsIn(state, config, jobs)) {
      const previous = await runtime.configRepository.configAt(note.revision);
      await pruneOrphanInventories({ config, previous, state, clusters, events, log });
      if (await state.get(`inventory/${namespace}/${name}`))
        await notePruneFailed(state, namespace, name, note, Date.now());
      else await state.delete(removalKey(namespace, name));
    }
  }

  return { handlers: { apply: all.apply }, beforeBatch };
}

export const handler = sqsWorker('apply', applyHandlers);
