import type { JsonObject } from './field-paths.ts';
import { isObject } from './field-paths.ts';
import type { Change, ObjectStore } from './object-store.ts';
import { metaOf, timestamp } from './object-store.ts';
import type { ResourceRegistry, ResourceType } from './resource-types.ts';

/** How long a new CRD takes to become Established, as on a real server: briefly not at all. */
export const CRD_ESTABLISH_DELAY_MS = 20;

/** The resources a CustomResourceDefinition declares, one per served version. */
export function crdResourceTypes(crd: JsonObject): ResourceType[] {
  const spec = isObject(crd.spec) ? crd.spec : {};
  const names = isObject(spec.names) ? spec.names : {};
  const versions = Array.isArray(spec.versions) ? spec.versions.filter(isObject) : [];
  const kind = String(names.kind ?? '');
  return versions
    .filter((v) => v.served !== false)
    .map((v) => ({
      group: String(spec.group ?? ''),
      version: String(v.name ?? ''),
      resource: String(names.plural ?? ''),
      singular: String(names.singular ?? kind.toLowerCase()),
      kind,
      namespaced: spec.scope !== 'Cluster',
      shortNames: Array.isArray(names.shortNames) ? names.shortNames.map(String) : [],
      categories: Array.isArray(names.categories) ? names.categories.map(String) : [],
      statusSubresource: isObject(v.subresources) && v.subresources.status !== undefined,
    }));
}

function establishedStatus(crd: JsonObject): JsonObject {
  const spec = isObject(crd.spec) ? crd.spec : {};
  const now = timestamp();
  const condition = (type: string, reason: string, message: string) => ({
    type,
    status: 'True',
    lastTransitionTime: now,
    reason,
    message,
  });
  const versions = Array.isArray(spec.versions) ? spec.versions.filter(isObject) : [];
  return {
    conditions: [
      condition('NamesAccepted', 'NoConflicts', 'no conflicts found'),
      condition('Established', 'InitialNamesAccepted', 'the initial names have been accepted'),
    ],
    acceptedNames: spec.names ?? {},
    storedVersions: versions.filter((v) => v.storage === true).map((v) => String(v.name)),
  };
}

/**
 * Serves the resources of each CRD once it is Established, and stops serving them, deleting
 * their objects, when the CRD goes.
 */
export class CrdController {
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #unsubscribe: () => void;

  constructor(store: ObjectStore, registry: ResourceRegistry) {
    this.#unsubscribe = store.subscribe((change: Change) => {
      const { resource, object } = change;
      if (resource.group !== 'apiextensions.k8s.io' || resource.resource !== 'customresourcedefinitions')
        return;
      const { name, uid, generation } = metaOf(object);
      if (change.type === 'DELETED') {
        const served = registry.all().filter((t) => t.crd === name);
        for (const t of served)
          for (const o of store.list(t)) store.delete(t, metaOf(o).namespace, metaOf(o).name);
        registry.remove(name);
        return;
      }
      const status = isObject(object.status) ? object.status : {};
      if (status.observedGeneration === generation) return;
      const timer = setTimeout(() => {
        this.#timers.delete(timer);
        const live = store.get(resource, undefined, name);
        if (!live || metaOf(live).uid !== uid) return;
        registry.define(name, crdResourceTypes(live));
        store.put(
          resource,
          { ...live, status: { ...establishedStatus(live), observedGeneration: metaOf(live).generation } },
          live,
        );
      }, CRD_ESTABLISH_DELAY_MS);
      this.#timers.add(timer);
    });
  }

  stop(): void {
    this.#unsubscribe();
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
  }
}
