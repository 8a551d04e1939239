/**
 * The SQS event source of one job kind: the batch's records as SQS messages into
 * AwsRuntime.runBatch, the ids it hands back as the partial batch response. The jobs get the
 * invocation's remaining time, less a margin to settle the batch, as their deadline. Alerts are
 * attached here: jobs are what raise events.
 */
import type { Message } from '@aws-sdk/client-sqs';
import type { JobKind } from '../lib/jobs/job.ts';
import type { JobHandlers } from '../lib/jobs/run-job.ts';
import type { AwsRuntime } from '../lib/runtime/aws-runtime.ts';
import type { RuntimeSource } from './function-runtime.ts';
import { functionRuntime } from './function-runtime.ts';
import type { LambdaContext, SqsBatchResponse, SqsEvent, SqsRecord } from './lambda-events.ts';

/** Time kept back from the jobs to record outcomes and change visibilities. */
const SETTLE_MARGIN_MS = 5_000;

export function sqsWorker(
  kind: JobKind,
  handlersOf: (runtime: AwsRuntime) => Promise<JobHandlers>,
  runtimeOf: RuntimeSource = functionRuntime,
): (event: SqsEvent, context: LambdaContext) => Promise<SqsBatchResponse> {
  let ready: Promise<{ runtime: AwsRuntime; handlers: JobHandlers }> | undefined;
  const prepare = async () => {
    const runtime = await runtimeOf();
    const [handlers, { attachAlerts }] = await Promise.all([
      handlersOf(runtime),
      import('../lib/jobs/alert-dispatch.ts'),
    ]);
    // Events the jobs raise become notify jobs, as under `ferry serve`.
    attachAlerts(runtime.events, runtime.deps);
    return { runtime, handlers };
  };
  return async (event, context) => {
    ready ??= prepare();
    ready.catch(() => {
      ready = undefined;
    });
    const { runtime, handlers } = await ready;
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
