/**
 * The StateStore port: a small versioned key-value store. Tag lists, object status, inventories
 * and events live here, in DynamoDB on AWS and in an embedded store under `ferry serve`.
 *
 * Keys are `/`-separated paths whose first segment is the partition (`status/Kustomization/ns/name`
 * lives in partition `status`). A prefix query must name the partition: `query('status/')` and
 * `query('status/Kustomization/')` are fine, `query('sta')` is not. That is what a single DynamoDB
 * table can answer with one Query, and the embedded adapter enforces the same rule so that code
 * written against one adapter runs on the other.
 */
import { TransientError } from '../errors.ts';

export interface StoredItem<T = unknown> {
  key: string;
  value: T;
  /** Starts at 1 on the first put and grows by one with every put. */
  version: number;
  /** Epoch milliseconds after which the item is gone, if it was put with a TTL. */
  expiresAt?: number;
}

export interface PutOptions {
  /** Write only if the stored version is exactly this (optimistic concurrency). */
  ifVersion?: number;
  /** Write only if no live item has this key. */
  ifAbsent?: boolean;
  /** The item expires this many seconds after the put. */
  ttlSeconds?: number;
}

export interface DeleteOptions {
  ifVersion?: number;
}

export interface QueryOptions {
  /** At most this many items, in key order. */
  limit?: number;
}

export interface StateStore {
  /** The live item, or undefined when absent or expired. */
  get<T = unknown>(key: string): Promise<StoredItem<T> | undefined>;
  /** Stores a JSON-serialisable value of any size; throws StateConflictError when a condition fails. */
  put<T = unknown>(key: string, value: T, options?: PutOptions): Promise<StoredItem<T>>;
  /** Removes the item; true when something was removed. Throws StateConflictError when ifVersion fails. */
  delete(key: string, options?: DeleteOptions): Promise<boolean>;
  /** Live items whose key starts with the prefix, in key order. */
  query<T = unknown>(prefix: string, options?: QueryOptions): Promise<StoredItem<T>[]>;
  /** Resolves when the backing store answers; used by readiness checks. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** A conditional put or delete lost a race; re-read and try again. */
export class StateConflictError extends TransientError {
  constructor(key: string, expected: string, options: { cause?: unknown } = {}) {
    super(`state conflict on ${key}: expected ${expected}`, {
      cause: options.cause,
      data: { key, expected },
    });
  }
}

/** The key or prefix does not follow the `partition/rest` rule. */
export class StateKeyError extends TypeError {
  constructor(key: string, reason: string) {
    super(`invalid state key ${JSON.stringify(key)}: ${reason}`);
    this.name = 'StateKeyError';
  }
}

/** A put was handed a value that JSON cannot carry (undefined, a function, a cycle). */
export class StateValueError extends TypeError {
  constructor(key: string, reason: string, options: { cause?: unknown } = {}) {
    super(`invalid state value for ${key}: ${reason}`, options.cause === undefined ? undefined : options);
    this.name = 'StateValueError';
  }
}

/**
 * The longest item key, in UTF-8 bytes. DynamoDB caps a sort key at 1,024 bytes and the adapter
 * appends a chunk suffix to it, so the embedded adapter enforces the same cap: a key that works
 * under `ferry serve` must work on AWS.
 */
export const MAX_STATE_KEY_BYTES = 960;

/** Splits a key or prefix into its partition and the rest, enforcing the port's key rule. */
export function splitKey(key: string): { partition: string; rest: string } {
  const slash = key.indexOf('/');
  if (slash <= 0) throw new StateKeyError(key, 'it must start with a partition segment followed by "/"');
  return { partition: key.slice(0, slash), rest: key.slice(slash + 1) };
}

/**
 * Splits the key of one item. Stricter than a prefix: something must follow the partition (a
 * DynamoDB key attribute cannot be empty), and the key must fit MAX_STATE_KEY_BYTES.
 */
export function splitItemKey(key: string): { partition: string; rest: string } {
  const parts = splitKey(key);
  if (parts.rest === '') throw new StateKeyError(key, 'it must name an item after the partition');
  if (Buffer.byteLength(key) > MAX_STATE_KEY_BYTES) {
    throw new StateKeyError(key, `it is longer than ${MAX_STATE_KEY_BYTES} bytes`);
  }
  return parts;
}
