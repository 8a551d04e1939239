import type { GitObject, ObjectType } from './git-objects.ts';
import { hashObject } from './git-objects.ts';
import type { ObjectCache } from './object-cache.ts';

/**
 * Objects being written, held in memory and hashed as they come, then added to the cache as one pack:
 * one file for a whole commit rather than one per object.
 */
export class ObjectBatch {
  readonly #cache: ObjectCache;
  readonly #objects = new Map<string, GitObject>();

  constructor(cache: ObjectCache) {
    this.#cache = cache;
  }

  /** Hashes the object and keeps it unless the cache has it already; returns its oid. */
  write(type: ObjectType, data: Buffer): string {
    const oid = hashObject(type, data);
    if (!this.#objects.has(oid) && !this.#cache.has(oid)) this.#objects.set(oid, { type, data });
    return oid;
  }

  async commit(): Promise<void> {
    await this.#cache.addLocal([...this.#objects.values()]);
    this.#objects.clear();
  }
}
