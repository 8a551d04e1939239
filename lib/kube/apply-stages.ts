import type { KubernetesObject } from '@kubernetes/client-node';

/**
 * The order Flux applies in. Definitions (CRDs, Namespaces, ClusterRoles) come first because the
 * rest may be of their kinds, live in them or bind to them; class kinds (StorageClass, IngressClass,
 * PriorityClass, RuntimeClass, ...) next, since workloads name them; everything else last.
 */
export type StageName = 'definitions' | 'classes' | 'resources';

export interface ApplyStage {
  name: StageName;
  objects: KubernetesObject[];
}

const DEFINITION_KINDS = new Set(['CustomResourceDefinition', 'Namespace', 'ClusterRole']);

export function isCrd(object: KubernetesObject): boolean {
  return (
    object.kind === 'CustomResourceDefinition' &&
    (object.apiVersion ?? '').startsWith('apiextensions.k8s.io/')
  );
}

export function stageOf(object: KubernetesObject): StageName {
  const kind = object.kind ?? '';
  if (DEFINITION_KINDS.has(kind)) return 'definitions';
  if (kind.endsWith('Class')) return 'classes';
  return 'resources';
}

/** The objects split into stages, in order, each keeping the input order; empty stages are left out. */
export function applyStages(objects: readonly KubernetesObject[]): ApplyStage[] {
  const stages: ApplyStage[] = [
    { name: 'definitions', objects: [] },
    { name: 'classes', objects: [] },
    { name: 'resources', objects: [] },
  ];
  const byName = new Map(stages.map((s) => [s.name, s]));
  for (const object of objects) byName.get(stageOf(object))?.objects.push(object);
  return stages.filter((s) => s.objects.length > 0);
}
