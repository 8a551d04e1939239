/**
 * The JobQueue port: FIFO-per-group delivery with visibility timeouts, the semantics of an SQS FIFO
 * queue. The embedded adapter reproduces them on local disk so that `ferry serve` and AWS behave alike:
 *
 * - Messages of one group are delivered one at a time, in send order: while a group's oldest message
 *   is in flight or waiting out a delay, the rest of that group waits. Different groups run in parallel.
 * - A send whose dedupeId was seen in the last five minutes is accepted and dropped.
 * - A received message stays invisible for the visibility timeout; unacknowledged, it comes back with
 *   its receiveCount one higher (a consumer that crashed loses nothing).
 * - Retry policy (backoff, dead-lettering after N receives) lives in the consumer, not the adapter.
 */

export interface SendOptions {
  /** Messages of one group are processed one at a time, in order. */
  group: string;
  /** Identical ids within the deduplication window are delivered once. */
  dedupeId: string;
  /** Not delivered before this many seconds have passed (at most 43,200). */
  delaySeconds?: number;
}

export interface ReceiveOptions {
  /** At most this many messages (1–10). */
  max?: number;
  /** How long the received messages stay invisible to other consumers. */
  visibilitySeconds?: number;
  /** Wait up to this long for a first message (long polling); 0 returns at once. */
  waitSeconds?: number;
  /** Ends a long poll early (a consumer that stops); the receive then returns what it has, often nothing. */
  signal?: AbortSignal;
}

export interface QueueMessage<T = unknown> {
  id: string;
  body: T;
  group: string;
  dedupeId: string;
  /** Deliveries of this message to a consumer, this one included (a delay does not count). */
  receiveCount: number;
  /** Epoch milliseconds of the send. */
  sentAt: number;
  /** Opaque handle for ack, retry and deadLetter; valid until the visibility timeout ends. */
  receipt: string;
}

export interface DeadLetter<T = unknown> {
  id: string;
  body: T;
  group: string;
  receiveCount: number;
  reason: string;
  /** Epoch milliseconds when it was dead-lettered. */
  at: number;
}

export interface QueueStats {
  /** Deliverable now. */
  visible: number;
  /** Received and not yet acknowledged. */
  inFlight: number;
  /** Waiting for a delay or a retry backoff. */
  delayed: number;
  deadLetters: number;
}

export interface JobQueue<T = unknown> {
  readonly name: string;
  send(body: T, options: SendOptions): Promise<{ id: string }>;
  receive(options?: ReceiveOptions): Promise<QueueMessage<T>[]>;
  /**
   * The message is done; it is never delivered again. Acknowledging a message that is already gone
   * succeeds (as on SQS); a receipt whose visibility timeout ended throws StaleReceiptError, because
   * the message may be with another consumer by then.
   */
  ack(receipt: string): Promise<void>;
  /**
   * Makes the message deliverable again after the delay (0: at once); its group stays held until then.
   * Throws StaleReceiptError once the receipt's visibility timeout has ended or the message is gone.
   */
  retry(receipt: string, delaySeconds: number): Promise<void>;
  /**
   * Moves the message to the dead-letter queue with the reason, removing it from this queue. Throws
   * StaleReceiptError once the receipt's visibility timeout has ended or the message is gone.
   */
  deadLetter(receipt: string, reason: string): Promise<void>;
  /** The dead-lettered messages, oldest first. */
  deadLetters(options?: { limit?: number }): Promise<DeadLetter<T>[]>;
  stats(): Promise<QueueStats>;
  close(): Promise<void>;
}

/** Opens the queue of one name (one per job kind); adapters share connections between queues. */
export interface JobQueueFactory {
  open<T = unknown>(name: string): JobQueue<T>;
  close(): Promise<void>;
}

/** SQS keeps deduplication ids for five minutes; the embedded queue does the same. */
export const DEDUPE_WINDOW_SECONDS = 300;
/** The longest delay or visibility timeout SQS accepts (12 hours). */
export const MAX_DELAY_SECONDS = 43_200;
