/**
 * The queue's own failures, each terminal or transient like every ferry error, so that a job that
 * trips over its queue is handled by the same rules as one that trips over a registry.
 */
import { TerminalError, TransientError } from '../errors.ts';

/**
 * The receipt no longer names a delivery in flight: its visibility timeout ended (the message may
 * already be with another consumer) or the message was released. Acting on it could delete or move
 * someone else's delivery, so the call is refused; retrying the call cannot help.
 */
export class StaleReceiptError extends TerminalError {}

/**
 * The queue could not be reached or asked us to slow down (throttling, 5xx, a network error, a
 * database locked past its busy timeout). The same call may succeed later.
 */
export class QueueUnavailableError extends TransientError {}

/**
 * The queue refused the request itself: an option out of range, a queue that does not exist, a body
 * it will not take. Sending it again unchanged cannot help.
 */
export class QueueRequestError extends TerminalError {}

/**
 * The reason a handler's signal aborts: its consumer is stopping, or the delivery's visibility
 * timeout ended and the message may already be running elsewhere. The job will run again, so the
 * failure is transient.
 */
export class DeliveryAbortedError extends TransientError {}
