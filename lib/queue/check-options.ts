/**
 * The limits SQS FIFO queues put on a send and a receive, checked the same way by both adapters so
 * that a job the embedded queue accepts is one SQS accepts too.
 */

import type { ReceiveOptions, SendOptions } from './job-queue.ts';
import { MAX_DELAY_SECONDS } from './job-queue.ts';
import { QueueRequestError } from './queue-errors.ts';

/** SQS's alphabet for group and deduplication ids: letters, digits and ASCII punctuation, 1–128. */
const SQS_ID = /^[A-Za-z0-9!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]{1,128}$/;
/** SQS's longest long poll. */
const MAX_WAIT_SECONDS = 20;
const MAX_BATCH = 10;

export interface CheckedReceiveOptions {
  max: number;
  visibilitySeconds: number;
  waitSeconds: number;
  signal: AbortSignal | undefined;
}

function wholeSecondsIn(what: string, value: number, max: number, queue: string): number {
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new QueueRequestError(`${what} must be a whole number of seconds from 0 to ${max}, not ${value}`, {
      data: { queue, [what]: value },
    });
  }
  return value;
}

/** The send's options, or a QueueRequestError naming the one that SQS would refuse. */
export function checkSendOptions(queue: string, options: SendOptions): Required<SendOptions> {
  for (const key of ['group', 'dedupeId'] as const) {
    if (typeof options[key] !== 'string' || !SQS_ID.test(options[key])) {
      throw new QueueRequestError(`${key} must be 1–128 letters, digits or ASCII punctuation`, {
        data: { queue, [key]: options[key] },
      });
    }
  }
  const delaySeconds = wholeSecondsIn('delaySeconds', options.delaySeconds ?? 0, MAX_DELAY_SECONDS, queue);
  return { group: options.group, dedupeId: options.dedupeId, delaySeconds };
}

/** The receive's options with the adapter's defaults filled in, or a QueueRequestError. */
export function checkReceiveOptions(
  queue: string,
  options: ReceiveOptions,
  defaultVisibilitySeconds: number,
): CheckedReceiveOptions {
  const max = options.max ?? 1;
  if (!Number.isInteger(max) || max < 1 || max > MAX_BATCH) {
    throw new QueueRequestError(`max must be a whole number from 1 to ${MAX_BATCH}, not ${max}`, {
      data: { queue, max },
    });
  }
  return {
    max,
    visibilitySeconds: wholeSecondsIn(
      'visibilitySeconds',
      options.visibilitySeconds ?? defaultVisibilitySeconds,
      MAX_DELAY_SECONDS,
      queue,
    ),
    waitSeconds: wholeSecondsIn('waitSeconds', options.waitSeconds ?? 0, MAX_WAIT_SECONDS, queue),
    signal: options.signal,
  };
}

/** The body as JSON text, or a QueueRequestError for a body JSON cannot carry. */
export function encodeBody(queue: string, body: unknown): string {
  const text = JSON.stringify(body);
  if (typeof text !== 'string') {
    throw new QueueRequestError('a job body must be JSON: an object, array, string, number or boolean', {
      data: { queue },
    });
  }
  return text;
}
