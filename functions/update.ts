/** The update worker: SQS FIFO batch (one group per repository and branch) → setters, commit, push. */

import { imageAutomationHandlers } from '../lib/jobs/image-handlers.ts';
import type { JobHandlers } from '../lib/jobs/run-job.ts';
import { RegistryClient } from '../lib/registry/registry-client.ts';
import type { AwsRuntime } from '../lib/runtime/aws-runtime.ts';
import { sqsWorker } from './sqs-worker.ts';

export const updateHandlers = (runtime: AwsRuntime): JobHandlers => {
  const { update } = imageAutomationHandlers({
    registry: new RegistryClient({ logger: runtime.log }),
    gitCacheDir: runtime.gitCacheDir,
  });
  return { update };
};

export const handler = sqsWorker('update', updateHandlers);
