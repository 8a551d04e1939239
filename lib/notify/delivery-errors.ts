/**
 * What can go wrong when a notification is posted, as the notify job needs to tell it apart: wait as
 * told (429), retry with backoff (5xx, timeouts, the network) or give up and log the receiver's
 * answer (any other 4xx). Messages and `data` name the Provider and the receiver's host only: the
 * path of a Slack or Discord webhook URL is its credential, and a token never leaves the request.
 */
import { TerminalError, TransientError } from '../errors.ts';

export interface DeliveryErrorData {
  /** `Provider/namespace/name`. */
  provider: string;
  /** The receiver's host (with port when not the default), never its path or query. */
  host: string;
  /** The HTTP status, when the receiver answered. */
  status?: number;
}

/** The receiver asked us to slow down; come back after `retryAfterSeconds`. */
export class DeliveryRateLimitedError extends TransientError {
  readonly retryAfterSeconds: number;

  constructor(data: DeliveryErrorData & { retryAfterSeconds: number }) {
    super(
      `${data.provider}: ${data.host} is rate limiting deliveries; retry after ${data.retryAfterSeconds}s`,
      { data: { ...data } },
    );
    this.retryAfterSeconds = data.retryAfterSeconds;
  }
}

/** The receiver failed (5xx), did not answer in time, or could not be reached. */
export class DeliveryFailedError extends TransientError {
  constructor(reason: string, data: DeliveryErrorData, cause?: unknown) {
    super(`${data.provider}: delivery to ${data.host} failed: ${reason}`, { cause, data: { ...data } });
  }
}

/** The receiver refused the notification (a 4xx other than 429, or Slack's `ok: false`). */
export class DeliveryRejectedError extends TerminalError {
  /** The receiver's answer, truncated, with anything secret of ours cut out. */
  readonly answer: string;

  constructor(data: DeliveryErrorData & { status: number; answer: string }) {
    super(`${data.provider}: ${data.host} rejected the notification (HTTP ${data.status}): ${data.answer}`, {
      data: { ...data },
    });
    this.answer = data.answer;
  }
}
