/**
 * Turns what the SQS SDK throws into the queue's typed errors, so a caller never inspects SDK error
 * names: a receipt that no longer holds, a queue that is busy or unreachable (worth retrying), or a
 * request SQS refuses as such (not worth retrying).
 */
import { FerryError } from '../errors.ts';
import { QueueRequestError, QueueUnavailableError, StaleReceiptError } from './queue-errors.ts';

interface SdkErrorShape {
  name?: string;
  message?: string;
  $fault?: 'client' | 'server';
  $metadata?: { httpStatusCode?: number };
  $retryable?: { throttling?: boolean };
}

const STALE = new Set(['ReceiptHandleIsInvalid', 'InvalidReceiptHandle', 'MessageNotInflight']);
const INVALID_PARAMETER = new Set(['InvalidParameterValue', 'InvalidParameterValueException']);
const THROTTLED = new Set([
  'ThrottlingException',
  'RequestThrottled',
  'KmsThrottled',
  'OverLimit',
  'TooManyRequestsException',
]);

/** The typed error for an SDK failure of `operation` on `queue`; a ferry error passes through as it is. */
export function queueErrorOf(error: unknown, queue: string, operation: string): FerryError {
  if (error instanceof FerryError) return error;
  const e = (typeof error === 'object' && error !== null ? error : {}) as SdkErrorShape;
  const name = e.name ?? 'Error';
  const status = e.$metadata?.httpStatusCode;
  const data = { queue, operation, code: name, ...(status === undefined ? {} : { status }) };
  const detail = `${name}: ${e.message ?? String(error)}`;
  if (STALE.has(name) || (INVALID_PARAMETER.has(name) && /receipt ?handle/i.test(e.message ?? ''))) {
    return new StaleReceiptError(`${operation}: the receipt no longer holds (${detail})`, {
      cause: error,
      data,
    });
  }
  // No HTTP status at all: the request never got an answer (refused, reset, timed out).
  const transient =
    THROTTLED.has(name) ||
    e.$retryable?.throttling === true ||
    e.$fault === 'server' ||
    status === undefined ||
    status === 429 ||
    status >= 500;
  if (transient) {
    return new QueueUnavailableError(`${operation} failed, SQS may answer later (${detail})`, {
      cause: error,
      data,
    });
  }
  return new QueueRequestError(`${operation} was refused by SQS (${detail})`, { cause: error, data });
}
