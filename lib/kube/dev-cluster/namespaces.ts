import type { JsonObject } from './field-paths.ts';
import { isObject } from './field-paths.ts';
import type { Change, ObjectStore } from './object-store.ts';
import { metaOf } from './object-store.ts';
import type { ResourceRegistry, ResourceType } from './resource-types.ts';

/** How long a deleted namespace stays Terminating before it and its objects are gone. */
export const NAMESPACE_FINALIZE_DELAY_MS = 200;

/** The core `namespaces` resource. */
export function isNamespaces(resource: ResourceType): boolean {
  return resource.group === '' && resource.resource === 'namespaces';
}

/** A namespace being deleted: it has a deletionTimestamp. */
export function isTerminating(namespace: JsonObject | undefined): boolean {
  return isObject(namespace?.metadata) && namespace.metadata.deletionTimestamp !== undefined;
}

/**
 * Plays the namespace controller: a deleted namespace is Terminating for a moment (objects in it
 * can still be read and deleted, as `kubectl delete -f` expects), then its objects and itself go.
 */
export class NamespaceFinalizer {
  readonly #timers = new Map<string, NodeJS.Timeout>();
  readonly #unsubscribe: () => void;

  constructor(
    store: ObjectStore,
    registry: ResourceRegistry,
    types: () => ResourceType[],
    delayMs = NAMESPACE_FINALIZE_DELAY_MS,
  ) {
    this.#unsubscribe = store.subscribe((change: Change) => {
      if (!isNamespaces(change.resource) || change.type === 'DELETED' || !isTerminating(change.object))
        return;
      const { name } = metaOf(change.object);
      if (this.#timers.has(name)) return;
      const timer = setTimeout(() => {
        this.#timers.delete(name);
        for (const type of types()) {
          if (!type.namespaced) continue;
          for (const o of store.list(type, name)) store.delete(type, name, metaOf(o).name);
        }
        const namespaces = registry.find('', 'v1', 'namespaces');
        if (namespaces) store.delete(namespaces, undefined, name);
      }, delayMs);
      this.#timers.set(name, timer);
    });
  }

  stop(): void {
    this.#unsubscribe();
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
  }
}
