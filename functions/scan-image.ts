/** The scan-image worker: SQS FIFO batch → scan, confirm hints, evaluate policies. */

import { imageAutomationHandlers } from '../lib/jobs/image-handlers.ts';
import type { JobHandlers } from '../lib/jobs/run-job.ts';
import { EcrTokenSource } from '../lib/registry/ecr-token-source.ts';
import { RegistryClient } from '../lib/registry/registry-client.ts';
import type { AwsRuntime } from '../lib/runtime/aws-runtime.ts';
import { sqsWorker } from './sqs-worker.ts';

export const scanImageHandlers = (runtime: AwsRuntime): JobHandlers => {
  const { 'scan-image': scan } = imageAutomationHandlers({
    registry: new RegistryClient({ logger: runtime.log }),
    ecr: new EcrTokenSource(),
    gitCacheDir: runtime.gitCacheDir,
  });
  return { 'scan-image': scan };
};

export const handler = sqsWorker('scan-image', scanImageHandlers);
