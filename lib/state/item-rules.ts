/**
 * Rules both StateStore adapters apply the same way, so that a value, an option or a clock reading
 * means one thing whichever store is behind the port.
 */
import type { PutOptions, QueryOptions } from './state-store.ts';
import { StateValueError } from './state-store.ts';

/** The JSON text of a value; refuses values that would not read back as themselves. */
export function serialiseValue(key: string, value: unknown): string {
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch (error) {
    throw new StateValueError(key, 'it cannot be serialised as JSON', { cause: error });
  }
  if (json === undefined) throw new StateValueError(key, `a ${typeof value} has no JSON form`);
  return json;
}

/** Rejects option combinations that can never succeed, before any I/O. */
export function checkPutOptions(key: string, options: PutOptions): void {
  if (options.ifAbsent && options.ifVersion !== undefined) {
    throw new TypeError(`put ${key}: ifAbsent and ifVersion exclude each other`);
  }
  checkIfVersion('put', key, options.ifVersion);
  const ttl = options.ttlSeconds;
  if (ttl !== undefined && !(Number.isFinite(ttl) && ttl > 0)) {
    throw new RangeError(`put ${key}: ttlSeconds must be a positive number, got ${ttl}`);
  }
}

/** A version to compare against must be one a put could have returned. */
export function checkIfVersion(operation: string, key: string, ifVersion: number | undefined): void {
  if (ifVersion !== undefined && !(Number.isInteger(ifVersion) && ifVersion > 0)) {
    throw new RangeError(`${operation} ${key}: ifVersion must be a positive integer, got ${ifVersion}`);
  }
}

/** The epoch-millisecond expiry of a put made at `now`, or undefined when it has no TTL. */
export function expiryOf(now: number, options: PutOptions): number | undefined {
  return options.ttlSeconds === undefined ? undefined : now + Math.round(options.ttlSeconds * 1000);
}

/** An item is gone from the moment its expiry arrives, whether or not it has been swept yet. */
export function isLive(expiresAt: number | null | undefined, now: number): boolean {
  return expiresAt === null || expiresAt === undefined || expiresAt > now;
}

/** The query limit as a count, or undefined for all items. */
export function queryLimit(options: QueryOptions): number | undefined {
  const limit = options.limit;
  if (limit === undefined) return undefined;
  if (!(Number.isInteger(limit) && limit >= 0)) {
    throw new RangeError(`query limit must be a non-negative integer, got ${limit}`);
  }
  return limit;
}
