/**
 * A batch of SQS FIFO messages handed over by an event source (as Lambda's SQS trigger does), run
 * with the delivery policy of the queue consumer (lib/queue/consumer.ts) and processBatch's
 * partial failure: one bad record never fails its neighbours, and a failed record holds back the
 * later records of its group. Per record:
 *
 * - not yet due (a delayed send, see sqs-job-queue.ts): hidden until due, handed back unrun.
 * - a body that is not JSON: dead-lettered unrun.
 * - received more than `maxReceives` times (its functions died on it): dead-lettered unrun.
 * - ok, or a terminal error: done; the event source deletes it.
 * - requeue(n): the continuation is sent (delayed n s, deduplicated per message), then done.
 * - a transient error: hidden for the backoff and handed back; or, on the `maxReceives`-th
 *   receive, copied to the dead-letter queue with its reason, then done.
 *
 * The outcome hook runs before any of those actions, as in the consumer; should it or a queue call
 * fail, the record is handed back and its visibility timeout brings it again: nothing is lost.
 * Records held back behind a failure are made visible at once (a delayed one not yet due: when it
 * is due); FIFO keeps them behind their group's head. SQS counted that receive although the record
 * never ran, so it is remembered (`skips`) and taken off the record's receive count later: a job
 * queued behind a failing one still gets all its tries. The return value is the ids to hand back:
 * the response's batch item failures.
 */
import type { Message, SQSClient } from '@aws-sdk/client-sqs';
import { failureClassOf, TransientError } from '../errors.ts';
import type { Backoff } from '../queue/backoff.ts';
import { exponentialBackoff } from '../queue/backoff.ts';
import type { JobHandler, OutcomeReport } from '../queue/consumer.ts';
import type { JobQueue, QueueMessage } from '../queue/job-queue.ts';
import { MAX_DELAY_SECONDS } from '../queue/job-queue.ts';
import { processBatch } from '../queue/process-batch.ts';
import { isRequeue } from '../queue/requeue.ts';
import { SqsDeadLetters } from '../queue/sqs-dead-letters.ts';
import { sqsDelivery } from '../queue/sqs-job-queue.ts';

/** Receives of a message that handed it back unrun (held behind a failure of its group). */
export interface SkipCounter {
  skipped(messageId: string): Promise<number>;
  addSkip(messageId: string): Promise<void>;
}

export interface SqsBatchOptions<T> {
  /** The queue the messages came from: retries, deferrals and continuations go through it. */
  queue: JobQueue<T>;
  client: SQSClient;
  deadLetterUrl: string;
  /** Aborts the handlers: the function's deadline. */
  signal: AbortSignal;
  /** Deliveries before a failing message is dead-lettered. Default 5; SQS's redrive sits above it. */
  maxReceives?: number;
  backoff?: Backoff;
  onOutcome?: (report: OutcomeReport<T>) => void | Promise<void>;
  onError?: (error: unknown, message?: QueueMessage<T>) => void;
  /** Without it, a held-back receive counts as a try. */
  skips?: SkipCounter;
  now?: () => number;
}

/** A message not yet due was hidden until it is; it holds back its group like a failure. */
export class MessageDeferredError extends TransientError {}

const MAX_REASON = 1000;

