/**
 * The JobQueue of `ferry serve`: SQS FIFO semantics on local disk (see queue-database.ts for how they
 * are stored). All queues of one directory share one database file and one connection.
 *
 * A long-polling receive wakes at once for changes made in this process (a send, an ack that frees a
 * group, a retry) and otherwise looks again every `pollMs`, which is how messages sent by another
 * process, and delays or visibility timeouts running out, are noticed.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
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
import { MAX_DELAY_SECONDS } from './job-queue.ts';
import type { MessageRow } from './queue-database.ts';
import { QueueDatabase } from './queue-database.ts';
import { QueueRequestError } from './queue-errors.ts';

export interface EmbeddedJobQueueFactoryOptions {
  /** The folder of the database file (`queue.db`); created when missing. */
  dir: string;
  /** Epoch milliseconds. Tests pin it to step over the five-minute deduplication window. */
  now?: () => number;
  /** The visibility timeout of a receive that names none; SQS's default is 30 s. */
  visibilitySeconds?: number;
  /** How often a waiting receive looks for what another process sent. */
  pollMs?: number;
}

/** Opens the embedded queues of one directory. */
export class EmbeddedJobQueueFactory implements JobQueueFactory {
  readonly #db: QueueDatabase;
  readonly #queues = new Set<EmbeddedJobQueue<unknown>>();
  readonly #options: Required<Omit<EmbeddedJobQueueFactoryOptions, 'dir'>>;

  constructor(options: EmbeddedJobQueueFactoryOptions) {
    mkdirSync(options.dir, { recursive: true });
    this.#db = new QueueDatabase(join(options.dir, 'queue.db'));
    this.#options = {
      now: options.now ?? Date.now,
      visibilitySeconds: options.visibilitySeconds ?? 30,
      pollMs: options.pollMs ?? 200,
    };
  }

  open<T = unknown>(name: string): JobQueue<T> {
    const queue = new EmbeddedJobQueue<T>(name, this.#db, this.#options, (changed) => this.#wake(changed));
    this.#queues.add(queue as EmbeddedJobQueue<unknown>);
    return queue;
  }

  /**
   * Gives back every delivery still in flight, across all queues of the directory. Only for the one
   * consumer of the directory at its start: what is in flight then belongs to a process that died,
   * and waiting out its visibility timeout would hold those messages' groups for minutes.
   */
  recoverInFlight(): number {
    return this.#db.recoverInFlight(this.#options.now());
  }

  async close(): Promise<void> {
    for (const queue of this.#queues) await queue.close();
    this.#queues.clear();
    this.#db.close();
  }

  #wake(name: string): void {
    for (const queue of this.#queues) if (queue.name === name) queue.wake();
  }
}

class EmbeddedJobQueue<T> implements JobQueue<T> {
  readonly name: string;
  readonly #db: QueueDatabase;
  readonly #now: () => number;
  readonly #visibilitySeconds: number;
  readonly #pollMs: number;
  readonly #changed: (name: string) => void;
  readonly #waiters = new Set<() => void>();
  #closed = false;

  constructor(
    name: string,
    db: QueueDatabase,
    options: { now: () => number; visibilitySeconds: number; pollMs: number },
    changed: (name: string) => void,
  ) {
    this.name = name;
    this.#db = db;
    this.#now = options.now;
    this.#visibilitySeconds = options.visibilitySeconds;
    this.#pollMs = options.pollMs;
    this.#changed = changed;
  }

  async send(body: T, options: SendOptions): Promise<{ id: string }> {
    this.#open();
    const { group, dedupeId, delaySeconds } = checkSendOptions(this.name, options);
    const message = { grp: group, dedupeId, body: encodeBody(this.name, body), delayMs: delaySeconds * 1000 };
    const id = this.#db.send(this.name, message, this.#now());
    this.#changed(this.name);
    return { id };
  }

  async receive(options: ReceiveOptions = {}): Promise<QueueMessage<T>[]> {
    this.#open();
    const { max, visibilitySeconds, waitSeconds, signal } = checkReceiveOptions(
      this.name,
      options,
      this.#visibilitySeconds,
    );
    const deadline = performance.now() + waitSeconds * 1000;
    for (;;) {
      // Checked before taking, so a receive that is called off never leaves messages in flight.
      if (signal?.aborted || this.#closed) return [];
      const now = this.#now();
      const rows = this.#db.take(this.name, max, visibilitySeconds * 1000, now);
      const left = deadline - performance.now();
      if (rows.length > 0 || left <= 0) return rows.map((r) => toMessage<T>(r));
      const due = this.#db.nextVisibleAt(this.name, now);
      await this.#wait(Math.min(left, this.#pollMs, due === undefined ? Infinity : due - now), signal);
    }
  }

  async ack(receipt: string): Promise<void> {
    this.#open();
    this.#db.ack(this.name, receipt, this.#now());
    this.#changed(this.name);
  }

  async retry(receipt: string, delaySeconds: number): Promise<void> {
    this.#open();
    if (!Number.isInteger(delaySeconds) || delaySeconds < 0 || delaySeconds > MAX_DELAY_SECONDS) {
      throw new QueueRequestError(`delaySeconds must be a whole number from 0 to ${MAX_DELAY_SECONDS}`, {
        data: { queue: this.name, delaySeconds },
      });
    }
    const now = this.#now();
    this.#db.release(this.name, receipt, now + delaySeconds * 1000, now);
    this.#changed(this.name);
  }

  async deadLetter(receipt: string, reason: string): Promise<void> {
    this.#open();
    this.#db.deadLetter(this.name, receipt, reason, this.#now());
    this.#changed(this.name);
  }

  async deadLetters(options: { limit?: number } = {}): Promise<DeadLetter<T>[]> {
    this.#open();
    return this.#db.deadLetters(this.name, options.limit ?? 100).map((row) => ({
      id: row.id,
      body: JSON.parse(row.body) as T,
      group: row.grp,
      receiveCount: row.receive_count,
      reason: row.reason,
      at: row.at,
    }));
  }

  async stats(): Promise<QueueStats> {
    this.#open();
    return this.#db.stats(this.name, this.#now());
  }

  /** Pending receives return what they have; the shared database stays open for the other queues. */
  async close(): Promise<void> {
    this.#closed = true;
    this.wake();
  }

  wake(): void {
    for (const waiter of this.#waiters) waiter();
    this.#waiters.clear();
  }

  #wait(ms: number, signal: AbortSignal | undefined): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        this.#waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, Math.max(1, ms));
      signal?.addEventListener('abort', done, { once: true });
      this.#waiters.add(done);
    });
  }

  #open(): void {
    if (this.#closed) throw new QueueRequestError('the queue is closed', { data: { queue: this.name } });
  }
}

function toMessage<T>(row: MessageRow): QueueMessage<T> {
  return {
    id: row.id,
    body: JSON.parse(row.body) as T,
    group: row.grp,
    dedupeId: row.dedupe_id,
    receiveCount: row.receive_count,
    sentAt: row.sent_at,
    receipt: row.receipt,
  };
}
