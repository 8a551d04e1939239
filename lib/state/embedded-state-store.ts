/**
 * The StateStore under `ferry serve`: one SQLite file in the state directory, through Node's
 * built-in `node:sqlite`, so a newcomer needs no AWS, no Java and no native build.
 *
 * Durability: the WAL journal with synchronous=FULL fsyncs the log on every commit, so a put that
 * resolved survives a crash of the process or the machine, and a restart replays the log.
 * Concurrency: `ferry serve` writes while `ferry get` reads the same directory. WAL lets readers
 * run beside the one writer; every read-modify-write runs in a `BEGIN IMMEDIATE` transaction, so
 * the version check and the write are one step across processes, and the busy timeout makes a
 * second writer wait for the lock instead of failing.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { StatementSync } from 'node:sqlite';
import { DatabaseSync } from 'node:sqlite';
import {
  checkIfVersion,
  checkPutOptions,
  expiryOf,
  isLive,
  queryLimit,
  serialiseValue,
} from './item-rules.ts';
import type { DeleteOptions, PutOptions, QueryOptions, StateStore, StoredItem } from './state-store.ts';
import { StateConflictError, splitItemKey, splitKey } from './state-store.ts';

export interface EmbeddedStateStoreOptions {
  /** The state directory; created when missing. The database is `state.db` inside it. */
  dir: string;
  /** The clock, in epoch milliseconds; tests pin it to step over TTLs. */
  now?: () => number;
  /** How long a write waits for another process holding the lock before it fails. */
  busyTimeoutMs?: number;
}

/** The file name inside the state directory, for tools that inspect or back it up. */
export const EMBEDDED_STATE_FILE = 'state.db';

const SCHEMA_VERSION = 1;
/** Expired rows are deleted by writes, at most this often and this many at a time, so no put pays for a backlog. */
const SWEEP_INTERVAL_MS = 60_000;
const SWEEP_BATCH = 500;

interface Row {
  key: string;
  value: string;
  version: number;
  expires_at: number | null;
}

export class EmbeddedStateStore implements StateStore {
  readonly #db: DatabaseSync;
  readonly #now: () => number;
  readonly #select: StatementSync;
  readonly #selectLive: StatementSync;
  readonly #range: StatementSync;
  readonly #upsert: StatementSync;
  readonly #remove: StatementSync;
  readonly #sweep: StatementSync;
  #lastSweep = Number.NEGATIVE_INFINITY;

