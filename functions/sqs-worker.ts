/**
 * The SQS event source of one job kind: the batch's records as SQS messages into
 * AwsRuntime.runBatch, the ids it hands back as the partial batch response. The jobs get the
 * invocation's remaining time, less a margin to settle the batch, as their deadline. Alerts are
 * attached here: jobs are what raise events.
 */
import type { Message } from '@aws-sdk/client-sqs';
import type { Job, JobKind } from '../lib/jobs/job.ts';
import type { JobHandlers } from '../lib/jobs/run-job.ts';
import type { AwsRuntime } from '../lib/runtime/aws-runtime.ts';
import type { RuntimeSource } from './function-runtime.ts';
import { functionRuntime } from './function-runtime.ts';
import type { LambdaContext, SqsBatchResponse, SqsEvent, SqsRecord } from './lambda-events.ts';

/** A worker's handlers, and work to do before each batch (the apply worker prunes removals). */
export interface WorkerParts {
  handlers: JobHandlers;
  beforeBatch?: (jobs: readonly Job[]) => Promise<void>;
}

/** Time kept back from the jobs to record outcomes and change visibilities. */
const SETTLE_MARGIN_MS = 5_000;

export function sqsWorker(
  kind: JobKind,
  partsOf: (runtime: AwsRuntime) => Promise<JobHandlers | WorkerParts>,
  runtimeOf: RuntimeSource = functionRuntime,
): (event: SqsEvent, context: LambdaContext) => Promise<SqsBatchResponse> {
  let ready: Promise<{ runtime: AwsRuntime } & WorkerParts> | undefined;
  const prepare = async () => {
    const runtime = await runtimeOf();
    const [parts, { attachAlerts }] = await Promise.all([
      partsOf(runtime),
      import('../lib/jobs/alert-dispatch.ts'),
    ]);
    // Events the jobs raise become notify jobs, as under `ferry serve`.
    attachAlerts(runtime.events, runtime.deps);
    return {
      runtime,
      ...('handlers' in parts ? (parts as WorkerParts) : { handlers: parts as JobHandlers }),
    };
  };
  return async (event, context) => {
    ready ??= prepare();
    ready.catch(() => {
      ready = undefined;
    });
    const { runtime, handlers, beforeBatch } = await ready;
    if (beforeBatch) {
      await runtime.load();
      await beforeBatch(event.Records.flatMap(jobOf)).catch((error: unknown) =>
        runtime.log.error({ err: error, queue: kind }, 'work before the batch failed; the batch runs'),
      );
    }
    const deadline = AbortSignal.timeout(
      Math.max(1_000, context.getRemainingTimeInMillis() - SETTLE_MARGIN_MS),
    );
    const failed = await runtime.runBatch(kind, event.Records.map(messageOf), handlers, deadline);
    return { batchItemFailures: failed.map((itemIdentifier) => ({ itemIdentifier })) };
  };
}

/** A Lambda SQS record in the SDK's ReceiveMessage shape, which the queue adapter reads. */
export function messageOf(record: SqsRecord): Message {
  const attributes: Record<string, string> = {};
  for (const [name, value] of Object.entries(record.attributes))
    if (value !== undefined) attributes[name] = value;
  const messageAttributes: NonNullable<Message['MessageAttributes']> = {};
  for (const [name, value] of Object.entries(record.messageAttributes ?? {}))
    if (value) messageAttributes[name] = { DataType: value.dataType, StringValue: value.stringValue };
  return {
    MessageId: record.messageId,
    ReceiptHandle: record.receiptHandle,
    Body: record.body,
    Attributes: attributes,
    MessageAttributes: messageAttributes,
  };
}

/** The job a record carries; a body that is not JSON is left to the batch, which reports it. */
function jobOf(record: SqsRecord): Job[] {
  try {
    return [JSON.parse(record.body) as Job];
  } catch {
    return [];
  }
}
