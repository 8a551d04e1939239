/**
 * The dead-letter queue of one SQS job queue, `<prefix><name>-dlq.fifo`.
 *
 * Each dead letter is sent in a message group of its own, with its original group, id, receive count
 * and reason as message attributes: a FIFO queue hides every later message of a group while one is
 * in flight, so shared groups would let a listing see only each group's first dead letter.
 *
 * Listing without consuming. SQS cannot read a queue without receiving from it, so `list` receives
 * pages with a visibility timeout (so a page is not handed out again while the next is read), never
 * deletes, and gives every message back with ChangeMessageVisibility 0 when done. Limits: a dead
 * letter being listed is invisible to other readers for that moment; messages that SQS's own redrive
 * moved here keep their original group, so only the first of each such group shows, without a
 * reason or receive count of ferry's; each listing raises the copies' own receive counts, which
 * nothing reads.
 */

import type { Message, SQSClient } from '@aws-sdk/client-sqs';
import {
  ChangeMessageVisibilityBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
} from '@aws-sdk/client-sqs';
import type { DeadLetter } from './job-queue.ts';
import { queueErrorOf } from './sqs-error.ts';

/** What the adapter remembers of a delivery, to copy it into the dead-letter queue. */
export interface Delivered {
  id: string;
  body: string;
  group: string;
  receiveCount: number;
}

const REASON = 'ferry-reason';
const GROUP = 'ferry-group';
const MESSAGE_ID = 'ferry-message-id';
const RECEIVE_COUNT = 'ferry-receive-count';
const AT = 'ferry-dead-lettered-at';
/** How long a listed page stays hidden at most, should the listing die before giving it back. */
const LISTING_VISIBILITY_SECONDS = 30;
/** SQS refuses most control characters in attribute values. */
const UNSENDABLE = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

export class SqsDeadLetters<T> {
  readonly #queue: string;
  readonly #client: SQSClient;
  readonly #url: () => Promise<string>;

  constructor(queue: string, client: SQSClient, url: () => Promise<string>) {
    this.#queue = queue;
    this.#client = client;
    this.#url = url;
  }

  /** Stores the dead letter; sending one message twice within five minutes stores it once. */
  async put(message: Delivered, reason: string, at: number): Promise<void> {
    const text = (value: string) => ({ DataType: 'String', StringValue: value });
    const number = (value: number) => ({ DataType: 'Number', StringValue: String(value) });
    await this.#call('SendMessage', async () =>
      this.#client.send(
        new SendMessageCommand({
          QueueUrl: await this.#url(),
          MessageBody: message.body,
          MessageGroupId: message.id,
          MessageDeduplicationId: message.id,
          MessageAttributes: {
            [REASON]: text(reason.replace(UNSENDABLE, ' ').slice(0, 4096) || 'no reason given'),
            [GROUP]: text(message.group),
            [MESSAGE_ID]: text(message.id),
            [RECEIVE_COUNT]: number(message.receiveCount),
            [AT]: number(at),
          },
        }),
      ),
    );
  }

  /** Up to `limit` dead letters, oldest first, left in the queue. */
  async list(limit: number): Promise<DeadLetter<T>[]> {
    const url = await this.#url();
    const seen = new Map<string, DeadLetter<T>>();
    const receipts: string[] = [];
    try {
      while (seen.size < limit) {
        const page = await this.#call('ReceiveMessage', () =>
          this.#client.send(
            new ReceiveMessageCommand({
              QueueUrl: url,
              MaxNumberOfMessages: Math.min(10, limit - seen.size),
              VisibilityTimeout: LISTING_VISIBILITY_SECONDS,
              WaitTimeSeconds: 0,
              AttributeNames: ['All'],
              MessageSystemAttributeNames: ['All'],
              MessageAttributeNames: ['All'],
            }),
          ),
        );
        const messages = page.Messages ?? [];
        receipts.push(...messages.map((m) => m.ReceiptHandle ?? ''));
        const fresh = messages.filter((m) => !seen.has(m.MessageId ?? ''));
        if (fresh.length === 0) break;
        for (const m of fresh) seen.set(m.MessageId ?? '', this.#toDeadLetter(m));
      }
    } finally {
      await this.#giveBack(url, receipts);
    }
    return [...seen.values()].sort((a, b) => a.at - b.at).slice(0, limit);
  }

  /** Dead letters held, including any a listing has out at this moment. */
  async count(): Promise<number> {
    const answer = await this.#call('GetQueueAttributes', async () =>
      this.#client.send(
        new GetQueueAttributesCommand({
          QueueUrl: await this.#url(),
          AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
        }),
      ),
    );
    const a = answer.Attributes ?? {};
    return Number(a.ApproximateNumberOfMessages ?? 0) + Number(a.ApproximateNumberOfMessagesNotVisible ?? 0);
  }

  #toDeadLetter(m: Message): DeadLetter<T> {
    const attribute = (name: string) => m.MessageAttributes?.[name]?.StringValue;
    const sentAt = Number(m.Attributes?.SentTimestamp ?? 0);
    return {
      id: attribute(MESSAGE_ID) ?? m.MessageId ?? '',
      body: JSON.parse(m.Body ?? 'null') as T,
      group: attribute(GROUP) ?? m.Attributes?.MessageGroupId ?? '',
      receiveCount: Number(attribute(RECEIVE_COUNT) ?? 0),
      reason:
        attribute(REASON) ??
        "SQS's redrive moved it here after the queue's maxReceiveCount receives (its consumers kept stopping)",
      at: Number(attribute(AT) ?? sentAt),
    };
  }

  async #giveBack(url: string, receipts: readonly string[]): Promise<void> {
    for (let i = 0; i < receipts.length; i += 10) {
      const entries = receipts
        .slice(i, i + 10)
        .map((ReceiptHandle, n) => ({ Id: String(n), ReceiptHandle, VisibilityTimeout: 0 }));
      await this.#call('ChangeMessageVisibilityBatch', () =>
        this.#client.send(new ChangeMessageVisibilityBatchCommand({ QueueUrl: url, Entries: entries })),
      );
    }
  }

  async #call<R>(operation: string, request: () => Promise<R>): Promise<R> {
    try {
      return await request();
    } catch (error) {
      throw queueErrorOf(error, `${this.#queue}-dlq`, operation);
    }
  }
}
