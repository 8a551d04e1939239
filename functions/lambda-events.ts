/**
 * The Lambda event shapes ferry's functions receive, as AWS documents them, reduced to the fields
 * read. The HTTP events are hono/aws-lambda's own types.
 */

import type { LambdaEvent } from 'hono/aws-lambda';

export type { LambdaContext } from 'hono/aws-lambda';

/** API Gateway HTTP API and Function URL events (payload format 2.0). */
export type HttpEventV2 = Extract<LambdaEvent, { routeKey: string }>;

/** One message of an SQS event source's batch. */
export interface SqsRecord {
  messageId: string;
  receiptHandle: string;
  body: string;
  /** `ApproximateReceiveCount`, `SentTimestamp`, `ApproximateFirstReceiveTimestamp`, `MessageGroupId`, … */
  attributes: Record<string, string | undefined>;
  messageAttributes: Record<string, { stringValue?: string; dataType: string } | undefined>;
  eventSource: string;
  eventSourceARN: string;
  awsRegion: string;
}

export interface SqsEvent {
  Records: SqsRecord[];
}

/** The partial batch response of an event source with `ReportBatchItemFailures`. */
export interface SqsBatchResponse {
  batchItemFailures: Array<{ itemIdentifier: string }>;
}

/** An EventBridge event: a schedule's `Scheduled Event`, or an `ECR Image Action`. */
export interface EventBridgeEvent<Detail> {
  version: string;
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: Detail;
}
