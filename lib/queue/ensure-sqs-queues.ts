/**
 * Creates (or brings up to date) the SQS queues the SQS adapter expects: per job queue name, a FIFO
 * queue `<prefix><name>.fifo` and its dead-letter queue `<prefix><name>-dlq.fifo`.
 *
 * The consumer dead-letters a message itself, with a reason, once it has failed `maxReceives` times.
 * SQS's own redrive (RedrivePolicy) is only the safety net for a message whose consumers keep dying
 * before they can say anything, so its `maxReceiveCount` should sit above the consumer's
 * `maxReceives` (the consumer's explicit dead-lettering then normally wins, reason included).
 */

import type { QueueAttributeName, SQSClient } from '@aws-sdk/client-sqs';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  SetQueueAttributesCommand,
} from '@aws-sdk/client-sqs';
import { queueErrorOf } from './sqs-error.ts';

export interface EnsureSqsQueuesOptions {
  /** The queue's default visibility timeout (a receive may name another). */
  visibilitySeconds: number;
  /** SQS's redrive threshold; above the consumer's maxReceives. */
  maxReceiveCount: number;
}

export interface SqsQueueUrls {
  url: string;
  deadLetterUrl: string;
}

/** Fourteen days, SQS's longest retention: a dead letter waits for a human. */
const RETENTION_SECONDS = '1209600';

/** The FIFO queue and dead-letter queue of each name, created or updated; their URLs by name. */
export async function ensureSqsQueues(
  client: SQSClient,
  prefix: string,
  names: readonly string[],
  options: EnsureSqsQueuesOptions,
): Promise<Record<string, SqsQueueUrls>> {
  const urls: Record<string, SqsQueueUrls> = {};
  for (const name of names) {
    const deadLetterUrl = await ensureQueue(client, `${prefix}${name}-dlq.fifo`, {
      MessageRetentionPeriod: RETENTION_SECONDS,
    });
    const arn = await queueArn(client, deadLetterUrl);
    const url = await ensureQueue(client, `${prefix}${name}.fifo`, {
      VisibilityTimeout: String(options.visibilitySeconds),
      MessageRetentionPeriod: RETENTION_SECONDS,
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: arn, maxReceiveCount: options.maxReceiveCount }),
    });
    urls[name] = { url, deadLetterUrl };
  }
  return urls;
}

/** Updates an existing queue's attributes rather than recreating it: CreateQueue refuses any difference. */
async function ensureQueue(
  client: SQSClient,
  queueName: string,
  attributes: Partial<Record<QueueAttributeName, string>>,
): Promise<string> {
  const existing = await client
    .send(new GetQueueUrlCommand({ QueueName: queueName }))
    .then((r) => r.QueueUrl)
    .catch((error: unknown) => {
      if ((error as { name?: string }).name === 'QueueDoesNotExist') return undefined;
      throw queueErrorOf(error, queueName, 'GetQueueUrl');
    });
  try {
    if (existing) {
      await client.send(new SetQueueAttributesCommand({ QueueUrl: existing, Attributes: attributes }));
      return existing;
    }
    const created = await client.send(
      new CreateQueueCommand({
        QueueName: queueName,
        Attributes: { FifoQueue: 'true', ContentBasedDeduplication: 'false', ...attributes },
      }),
    );
    if (!created.QueueUrl) throw new Error('CreateQueue answered without a QueueUrl');
    return created.QueueUrl;
  } catch (error) {
    throw queueErrorOf(error, queueName, existing ? 'SetQueueAttributes' : 'CreateQueue');
  }
}

async function queueArn(client: SQSClient, url: string): Promise<string> {
  try {
    const answer = await client.send(
      new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }),
    );
    const arn = answer.Attributes?.QueueArn;
    if (!arn) throw new Error('GetQueueAttributes answered without a QueueArn');
    return arn;
  } catch (error) {
    throw queueErrorOf(error, url, 'GetQueueAttributes');
  }
}