/** Runs the batch; returns the message ids to hand back to the queue. */
export async function handleSqsBatch<T>(
  messages: readonly Message[],
  handler: JobHandler<T>,
  options: SqsBatchOptions<T>,
): Promise<string[]> {
  const { queue, signal, skips, maxReceives = 5, backoff = exponentialBackoff(), now = Date.now } = options;
  const onOutcome = options.onOutcome ?? (() => {});
  const onError = options.onError ?? (() => {});
  const deadLetters = new SqsDeadLetters<T>(queue.name, options.client, async () => options.deadLetterUrl);
  const deadLetter = (message: QueueMessage<T>, raw: Message, reason: string) =>
    deadLetters.put(
      { id: message.id, body: raw.Body ?? 'null', group: message.group, receiveCount: message.receiveCount },
      reason,
      now(),
    );

  /** Records handed back on purpose (a retry after backoff); any other failure is news for onError. */
  const retried = new Set<string>();
  const run = async (raw: Message): Promise<void> => {
    let delivery: ReturnType<typeof sqsDelivery<T>>;
    try {
      delivery = sqsDelivery<T>(raw);
    } catch {
      // Not a job anyone sent through the queue adapter: no retry can help.
      const id = raw.MessageId ?? '';
      const group = raw.Attributes?.MessageGroupId ?? '';
      const receiveCount = Number(raw.Attributes?.ApproximateReceiveCount ?? 1);
      // Kept as a JSON string, so that listing the dead letters can read it.
      const body = JSON.stringify(raw.Body ?? '');
      await deadLetters.put({ id, body, group, receiveCount }, 'the body is not JSON', now());
      return;
    }
    if ('deferSeconds' in delivery) {
      await queue.retry(raw.ReceiptHandle ?? '', delivery.deferSeconds);
      throw new MessageDeferredError('not yet due', {
        data: { queue: queue.name, messageId: raw.MessageId },
      });
    }
    const skipped =
      delivery.message.receiveCount > 1 ? ((await skips?.skipped(delivery.message.id)) ?? 0) : 0;
    const message = {
      ...delivery.message,
      receiveCount: Math.max(1, delivery.message.receiveCount - skipped),
    };
    if (message.receiveCount > maxReceives) {
      await onOutcome({ message, outcome: 'dead-letter', durationMs: 0 });
      const reason = `received ${message.receiveCount} times, more than maxReceives (${maxReceives}): its consumers stopped before finishing it`;
      await deadLetter(message, raw, reason);
      return;
    }
    const started = performance.now();
    let result: Awaited<ReturnType<JobHandler<T>>>;
    try {
      result = await handler(message.body, { message, signal });
    } catch (error) {
      const durationMs = performance.now() - started;
      if (failureClassOf(error) === 'terminal') {
        await onOutcome({ message, outcome: 'terminal', durationMs, error });
      } else if (message.receiveCount >= maxReceives) {
        await onOutcome({ message, outcome: 'dead-letter', durationMs, error });
        await deadLetter(message, raw, reasonOf(error));
      } else {
        await onOutcome({ message, outcome: 'retry', durationMs, error });
        await queue.retry(message.receipt, backoff(message.receiveCount));
        retried.add(message.id);
        throw error;
      }
      return;
    }
    const durationMs = performance.now() - started;
    if (isRequeue<T>(result)) {
      await onOutcome({ message, outcome: 'requeue', durationMs });
      const delaySeconds = Math.min(MAX_DELAY_SECONDS, Math.max(0, Math.ceil(result.afterSeconds)));
      const body = result.body === undefined ? message.body : result.body;
      await queue.send(body, { group: message.group, dedupeId: `requeue:${message.id}`, delaySeconds });
      return;
    }
    await onOutcome({ message, outcome: 'ok', durationMs });
  };

  const records = messages.map((raw) => ({
    id: raw.MessageId ?? '',
    group: raw.Attributes?.MessageGroupId ?? '',
    body: raw,
  }));
  const report = await processBatch(records, async (raw) => {
    try {
      await run(raw);
    } catch (error) {
      if (!(error instanceof MessageDeferredError) && failureClassOf(error) === 'terminal') {
        // A terminal error from the hook or a queue call must not drop the message: hand it back.
        throw new TransientError('settling the message failed', { cause: error });
      }
      throw error;
    }
  });
  const byId = new Map(messages.map((m) => [m.MessageId ?? '', m]));
  for (const result of report.results) {
    const raw = byId.get(result.id);
    const expected = retried.has(result.id) || result.error instanceof MessageDeferredError;
    if (result.outcome === 'failed' && !expected) onError(result.error);
    if (result.outcome === 'skipped' && raw) {
      try {
        const deferSeconds = notYetDue(raw);
        if (deferSeconds === undefined) await skips?.addSkip(result.id);
        await queue.retry(raw.ReceiptHandle ?? '', deferSeconds ?? 0);
      } catch (error) {
        onError(error);
      }
    }
  }
  return report.failedIds;
}

/**
 * Seconds until a delayed record is due when this receive was its first: held back, that receive is
 * its deferral (sqsDelivery counts it so), and it is hidden until due. Handed back at once instead,
 * its next receive would look deferred already and run it early.
 */
function notYetDue(raw: Message): number | undefined {
  try {
    const delivery = sqsDelivery(raw);
    return 'deferSeconds' in delivery ? delivery.deferSeconds : undefined;
  } catch {
    return undefined;
  }
}

function reasonOf(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.length > MAX_REASON ? `${text.slice(0, MAX_REASON - 1)}…` : text;
}