  constructor(options: EmbeddedStateStoreOptions) {
    mkdirSync(options.dir, { recursive: true });
    this.#now = options.now ?? Date.now;
    this.#db = new DatabaseSync(join(options.dir, EMBEDDED_STATE_FILE), {
      timeout: options.busyTimeoutMs ?? 10_000,
    });
    try {
      this.#migrate();
    } catch (error) {
      this.#db.close();
      throw error;
    }
    this.#select = this.#db.prepare('SELECT key, value, version, expires_at FROM items WHERE key = ?');
    this.#selectLive = this.#db.prepare(
      'SELECT key, value, version, expires_at FROM items WHERE key = ? AND (expires_at IS NULL OR expires_at > ?)',
    );
    this.#range = this.#db.prepare(
      `SELECT key, value, version, expires_at FROM items
       WHERE key >= ? AND key < ? AND (expires_at IS NULL OR expires_at > ?)
       ORDER BY key LIMIT ?`,
    );
    this.#upsert = this.#db.prepare(
      `INSERT INTO items (key, value, version, expires_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET
         value = excluded.value, version = excluded.version, expires_at = excluded.expires_at`,
    );
    this.#remove = this.#db.prepare('DELETE FROM items WHERE key = ?');
    this.#sweep = this.#db.prepare(
      `DELETE FROM items WHERE rowid IN
         (SELECT rowid FROM items WHERE expires_at IS NOT NULL AND expires_at <= ? LIMIT ${SWEEP_BATCH})`,
    );
  }

  async get<T = unknown>(key: string): Promise<StoredItem<T> | undefined> {
    splitItemKey(key);
    const row = this.#selectLive.get(key, this.#now()) as Row | undefined;
    return row === undefined ? undefined : toItem<T>(row);
  }

  async put<T = unknown>(key: string, value: T, options: PutOptions = {}): Promise<StoredItem<T>> {
    splitItemKey(key);
    checkPutOptions(key, options);
    const json = serialiseValue(key, value);
    return this.#write((now) => {
      const live = this.#liveRow(key, now);
      if (options.ifAbsent && live) throw new StateConflictError(key, 'absent');
      if (options.ifVersion !== undefined && live?.version !== options.ifVersion) {
        throw new StateConflictError(key, `version ${options.ifVersion}`);
      }
      const version = (live?.version ?? 0) + 1;
      const expiresAt = expiryOf(now, options);
      this.#upsert.run(key, json, version, expiresAt ?? null);
      return expiresAt === undefined ? { key, value, version } : { key, value, version, expiresAt };
    });
  }

  async delete(key: string, options: DeleteOptions = {}): Promise<boolean> {
    splitItemKey(key);
    checkIfVersion('delete', key, options.ifVersion);
    return this.#write((now) => {
      const row = this.#select.get(key) as Row | undefined;
      const live = row !== undefined && isLive(row.expires_at, now);
      if (options.ifVersion !== undefined && (!live || row.version !== options.ifVersion)) {
        throw new StateConflictError(key, `version ${options.ifVersion}`);
      }
      if (row !== undefined) this.#remove.run(key);
      return live;
    });
  }

  async query<T = unknown>(prefix: string, options: QueryOptions = {}): Promise<StoredItem<T>[]> {
    splitKey(prefix);
    const limit = queryLimit(options);
    if (limit === 0) return [];
    const rows = this.#range.all(prefix, upperBound(prefix), this.#now(), limit ?? -1) as unknown as Row[];
    return rows.map((row) => toItem<T>(row));
  }

  async ping(): Promise<void> {
    this.#db.prepare('SELECT 1').get();
  }

  async close(): Promise<void> {
    if (this.#db.isOpen) this.#db.close();
  }

  #liveRow(key: string, now: number): Row | undefined {
    const row = this.#select.get(key) as Row | undefined;
    return row !== undefined && isLive(row.expires_at, now) ? row : undefined;
  }

  /** Runs a read-modify-write as one transaction that holds the write lock from its first read. */
  #write<R>(step: (now: number) => R): R {
    this.#db.exec('BEGIN IMMEDIATE');
    try {
      const now = this.#now();
      const result = step(now);
      if (now - this.#lastSweep >= SWEEP_INTERVAL_MS) {
        this.#sweep.run(now);
        this.#lastSweep = now;
      }
      this.#db.exec('COMMIT');
      return result;
    } catch (error) {
      if (this.#db.isTransaction) this.#db.exec('ROLLBACK');
      throw error;
    }
  }

  #migrate(): void {
    const mode = this.#db.prepare('PRAGMA journal_mode = WAL').get() as { journal_mode: string };
    if (mode.journal_mode !== 'wal') {
      throw new Error(`the state directory cannot hold a WAL journal (got ${mode.journal_mode})`);
    }
    this.#db.exec('PRAGMA synchronous = FULL');
    this.#db.exec('BEGIN IMMEDIATE');
    try {
      const { user_version: found } = this.#db.prepare('PRAGMA user_version').get() as {
        user_version: number;
      };
      if (found > SCHEMA_VERSION) {
        throw new Error(`state.db has schema ${found}; this ferry knows up to ${SCHEMA_VERSION}`);
      }
      this.#db.exec(`
        CREATE TABLE IF NOT EXISTS items (
          key TEXT NOT NULL PRIMARY KEY,
          value TEXT NOT NULL,
          version INTEGER NOT NULL,
          expires_at INTEGER
        );
        CREATE INDEX IF NOT EXISTS items_expiry ON items (expires_at) WHERE expires_at IS NOT NULL;
        PRAGMA user_version = ${SCHEMA_VERSION};
      `);
      this.#db.exec('COMMIT');
    } catch (error) {
      if (this.#db.isTransaction) this.#db.exec('ROLLBACK');
      throw error;
    }
  }
}

function toItem<T>(row: Row): StoredItem<T> {
  const item: StoredItem<T> = { key: row.key, value: JSON.parse(row.value) as T, version: row.version };
  if (row.expires_at !== null) item.expiresAt = row.expires_at;
  return item;
}

/**
 * The least string greater than every string that starts with the prefix: the prefix with its last
 * code point raised by one. SQLite compares text as UTF-8 bytes, which orders like code points,
 * so `key >= prefix AND key < bound` is exactly "starts with prefix" and the primary key index
 * answers it as one range scan.
 */
function upperBound(prefix: string): string {
  const points = Array.from(prefix);
  while (points.length > 0) {
    const last = points.pop()!.codePointAt(0)!;
    if (last < 0x10ffff) {
      const next = last + 1 === 0xd800 ? 0xe000 : last + 1;
      return points.join('') + String.fromCodePoint(next);
    }
  }
  // Unreachable for a valid prefix, which holds a "/"; an empty bound would match nothing.
  return '';
}
