/**
 * What the handler tests run the functions against: DynamoDB Local with ferry's table, the local
 * SQS server with a FIFO queue and dead-letter queue per job kind, a git server holding the config
 * repository, and an in-memory parameter store (SSM and Secrets Manager cannot run here). `drain`
 * plays the Lambda SQS event source mapping, which cannot run here either: it receives a batch,
 * hands it to a worker handler as a Lambda SQS event, and deletes what the handler did not report
 * as a batch item failure.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Message } from '@aws-sdk/client-sqs';
import { DeleteMessageCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import type { SqsBatchResponse, SqsEvent, SqsRecord } from '../../functions/lambda-events.ts';
import type { AwsEnv } from '../../lib/aws/aws-env.ts';
import { envKind, JOB_KINDS, readAwsEnv } from '../../lib/aws/aws-env.ts';
import type { JobKind } from '../../lib/jobs/job.ts';
import type { Logger } from '../../lib/observe/logger.ts';
import { ensureSqsQueues } from '../../lib/queue/ensure-sqs-queues.ts';
import type { AwsRuntimeOptions } from '../../lib/runtime/aws-runtime.ts';
import { AwsRuntime } from '../../lib/runtime/aws-runtime.ts';
import { createStateTable } from '../../lib/state/index.ts';
import { MemoryParameters } from '../aws/memory-parameters.ts';
import type { DynamoDbLocal } from '../support/dynamodb.ts';
import { startDynamoDbLocal } from '../support/dynamodb.ts';
import type { GitRepo, GitServer } from '../support/git-server.ts';
import { startGitServer } from '../support/git-server.ts';
import type { LocalSqs } from '../support/sqs.ts';
import { startSqs } from '../support/sqs.ts';

export { MemoryParameters };

export interface Harness {
  dynamodb: DynamoDbLocal;
  sqs: LocalSqs;
  git: GitServer;
  configRepo: GitRepo;
  parameters: MemoryParameters;
  /** A fresh table and fresh queues per call, so tests in one file do not see each other's work. */
  environment(options?: { configPath?: string }): Promise<Record<string, string>>;
  runtime(env: Record<string, string>, options: { log: Logger } & Partial<AwsRuntimeOptions>): AwsRuntime;
  close(): Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  const [dynamodb, sqs, git] = await Promise.all([startDynamoDbLocal(), startSqs(), startGitServer()]);
  const configRepo = await git.createRepo('config');
  const parameters = new MemoryParameters();
  const tmp = await mkdtemp(join(tmpdir(), 'ferry-functions-'));
  let count = 0;
  return {
    dynamodb,
    sqs,
    git,
    configRepo,
    parameters,
    async environment(options = {}) {
      const id = `t${++count}-${randomUUID().slice(0, 8)}`;
      const tableName = `ferry-${id}`;
      await createStateTable(dynamodb.client, tableName);
      const urls = await ensureSqsQueues(sqs.client, `${id}-`, JOB_KINDS, {
        visibilitySeconds: 30,
        maxReceiveCount: 10,
      });
      const env: Record<string, string> = {
        FERRY_STAGE: 'test',
        FERRY_TABLE_NAME: tableName,
        FERRY_CONFIG_URL: configRepo.url,
        FERRY_CONFIG_BRANCH: 'main',
        FERRY_CONFIG_PATH: options.configPath ?? 'clusters/test',
        FERRY_PARAMETER_PREFIX: '/ferry/test',
      };
      for (const kind of JOB_KINDS) {
        env[`FERRY_QUEUE_${envKind(kind)}_URL`] = urls[kind]!.url;
        env[`FERRY_DLQ_${envKind(kind)}_URL`] = urls[kind]!.deadLetterUrl;
      }
      return env;
    },
    runtime(env, options) {
      return new AwsRuntime({
        env: readAwsEnv(env),
        dynamodb: dynamodb.client,
        sqs: sqs.client,
        parameters,
        tmpDir: join(tmp, `runtime-${++count}`),
        configRecheckMs: 0,
        ...options,
      });
    },
    async close() {
      await Promise.all([dynamodb.close(), sqs.close(), git.close()]);
      await rm(tmp, { recursive: true, force: true });
    },
  };
}

/** A Lambda context with `remainingMs` left of the invocation. */
export function lambdaContext(remainingMs = 60_000) {
  const deadline = Date.now() + remainingMs;
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: 'ferry-test',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:ferry-test',
    memoryLimitInMB: '1024',
    awsRequestId: randomUUID(),
    logGroupName: '/aws/lambda/ferry-test',
    logStreamName: '2026/01/01/[$LATEST]0123456789abcdef',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
}

/** A received SQS message as the Lambda event source puts it in an event (field names as documented). */
export function sqsRecord(message: Message, queueUrl: string): SqsRecord {
  const queueName = queueUrl.split('/').at(-1) ?? '';
  const messageAttributes: SqsRecord['messageAttributes'] = {};
  for (const [name, value] of Object.entries(message.MessageAttributes ?? {})) {
    messageAttributes[name] = {
      stringValue: value.StringValue,
      stringListValues: [],
      binaryListValues: [],
      dataType: value.DataType ?? 'String',
    } as SqsRecord['messageAttributes'][string];
  }
  return {
    messageId: message.MessageId ?? '',
    receiptHandle: message.ReceiptHandle ?? '',
    body: message.Body ?? '',
    attributes: { ...message.Attributes },
    messageAttributes,
    md5OfBody: message.MD5OfBody,
    eventSource: 'aws:sqs',
    eventSourceARN: `arn:aws:sqs:us-east-1:123456789012:${queueName}`,
    awsRegion: 'us-east-1',
  } as SqsRecord;
}

export type WorkerHandler = (
  event: SqsEvent,
  context: ReturnType<typeof lambdaContext>,
) => Promise<SqsBatchResponse>;

/**
 * One poll of the event source mapping: up to `max` messages of the kind's queue as one event, the
 * successes deleted. Returns the event handed over and the handler's answer (undefined: empty queue).
 */
export async function drain(
  harness: Harness,
  env: Record<string, string>,
  kind: JobKind,
  handler: WorkerHandler,
  options: { max?: number; visibilitySeconds?: number } = {},
): Promise<{ event: SqsEvent; response: SqsBatchResponse } | undefined> {
  const url = env[`FERRY_QUEUE_${envKind(kind)}_URL`] as string;
  const answer = await harness.sqs.client.send(
    new ReceiveMessageCommand({
      QueueUrl: url,
      MaxNumberOfMessages: options.max ?? 10,
      VisibilityTimeout: options.visibilitySeconds ?? 30,
      WaitTimeSeconds: 0,
      AttributeNames: ['All'],
      MessageSystemAttributeNames: ['All'],
      MessageAttributeNames: ['All'],
    }),
  );
  const messages = answer.Messages ?? [];
  if (messages.length === 0) return undefined;
  const event: SqsEvent = { Records: messages.map((m) => sqsRecord(m, url)) };
  const response = await handler(event, lambdaContext());
  const failed = new Set(response.batchItemFailures.map((f) => f.itemIdentifier));
  for (const m of messages) {
    if (!failed.has(m.MessageId ?? ''))
      await harness.sqs.client.send(
        new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: m.ReceiptHandle }),
      );
  }
  return { event, response };
}

/** The harness's env reader, for tests of the env itself. */
export type { AwsEnv };
