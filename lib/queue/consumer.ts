/**
 * Runs a handler over a JobQueue. The delivery policy lives here and nowhere else, so both adapters
 * get the same one:
 *
 * - ok: acknowledge.
 * - a terminal error (failureClassOf): report 'terminal', then acknowledge. Retrying cannot help; the
 *   caller records the Stalled condition in its onOutcome hook.
 * - a transient error: retry after a backoff, or once the message has been received `maxReceives`
 *   times, dead-letter it with the error as the reason.
 * - a message received more than `maxReceives` times (its consumers died on it) is dead-lettered
 *   without running.
 * - the handler returned requeue(seconds): see requeue.ts.
 *
 * The outcome is reported (and the hook awaited) before the message is acknowledged, retried or
 * dead-lettered, so whatever the hook makes durable (a status, an event) is there before the message
 * leaves. Should the hook or the queue call fail, the message is left alone and its visibility timeout
 * brings it back: nothing is lost, at worst a job runs twice.
 */
import { failureClassOf } from '../errors.ts';
import type { Backoff } from './backoff.ts';
import { exponentialBackoff } from './backoff.ts';
import type { JobQueue, QueueMessage } from './job-queue.ts';
import { MAX_DELAY_SECONDS } from './job-queue.ts';
import { DeliveryAbortedError } from './queue-errors.ts';
import type { Requeue } from './requeue.ts';
import { isRequeue } from './requeue.ts';

export type Outcome = 'ok' | 'terminal' | 'retry' | 'dead-letter' | 'requeue';

export interface OutcomeReport<T> {
  message: QueueMessage<T>;
  outcome: Outcome;
  /** How long the handler ran (0 when it did not run). */
  durationMs: number;
  /** What the handler threw, for 'terminal', 'retry' and 'dead-letter'. */
  error?: unknown;
}

export interface HandlerContext<T> {
  message: QueueMessage<T>;
  /** Aborts when the consumer stops past its grace, or when the visibility timeout ends. */
  signal: AbortSignal;
}

// biome-ignore lint/suspicious/noConfusingVoidType: a plain `async () => {}` handler must fit, and it returns Promise<void>.
export type JobHandler<T> = (body: T, context: HandlerContext<T>) => Promise<void | Requeue<T>>;

export interface ConsumerOptions<T = unknown> {
  /** Messages handled at once (different groups; one group is serial by queue semantics). Default 4. */
  concurrency?: number;
  /** How long a delivery is hidden from other consumers; longer than the slowest job. Default 300. */
  visibilitySeconds?: number;
  /** Deliveries before a failing message is dead-lettered. Default 5. */
  maxReceives?: number;
  /** Seconds before the next try of a failed message. Default exponentialBackoff(). */
  backoff?: Backoff;
  /** Long-poll length of each receive. Default 20. */
  waitSeconds?: number;
  onOutcome?: (report: OutcomeReport<T>) => void | Promise<void>;
  /** A receive, acknowledgement or hook failed; the consumer carries on. */
  onError?: (error: unknown, message?: QueueMessage<T>) => void;
}

export interface Consumer {
  /**
   * Stops receiving at once, waits up to `graceMs` for running handlers, then aborts the rest and
   * gives their messages back to the queue (retry after 0 s) for another consumer. Resolves when done.
   */
  stop(graceMs: number): Promise<void>;
}

interface Delivery<T> {
  message: QueueMessage<T>;
  controller: AbortController;
  /** Given back by stop(): whatever the handler does next must not touch the message. */
  released: boolean;
  done: Promise<void>;
}

/** The longest text kept as a dead letter's reason. */
const MAX_REASON = 1000;

