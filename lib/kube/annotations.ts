import type { KubernetesObject } from '@kubernetes/client-node';

/** Flux's per-object switches, read by ferry with Flux's meaning so fleet repositories move over unchanged. */
export const SSA_ANNOTATION = 'kustomize.toolkit.fluxcd.io/ssa';
export const FORCE_ANNOTATION = 'kustomize.toolkit.fluxcd.io/force';
export const PRUNE_ANNOTATION = 'kustomize.toolkit.fluxcd.io/prune';
export const NAME_LABEL = 'kustomize.toolkit.fluxcd.io/name';
export const NAMESPACE_LABEL = 'kustomize.toolkit.fluxcd.io/namespace';

/**
 * `Override` (the default) and `Merge` apply; `IfNotPresent` creates only when absent;
 * `Ignore` never touches the object.
 */
export type SsaPolicy = 'Override' | 'Merge' | 'IfNotPresent' | 'Ignore';

function annotation(object: KubernetesObject, key: string): string | undefined {
  return object.metadata?.annotations?.[key];
}

/** The object's ssa policy; values are matched without regard to case, as Flux does. */
export function ssaPolicyOf(object: KubernetesObject): SsaPolicy {
  switch (annotation(object, SSA_ANNOTATION)?.toLowerCase()) {
    case 'merge':
      return 'Merge';
    case 'ifnotpresent':
      return 'IfNotPresent';
    case 'ignore':
      return 'Ignore';
    default:
      return 'Override';
  }
}

/** Whether the object asks to be recreated when an immutable field changes. */
export function forceEnabled(object: KubernetesObject): boolean {
  return annotation(object, FORCE_ANNOTATION)?.toLowerCase() === 'enabled';
}

/** Prune opt-out: Flux accepts the switch as a label or as an annotation. */
export function pruneDisabled(object: KubernetesObject): boolean {
  const value = object.metadata?.labels?.[PRUNE_ANNOTATION] ?? annotation(object, PRUNE_ANNOTATION);
  return value?.toLowerCase() === 'disabled';
}
