/**
 * The JobQueue on SQS FIFO queues: `<prefix><name>.fifo`, dead letters in `<prefix><name>-dlq.fifo`
 * (see ensureSqsQueues). Message group = group, deduplication id = dedupeId.
 *
 * Delays. FIFO queues refuse a per-message DelaySeconds, so a delayed message carries its delay in
 * the `ferry-delay-seconds` attribute and is due at SentTimestamp + delay, every time on SQS's own
 * clock. The first receive of a message not yet due is a deferral, not a delivery: the message is
 * hidden until it is due with ChangeMessageVisibility and not handed out (its group stays held, as a
 * delayed head should). A message whose ApproximateFirstReceiveTimestamp lies before its due time
 * has had exactly that one deferral, so its receiveCount is ApproximateReceiveCount − 1. (Should the
 * process die between the deferral's receive and its ChangeMessageVisibility, the message comes back
 * after the receive's visibility timeout and is delivered then, possibly before it was due.)
 *
 * One message per ReceiveMessage. A FIFO batch may hold several messages of one group; handing them
 * out together would break "one at a time", and handing back the extras would count receives that
 * delivered nothing. So a receive asks for one message at a time until it has `max` or the queue has
 * none to give (the first request long-polls, the rest do not): more requests, exact counts.
 *
 * Stats. SQS cannot tell a deferred or backing-off message from one being handled: both count as
 * inFlight, and delayed stays 0 (it counts queue-level delays, which ferry does not use).
 *
 * Dead letters. SQS cannot read a message by its receipt, so the adapter remembers each delivery it
 * hands out until its visibility timeout ends, and deadLetter copies the remembered message: only a
 * delivery made by this process can be dead-lettered (see sqs-dead-letters.ts for the rest).
 */

import type { Message, SQSClient } from '@aws-sdk/client-sqs';
import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
} from '@aws-sdk/client-sqs';
import { checkReceiveOptions, checkSendOptions, encodeBody } from './check-options.ts';
import type {
  DeadLetter,
  JobQueue,
  JobQueueFactory,
  QueueMessage,
  QueueStats,
  ReceiveOptions,
  SendOptions,
} from './job-queue.ts';
import { QueueRequestError } from './queue-errors.ts';
import type { Delivered } from './sqs-dead-letters.ts';
import { SqsDeadLetters } from './sqs-dead-letters.ts';
import { queueErrorOf } from './sqs-error.ts';

export interface SqsJobQueueFactoryOptions {
  client: SQSClient;
  /** Queue URLs are `<queueUrlPrefix><name>.fifo` and `<queueUrlPrefix><name>-dlq.fifo`. */
  queueUrlPrefix?: string;
  /** Without a URL prefix: the URL of a queue by its SQS name (default: GetQueueUrl). */
  resolveQueueUrl?: (sqsName: string) => Promise<string>;
  /** The visibility timeout of a receive that names none; SQS's default is 30 s. */
  visibilitySeconds?: number;
  /** Epoch milliseconds, for the time a dead letter is stamped with. */
  now?: () => number;
}

export const DELAY_ATTRIBUTE = 'ferry-delay-seconds';

/** Opens job queues on SQS; the client belongs to the caller, who closes it. */
export class SqsJobQueueFactory implements JobQueueFactory {
  readonly #options: SqsJobQueueFactoryOptions;
  readonly #urls = new Map<string, Promise<string>>();

  constructor(options: SqsJobQueueFactoryOptions) {
    this.#options = options;
  }

  open<T = unknown>(name: string): JobQueue<T> {
    const url = (sqsName: string) => this.#url(sqsName);
    const { client, visibilitySeconds = 30, now = Date.now } = this.#options;
    return new SqsJobQueue<T>(name, client, url, { visibilitySeconds, now });
  }

  async close(): Promise<void> {}

  #url(sqsName: string): Promise<string> {
    let url = this.#urls.get(sqsName);
    if (!url) {
      const { client, queueUrlPrefix, resolveQueueUrl } = this.#options;
      url =
        queueUrlPrefix !== undefined
          ? Promise.resolve(`${queueUrlPrefix}${sqsName}`)
          : resolveQueueUrl
            ? resolveQueueUrl(sqsName)
            : client.send(new GetQueueUrlCommand({ QueueName: sqsName })).then(
                (r) => r.QueueUrl ?? '',
                (error: unknown) => Promise.reject(queueErrorOf(error, sqsName, 'GetQueueUrl')),
              );
      url.catch(() => this.#urls.delete(sqsName));
      this.#urls.set(sqsName, url);
    }
    return url;
  }
}

