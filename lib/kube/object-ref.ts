import type { KubernetesObject } from '@kubernetes/client-node';

/** What names one object in a cluster: enough to read, delete or health-check it. */
export interface ObjectRef {
  apiVersion: string;
  kind: string;
  /** Empty for cluster-scoped objects, as in Flux's inventory. */
  namespace: string;
  name: string;
}

/** The ref of a manifest or a live object. */
export function refOf(object: KubernetesObject): ObjectRef {
  return {
    apiVersion: object.apiVersion ?? '',
    kind: object.kind ?? '',
    namespace: object.metadata?.namespace ?? '',
    name: object.metadata?.name ?? '',
  };
}

/** The group of an apiVersion: `apps/v1` → `apps`, `v1` → `` (core). */
export function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash === -1 ? '' : apiVersion.slice(0, slash);
}

/** `Kind/namespace/name` (`Kind/name` when cluster-scoped), the way errors and events name an object. */
export function describeRef(ref: ObjectRef): string {
  return ref.namespace ? `${ref.kind}/${ref.namespace}/${ref.name}` : `${ref.kind}/${ref.name}`;
}

/** The header client-node needs to address the object. */
export function headerOf(
  ref: ObjectRef,
): KubernetesObject & { metadata: { name: string; namespace?: string } } {
  return {
    apiVersion: ref.apiVersion,
    kind: ref.kind,
    metadata: ref.namespace ? { name: ref.name, namespace: ref.namespace } : { name: ref.name },
  };
}
