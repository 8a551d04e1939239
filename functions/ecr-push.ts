/**
 * The ECR push rule's target: an "ECR Image Action" event, delivered by EventBridge without HTTP,
 * becomes a scan of the pushed image with the tag as hint (confirmed by the scan before it counts).
 */
import type { EcrImageActionDetail } from '../lib/receivers/ecr.ts';
import type { RuntimeSource } from './function-runtime.ts';
import { functionRuntime } from './function-runtime.ts';
import type { EventBridgeEvent } from './lambda-events.ts';

export function ecrPushHandler(runtimeOf: RuntimeSource = functionRuntime) {
  return async (event: EventBridgeEvent<EcrImageActionDetail>): Promise<{ scans: string[] }> => {
    const [runtime, { ecrEventHints }, { scanJobsForHints }] = await Promise.all([
      runtimeOf(),
      import('../lib/receivers/ecr.ts'),
      import('../lib/receivers/image-hints.ts'),
    ]);
    const jobs = scanJobsForHints(ecrEventHints(event.detail, event.account, event.region));
    // A redelivered event is one scan; the same tag pushed again is a new one.
    for (const job of jobs) await runtime.enqueuer.enqueue(job, { salt: `ecr:${event.id}` });
    return { scans: jobs.map((job) => `${job.image}:${job.hintTag}`) };
  };
}

export const handler = ecrPushHandler();