class SqsJobQueue<T> implements JobQueue<T> {
  readonly name: string;
  readonly #client: SQSClient;
  readonly #url: () => Promise<string>;
  readonly #deadLetters: SqsDeadLetters<T>;
  readonly #visibilitySeconds: number;
  readonly #now: () => number;
  /** Deliveries handed out and not yet settled, by receipt, with when their visibility ends. */
  readonly #delivered = new Map<string, Delivered & { until: number }>();

  constructor(
    name: string,
    client: SQSClient,
    url: (sqsName: string) => Promise<string>,
    options: { visibilitySeconds: number; now: () => number },
  ) {
    this.name = name;
    this.#client = client;
    this.#url = () => url(`${name}.fifo`);
    this.#deadLetters = new SqsDeadLetters<T>(name, client, () => url(`${name}-dlq.fifo`));
    this.#visibilitySeconds = options.visibilitySeconds;
    this.#now = options.now;
  }

  async send(body: T, options: SendOptions): Promise<{ id: string }> {
    const { group, dedupeId, delaySeconds } = checkSendOptions(this.name, options);
    const MessageBody = encodeBody(this.name, body);
    const answer = await this.#call('SendMessage', async () =>
      this.#client.send(
        new SendMessageCommand({
          QueueUrl: await this.#url(),
          MessageBody,
          MessageGroupId: group,
          MessageDeduplicationId: dedupeId,
          ...(delaySeconds > 0
            ? {
                MessageAttributes: {
                  [DELAY_ATTRIBUTE]: { DataType: 'Number', StringValue: String(delaySeconds) },
                },
              }
            : {}),
        }),
      ),
    );
    return { id: answer.MessageId ?? '' };
  }

  async receive(options: ReceiveOptions = {}): Promise<QueueMessage<T>[]> {
    const { max, visibilitySeconds, waitSeconds, signal } = checkReceiveOptions(
      this.name,
      options,
      this.#visibilitySeconds,
    );
    const deadline = Date.now() + waitSeconds * 1000;
    const out: QueueMessage<T>[] = [];
    this.#forgetExpired();
    while (out.length < max && !signal?.aborted) {
      const wait = out.length === 0 ? Math.max(0, Math.floor((deadline - Date.now()) / 1000)) : 0;
      const message = await this.#receiveOne(visibilitySeconds, wait, signal);
      if (message === undefined) break;
      const delivered = await this.#deliverOrDefer(message);
      if (!delivered) continue;
      out.push(delivered);
      const { id, group, receiveCount, receipt } = delivered;
      const until = this.#now() + visibilitySeconds * 1000;
      this.#delivered.set(receipt, { id, group, receiveCount, body: message.Body ?? 'null', until });
    }
    return out;
  }

  async ack(receipt: string): Promise<void> {
    await this.#call('DeleteMessage', async () =>
      this.#client.send(new DeleteMessageCommand({ QueueUrl: await this.#url(), ReceiptHandle: receipt })),
    );
    this.#delivered.delete(receipt);
  }

  async retry(receipt: string, delaySeconds: number): Promise<void> {
    await this.#changeVisibility(receipt, delaySeconds);
    this.#delivered.delete(receipt);
  }

  async deadLetter(receipt: string, reason: string): Promise<void> {
    const delivered = this.#delivered.get(receipt);
    if (!delivered) {
      throw new QueueRequestError(
        'deadLetter: this process did not hand out that receipt, so SQS cannot copy it',
        {
          data: { queue: this.name },
        },
      );
    }
    // Holding the delivery first proves the receipt is live, so a stale one never leaves a copy behind.
    await this.#changeVisibility(receipt, 60);
    await this.#deadLetters.put(delivered, reason, this.#now());
    await this.ack(receipt);
  }

  deadLetters(options: { limit?: number } = {}): Promise<DeadLetter<T>[]> {
    return this.#deadLetters.list(options.limit ?? 100);
  }

  async stats(): Promise<QueueStats> {
    const answer = await this.#call('GetQueueAttributes', async () =>
      this.#client.send(
        new GetQueueAttributesCommand({
          QueueUrl: await this.#url(),
          AttributeNames: [
            'ApproximateNumberOfMessages',
            'ApproximateNumberOfMessagesNotVisible',
            'ApproximateNumberOfMessagesDelayed',
          ],
        }),
      ),
    );
    const count = (name: string) => Number(answer.Attributes?.[name as keyof typeof answer.Attributes] ?? 0);
    return {
      visible: count('ApproximateNumberOfMessages'),
      inFlight: count('ApproximateNumberOfMessagesNotVisible'),
      delayed: count('ApproximateNumberOfMessagesDelayed'),
      deadLetters: await this.#deadLetters.count(),
    };
  }

  async close(): Promise<void> {
    this.#delivered.clear();
  }

  #forgetExpired(): void {
    const now = this.#now();
    for (const [receipt, { until }] of this.#delivered) if (until <= now) this.#delivered.delete(receipt);
  }

  async #receiveOne(
    visibilitySeconds: number,
    waitSeconds: number,
    signal: AbortSignal | undefined,
  ): Promise<Message | undefined> {
    try {
      const answer = await this.#client.send(
        new ReceiveMessageCommand({
          QueueUrl: await this.#url(),
          MaxNumberOfMessages: 1,
          VisibilityTimeout: visibilitySeconds,
          WaitTimeSeconds: waitSeconds,
          AttributeNames: ['All'],
          MessageSystemAttributeNames: ['All'],
          MessageAttributeNames: ['All'],
        }),
        signal ? { abortSignal: signal } : {},
      );
      return answer.Messages?.[0];
    } catch (error) {
      if (signal?.aborted) return undefined;
      throw queueErrorOf(error, this.name, 'ReceiveMessage');
    }
  }

  /** The message as a delivery, or undefined after deferring a message not yet due (see above). */
  async #deliverOrDefer(message: Message): Promise<QueueMessage<T> | undefined> {
    const delivery = sqsDelivery<T>(message);
    if ('deferSeconds' in delivery) {
      await this.#changeVisibility(message.ReceiptHandle ?? '', delivery.deferSeconds);
      return undefined;
    }
    return delivery.message;
  }

  async #changeVisibility(receipt: string, seconds: number): Promise<void> {
    await this.#call('ChangeMessageVisibility', async () =>
      this.#client.send(
        new ChangeMessageVisibilityCommand({
          QueueUrl: await this.#url(),
          ReceiptHandle: receipt,
          VisibilityTimeout: seconds,
        }),
      ),
    );
  }

  async #call<R>(operation: string, request: () => Promise<R>): Promise<R> {
    try {
      return await request();
    } catch (error) {
      throw queueErrorOf(error, this.name, operation);
    }
  }
}

