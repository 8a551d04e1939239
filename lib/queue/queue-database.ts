/**
 * The embedded queue's disk: one SQLite file in WAL mode with synchronous=FULL, so a message whose
 * send returned survives a crash of the process or the machine. Several processes may open the same
 * file (a CLI sends while the server consumes); every change is one short IMMEDIATE transaction, and
 * a writer waits out another's lock for the busy timeout before giving up with a transient error.
 *
 * A message's state is two columns: `visible_at` (not deliverable before) and `receipt` (set while a
 * delivery is in flight). Visible: visible_at has passed. In flight: a receipt and visible_at ahead.
 * Delayed (a send delay or a retry backoff): no receipt and visible_at ahead. A group's head is its
 * lowest `seq`; only a head is ever delivered, so a held head holds its group. Heads carry `head = 1`
 * (set on send into an empty group, passed on when a head leaves), so that a receive walks the
 * groups' heads only, not the backlog behind them.
 */
import { randomUUID } from 'node:crypto';
import type { StatementSync } from 'node:sqlite';
import { DatabaseSync } from 'node:sqlite';
import type { QueueStats } from './job-queue.ts';
import { DEDUPE_WINDOW_SECONDS } from './job-queue.ts';
import { QueueUnavailableError, StaleReceiptError } from './queue-errors.ts';
import { QUEUE_SCHEMA } from './queue-schema.ts';

/** A message row as a delivery sees it. */
export interface MessageRow {
  id: string;
  grp: string;
  dedupe_id: string;
  body: string;
  sent_at: number;
  receive_count: number;
  receipt: string;
}

export interface DeadLetterRow {
  id: string;
  grp: string;
  body: string;
  receive_count: number;
  reason: string;
  at: number;
}

/** SQLITE_BUSY and SQLITE_LOCKED: another connection held the lock past the busy timeout. */
function isLockError(error: unknown): boolean {
  const code = (error as { errcode?: unknown }).errcode;
  return typeof code === 'number' && ((code & 0xff) === 5 || (code & 0xff) === 6);
}

export class QueueDatabase {
  readonly #db: DatabaseSync;
  readonly #statements = new Map<string, StatementSync>();

  constructor(file: string, busyTimeoutMs = 5_000) {
    this.#db = new DatabaseSync(file);
    this.#db.exec(`PRAGMA busy_timeout = ${busyTimeoutMs}`);
    this.#db.exec('PRAGMA journal_mode = WAL');
    this.#db.exec('PRAGMA synchronous = FULL');
    this.#transaction('open', () => this.#db.exec(QUEUE_SCHEMA));
  }

