/** The notify worker: SQS FIFO batch (one group per Provider) → deliver each event through its Alert. */
import type { JobHandlers } from '../lib/jobs/run-job.ts';
import { sqsWorker } from './sqs-worker.ts';

export async function notifyHandlers(): Promise<JobHandlers> {
  const { notifyHandler } = await import('../lib/jobs/notify.ts');
  return { notify: notifyHandler() };
}

export const handler = sqsWorker('notify', notifyHandlers);