/**
 * A received SQS message as a delivery, or how long to hide it when it is not yet due (see the
 * file's comment). Exported for consumers that receive through something other than this adapter,
 * such as an event source handing a function a batch of messages.
 */
export function sqsDelivery<T>(message: Message): { message: QueueMessage<T> } | { deferSeconds: number } {
  const attributes = message.Attributes ?? {};
  const approximateCount = Number(attributes.ApproximateReceiveCount ?? 1);
  const firstReceivedAt = Number(attributes.ApproximateFirstReceiveTimestamp ?? 0);
  const sentAt = Number(attributes.SentTimestamp ?? 0);
  const delaySeconds = Number(message.MessageAttributes?.[DELAY_ATTRIBUTE]?.StringValue ?? 0);
  const dueAt = sentAt + delaySeconds * 1000;
  const deferredOnce = firstReceivedAt < dueAt;
  if (deferredOnce && approximateCount === 1)
    return { deferSeconds: Math.ceil((dueAt - firstReceivedAt) / 1000) };
  return {
    message: {
      id: message.MessageId ?? '',
      body: JSON.parse(message.Body ?? 'null') as T,
      group: attributes.MessageGroupId ?? '',
      dedupeId: attributes.MessageDeduplicationId ?? '',
      receiveCount: approximateCount - (deferredOnce ? 1 : 0),
      sentAt,
      receipt: message.ReceiptHandle ?? '',
    },
  };
}