  close(): void {
    if (this.#db.isOpen) this.#db.close();
  }

  /** Stores the message unless its dedupeId was sent within the window; either way, the message's id. */
  send(
    queue: string,
    m: { grp: string; dedupeId: string; body: string; delayMs: number },
    now: number,
  ): string {
    return this.#transaction(queue, () => {
      this.#run('DELETE FROM dedupe WHERE at <= ?', now - DEDUPE_WINDOW_SECONDS * 1000);
      const seen = this.#get<{ message_id: string }>(
        'SELECT message_id FROM dedupe WHERE queue = ? AND dedupe_id = ?',
        queue,
        m.dedupeId,
      );
      if (seen) return seen.message_id;
      const id = randomUUID();
      this.#run(
        'INSERT INTO dedupe (queue, dedupe_id, message_id, at) VALUES (?, ?, ?, ?)',
        queue,
        m.dedupeId,
        id,
        now,
      );
      this.#run(
        `INSERT INTO messages (id, queue, grp, dedupe_id, body, sent_at, visible_at, head)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, NOT EXISTS (SELECT 1 FROM messages WHERE queue = ?2 AND grp = ?3))`,
        id,
        queue,
        m.grp,
        m.dedupeId,
        m.body,
        now,
        now + m.delayMs,
      );
      return id;
    });
  }

  /** Makes every in-flight delivery visible again; returns how many there were. */
  recoverInFlight(now: number): number {
    return this.#transaction('recover', () =>
      this.#run(
        'UPDATE messages SET receipt = NULL, visible_at = ? WHERE receipt IS NOT NULL AND visible_at > ?',
        now,
        now,
      ),
    );
  }

  /** Delivers up to `max` visible group heads, oldest first, each with a fresh receipt. */
  take(queue: string, max: number, visibilityMs: number, now: number): MessageRow[] {
    const heads = `
      SELECT seq, id, grp, dedupe_id, body, sent_at, receive_count FROM messages INDEXED BY heads_in_order
      WHERE queue = ? AND head = 1 AND visible_at <= ? ORDER BY seq LIMIT ?`;
    // A read first, so that idle polling never takes the write lock another process may want.
    if (this.#guard(queue, () => this.#all(heads, queue, now, max)).length === 0) return [];
    return this.#transaction(queue, () =>
      this.#all<MessageRow & { seq: number }>(heads, queue, now, max).map(({ seq, ...row }) => {
        const receipt = `${row.id}:${randomUUID()}`;
        this.#run(
          'UPDATE messages SET receipt = ?, visible_at = ?, receive_count = receive_count + 1 WHERE seq = ?',
          receipt,
          now + visibilityMs,
          seq,
        );
        return { ...row, receive_count: row.receive_count + 1, receipt };
      }),
    );
  }

  /** Deletes the delivery's message; a message already gone counts as acknowledged. */
  ack(queue: string, receipt: string, now: number): void {
    this.#transaction(queue, () => {
      const row = this.#live(queue, receipt, now);
      if (row) this.#remove(queue, row);
      else if (this.#get('SELECT 1 AS one FROM messages WHERE id = ?', idOf(receipt)))
        throw stale(queue, receipt, 'ack');
    });
  }

  /** Ends the delivery; the message stays its group's head and is deliverable again at `visibleAt`. */
  release(queue: string, receipt: string, visibleAt: number, now: number): void {
    this.#transaction(queue, () => {
      const changes = this.#run(
        'UPDATE messages SET receipt = NULL, visible_at = ? WHERE id = ? AND queue = ? AND receipt = ? AND visible_at > ?',
        visibleAt,
        idOf(receipt),
        queue,
        receipt,
        now,
      );
      if (changes === 0) throw stale(queue, receipt, 'retry');
    });
  }

  /** Moves the delivery's message to the dead letters, with the reason. */
  deadLetter(queue: string, receipt: string, reason: string, now: number): void {
    this.#transaction(queue, () => {
      const row = this.#live(queue, receipt, now);
      if (!row) throw stale(queue, receipt, 'deadLetter');
      this.#run(
        'INSERT INTO dead_letters (queue, id, grp, body, receive_count, reason, at) VALUES (?, ?, ?, ?, ?, ?, ?)',
        queue,
        row.id,
        row.grp,
        row.body,
        row.receive_count,
        reason,
        now,
      );
      this.#remove(queue, row);
    });
  }

  deadLetters(queue: string, limit: number): DeadLetterRow[] {
    return this.#guard(queue, () =>
      this.#all<DeadLetterRow>(
        'SELECT id, grp, body, receive_count, reason, at FROM dead_letters WHERE queue = ? ORDER BY seq LIMIT ?',
        queue,
        limit,
      ),
    );
  }

  stats(queue: string, now: number): QueueStats {
    return this.#guard(queue, () => {
      const counts = this.#get<{ visible: number | null; inFlight: number | null; delayed: number | null }>(
        `SELECT SUM(visible_at <= ?1) AS visible,
                SUM(visible_at > ?1 AND receipt IS NOT NULL) AS inFlight,
                SUM(visible_at > ?1 AND receipt IS NULL) AS delayed
         FROM messages WHERE queue = ?2`,
        now,
        queue,
      );
      const dead = this.#get<{ n: number }>('SELECT COUNT(*) AS n FROM dead_letters WHERE queue = ?', queue);
      return {
        visible: counts?.visible ?? 0,
        inFlight: counts?.inFlight ?? 0,
        delayed: counts?.delayed ?? 0,
        deadLetters: dead?.n ?? 0,
      };
    });
  }

  /** When the queue's next delayed or in-flight message turns visible, if any. */
  nextVisibleAt(queue: string, now: number): number | undefined {
    const row = this.#guard(queue, () =>
      this.#get<{ at: number | null }>(
        'SELECT MIN(visible_at) AS at FROM messages WHERE queue = ? AND head = 1 AND visible_at > ?',
        queue,
        now,
      ),
    );
    return row?.at ?? undefined;
  }

  /** The message a receipt names, if that delivery is still in flight. */
  #live(queue: string, receipt: string, now: number) {
    return this.#get<{ seq: number; id: string; grp: string; body: string; receive_count: number }>(
      'SELECT seq, id, grp, body, receive_count FROM messages WHERE id = ? AND queue = ? AND receipt = ? AND visible_at > ?',
      idOf(receipt),
      queue,
      receipt,
      now,
    );
  }

  /** Deletes a group's head and makes the next message of the group its head. */
  #remove(queue: string, row: { seq: number; grp: string }): void {
    this.#run('DELETE FROM messages WHERE seq = ?', row.seq);
    this.#run(
      `UPDATE messages SET head = 1
       WHERE seq = (SELECT MIN(seq) FROM messages WHERE queue = ?1 AND grp = ?2)`,
      queue,
      row.grp,
    );
  }

  #transaction<R>(queue: string, work: () => R): R {
    return this.#guard(queue, () => {
      this.#db.exec('BEGIN IMMEDIATE');
      try {
        const result = work();
        this.#db.exec('COMMIT');
        return result;
      } catch (error) {
        if (this.#db.isTransaction) this.#db.exec('ROLLBACK');
        throw error;
      }
    });
  }

  #guard<R>(queue: string, work: () => R): R {
    try {
      return work();
    } catch (error) {
      if (!isLockError(error)) throw error;
      throw new QueueUnavailableError('the queue database stayed locked by another process', {
        cause: error,
        data: { queue },
      });
    }
  }

  #statement(sql: string): StatementSync {
    let statement = this.#statements.get(sql);
    if (!statement) {
      statement = this.#db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }

  #run(sql: string, ...params: (string | number)[]): number {
    return Number(this.#statement(sql).run(...params).changes);
  }

  #get<R>(sql: string, ...params: (string | number)[]): R | undefined {
    return this.#statement(sql).get(...params) as R | undefined;
  }

  #all<R>(sql: string, ...params: (string | number)[]): R[] {
    return this.#statement(sql).all(...params) as R[];
  }
}

function idOf(receipt: string): string {
  return receipt.slice(0, Math.max(0, receipt.indexOf(':')));
}

function stale(queue: string, receipt: string, operation: string): StaleReceiptError {
  return new StaleReceiptError(
    `${operation}: the receipt's visibility timeout has ended or the message is gone; it may be with another consumer`,
    { data: { queue, messageId: idOf(receipt), operation } },
  );
}