/** Starts consuming `queue` with `handler`; see the file's comment for the policy. */
export function startConsumer<T>(
  queue: JobQueue<T>,
  handler: JobHandler<T>,
  options: ConsumerOptions<T> = {},
): Consumer {
  const {
    concurrency = 4,
    visibilitySeconds = 300,
    maxReceives = 5,
    backoff = exponentialBackoff(),
    waitSeconds = 20,
    onOutcome = () => {},
    onError = () => {},
  } = options;
  const receiving = new AbortController();
  const running = new Set<Delivery<T>>();
  let settled = Promise.withResolvers<void>();

  async function settle(d: Delivery<T>, report: OutcomeReport<T>, act: () => Promise<void>): Promise<void> {
    await onOutcome(report);
    if (!d.released) await act();
  }

  async function handle(d: Delivery<T>): Promise<void> {
    const { message } = d;
    const { receipt, receiveCount } = message;
    if (receiveCount > maxReceives) {
      const reason = `received ${receiveCount} times, more than maxReceives (${maxReceives}): its consumers stopped before finishing it`;
      await settle(d, { message, outcome: 'dead-letter', durationMs: 0 }, () =>
        queue.deadLetter(receipt, reason),
      );
      return;
    }
    const started = performance.now();
    let result: Awaited<ReturnType<JobHandler<T>>>;
    try {
      result = await handler(message.body, { message, signal: d.controller.signal });
    } catch (error) {
      if (d.released) return;
      const durationMs = performance.now() - started;
      if (failureClassOf(error) === 'terminal') {
        await settle(d, { message, outcome: 'terminal', durationMs, error }, () => queue.ack(receipt));
      } else if (receiveCount >= maxReceives) {
        const reason = reasonOf(error);
        const report = { message, outcome: 'dead-letter' as const, durationMs, error };
        await settle(d, report, () => queue.deadLetter(receipt, reason));
      } else {
        const report = { message, outcome: 'retry' as const, durationMs, error };
        await settle(d, report, () => queue.retry(receipt, backoff(receiveCount)));
      }
      return;
    }
    if (d.released) return;
    const durationMs = performance.now() - started;
    if (isRequeue<T>(result)) {
      const continuation = result;
      await settle(d, { message, outcome: 'requeue', durationMs }, async () => {
        const delaySeconds = Math.min(MAX_DELAY_SECONDS, Math.max(0, Math.ceil(continuation.afterSeconds)));
        const body = continuation.body === undefined ? message.body : continuation.body;
        await queue.send(body, { group: message.group, dedupeId: `requeue:${message.id}`, delaySeconds });
        await queue.ack(receipt);
      });
      return;
    }
    await settle(d, { message, outcome: 'ok', durationMs }, () => queue.ack(receipt));
  }

  function start(message: QueueMessage<T>): void {
    const controller = new AbortController();
    const expired = setTimeout(() => {
      const reason = 'the visibility timeout ended; the message may be running elsewhere';
      controller.abort(
        new DeliveryAbortedError(reason, { data: { queue: queue.name, messageId: message.id } }),
      );
    }, visibilitySeconds * 1000);
    const d: Delivery<T> = { message, controller, released: false, done: Promise.resolve() };
    running.add(d);
    d.done = handle(d)
      .catch((error: unknown) => onError(error, message))
      .finally(() => {
        clearTimeout(expired);
        running.delete(d);
        settled.resolve();
      });
  }

  async function release(message: QueueMessage<T>): Promise<void> {
    await queue.retry(message.receipt, 0).catch((error: unknown) => onError(error, message));
  }

  const loop = (async () => {
    while (!receiving.signal.aborted) {
      const free = concurrency - running.size;
      if (free <= 0) {
        settled = Promise.withResolvers<void>();
        await settled.promise;
        continue;
      }
      let batch: QueueMessage<T>[];
      try {
        batch = await queue.receive({
          max: Math.min(10, free),
          visibilitySeconds,
          waitSeconds,
          signal: receiving.signal,
        });
      } catch (error) {
        onError(error);
        await sleep(1000, receiving.signal);
        continue;
      }
      for (const message of batch) {
        if (receiving.signal.aborted) await release(message);
        else start(message);
      }
    }
  })();

  let stopping: Promise<void> | undefined;
  return {
    stop(graceMs) {
      stopping ??= (async () => {
        receiving.abort();
        settled.resolve();
        await loop;
        const all = Promise.allSettled([...running].map((d) => d.done));
        await Promise.race([all, sleep(graceMs)]);
        const unfinished = [...running];
        for (const d of unfinished) {
          d.released = true;
          const reason = new DeliveryAbortedError('the consumer is stopping', {
            data: { queue: queue.name, messageId: d.message.id },
          });
          d.controller.abort(reason);
        }
        await Promise.all(unfinished.map((d) => release(d.message)));
      })();
      return stopping;
    },
  };
}

function reasonOf(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.length > MAX_REASON ? `${text.slice(0, MAX_REASON - 1)}…` : text;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
  });
}
