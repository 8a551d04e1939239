import { randomUUID } from 'node:crypto';
import type { JsonObject } from './field-paths.ts';
import { isObject } from './field-paths.ts';
import type { ResourceType } from './resource-types.ts';

export type ChangeType = 'ADDED' | 'MODIFIED' | 'DELETED';
export interface Change {
  type: ChangeType;
  resource: ResourceType;
  object: JsonObject;
}

export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid: string;
  resourceVersion: string;
  generation: number;
  creationTimestamp: string;
  labels?: Record<string, string>;
  ownerReferences?: { uid: string }[];
}

/** An object's metadata, typed; `{}` when it has none. */
export function metaOf(object: JsonObject): ObjectMeta {
  return (isObject(object.metadata) ? object.metadata : {}) as unknown as ObjectMeta;
}

/** Seconds-precision RFC 3339, as timestamps appear in Kubernetes objects. */
export function timestamp(date = new Date()): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

const HISTORY_SIZE = 10_000;

function keyOf(resource: ResourceType, namespace: string | undefined, name: string): string {
  return `${resource.group}/${resource.resource}/${namespace ?? ''}/${name}`;
}

/** Everything but metadata and status: a change here is a new generation. */
function specOf(object: JsonObject): string {
  const { metadata: _m, status: _s, ...rest } = object;
  return JSON.stringify(rest);
}

/** The object with the parts every write changes blanked, to notice writes that change nothing. */
function comparable(object: JsonObject): string {
  const meta = { ...metaOf(object), resourceVersion: '' } as unknown as JsonObject;
  if (Array.isArray(meta.managedFields)) {
    meta.managedFields = meta.managedFields.map((e) => (isObject(e) ? { ...e, time: '' } : e));
  }
  return JSON.stringify({ ...object, metadata: meta });
}

/**
 * The simulator's whole state: objects by resource, namespace and name, a global resourceVersion
 * counter, and listeners told of every change (workload status, CRD registration, watches).
 */
export class ObjectStore {
  #objects = new Map<string, JsonObject>();
  #version = 0;
  #listeners = new Set<(change: Change) => void>();
  /** Recent changes, so a watch that starts from a list's resourceVersion misses nothing. */
  #history: Change[] = [];

  resourceVersion(): string {
    return String(this.#version);
  }

  get(resource: ResourceType, namespace: string | undefined, name: string): JsonObject | undefined {
    return this.#objects.get(keyOf(resource, resource.namespaced ? namespace : undefined, name));
  }

  list(resource: ResourceType, namespace?: string): JsonObject[] {
    const prefix = `${resource.group}/${resource.resource}/${namespace === undefined ? '' : `${namespace}/`}`;
    return [...this.#objects]
      .filter(([key]) => key.startsWith(prefix))
      .map(([, object]) => object)
      .sort(
        (a, b) =>
          (metaOf(a).namespace ?? '').localeCompare(metaOf(b).namespace ?? '') ||
          metaOf(a).name.localeCompare(metaOf(b).name),
      );
  }

  /**
   * Stores `next` as the new state of an object, stamping uid, creationTimestamp, generation and
   * resourceVersion. A write that changes nothing keeps the previous object and its version; a
   * dry run returns what would be stored and stores nothing.
   */
  put(
    resource: ResourceType,
    next: JsonObject,
    previous: JsonObject | undefined,
    dryRun = false,
  ): JsonObject {
    if (
      previous &&
      comparable({ ...next, metadata: { ...metaOf(next), ...pick(metaOf(previous)) } }) ===
        comparable(previous)
    ) {
      return previous;
    }
    const before = previous ? metaOf(previous) : undefined;
    const generation = before ? before.generation + (specOf(previous ?? {}) === specOf(next) ? 0 : 1) : 1;
    const stored: JsonObject = {
      ...next,
      metadata: {
        ...metaOf(next),
        uid: before?.uid ?? randomUUID(),
        creationTimestamp: before?.creationTimestamp ?? timestamp(),
        generation,
        resourceVersion: dryRun ? (before?.resourceVersion ?? '') : String(++this.#version),
      } as unknown as JsonObject,
    };
    if (dryRun) return stored;
    const meta = metaOf(stored);
    this.#objects.set(keyOf(resource, meta.namespace, meta.name), stored);
    this.#emit({ type: previous ? 'MODIFIED' : 'ADDED', resource, object: stored });
    return stored;
  }

  delete(resource: ResourceType, namespace: string | undefined, name: string): JsonObject | undefined {
    const key = keyOf(resource, resource.namespaced ? namespace : undefined, name);
    const object = this.#objects.get(key);
    if (!object) return undefined;
    this.#objects.delete(key);
    const gone = {
      ...object,
      metadata: { ...metaOf(object), resourceVersion: String(++this.#version) },
    } as JsonObject;
    this.#emit({ type: 'DELETED', resource, object: gone });
    return gone;
  }

  /** Every stored object with its resource type, for namespace and owner cascades. */
  entries(resources: ResourceType[]): { resource: ResourceType; object: JsonObject }[] {
    return resources.flatMap((resource) => this.list(resource).map((object) => ({ resource, object })));
  }

  subscribe(listener: (change: Change) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** The changes after `resourceVersion`, or `undefined` when they are no longer kept (410 Gone). */
  changesSince(resourceVersion: number): Change[] | undefined {
    const oldest = this.#history[0];
    if (oldest && Number(metaOf(oldest.object).resourceVersion) > resourceVersion + 1) return undefined;
    return this.#history.filter((c) => Number(metaOf(c.object).resourceVersion) > resourceVersion);
  }

  #emit(change: Change): void {
    this.#history.push(change);
    if (this.#history.length > HISTORY_SIZE) this.#history.splice(0, this.#history.length - HISTORY_SIZE);
    for (const listener of this.#listeners) listener(change);
  }
}

function pick(meta: ObjectMeta): Partial<ObjectMeta> {
  return {
    uid: meta.uid,
    creationTimestamp: meta.creationTimestamp,
    generation: meta.generation,
    resourceVersion: meta.resourceVersion,
  };
}
