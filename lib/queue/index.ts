export type { Backoff, BackoffOptions } from './backoff.ts';
export { exponentialBackoff } from './backoff.ts';
export type {
  Consumer,
  ConsumerOptions,
  HandlerContext,
  JobHandler,
  Outcome,
  OutcomeReport,
} from './consumer.ts';
export { startConsumer } from './consumer.ts';
export type { EmbeddedJobQueueFactoryOptions } from './embedded-job-queue.ts';
export { EmbeddedJobQueueFactory } from './embedded-job-queue.ts';
export type { EnsureSqsQueuesOptions, SqsQueueUrls } from './ensure-sqs-queues.ts';
export { ensureSqsQueues } from './ensure-sqs-queues.ts';
export type {
  DeadLetter,
  JobQueue,
  JobQueueFactory,
  QueueMessage,
  QueueStats,
  ReceiveOptions,
  SendOptions,
} from './job-queue.ts';
export { DEDUPE_WINDOW_SECONDS, MAX_DELAY_SECONDS } from './job-queue.ts';
export type { BatchRecord, BatchReport, BatchResult } from './process-batch.ts';
export { processBatch } from './process-batch.ts';
export {
  DeliveryAbortedError,
  QueueRequestError,
  QueueUnavailableError,
  StaleReceiptError,
} from './queue-errors.ts';
export type { Requeue } from './requeue.ts';
export { isRequeue, requeue } from './requeue.ts';
export type { SqsJobQueueFactoryOptions } from './sqs-job-queue.ts';
export { SqsJobQueueFactory } from './sqs-job-queue.ts';
