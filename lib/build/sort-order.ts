import type { KObject } from './manifest.ts';
import { groupVersionOf, isClusterScoped, kindOf, nameOf, namespaceOf } from './manifest.ts';

const first = [
  'Namespace',
  'ResourceQuota',
  'StorageClass',
  'CustomResourceDefinition',
  'ServiceAccount',
  'PodSecurityPolicy',
  'Role',
  'ClusterRole',
  'RoleBinding',
  'ClusterRoleBinding',
  'ConfigMap',
  'Secret',
  'Endpoints',
  'Service',
  'LimitRange',
  'PriorityClass',
  'PersistentVolume',
  'PersistentVolumeClaim',
  'Deployment',
  'StatefulSet',
  'CronJob',
  'PodDisruptionBudget',
];
const last = ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'];

function rank(kind: string): number {
  const f = first.indexOf(kind);
  if (f >= 0) return f - first.length;
  const l = last.indexOf(kind);
  return l >= 0 ? l + 1 : 0;
}

function gvkKey(obj: KObject): string {
  const { group, version } = groupVersionOf(obj);
  return `${group || '~G'}_${version || '~V'}_${kindOf(obj) || '~K'}`;
}

function idKey(obj: KObject): string {
  const { group, version } = groupVersionOf(obj);
  const ns = isClusterScoped(obj) ? '~X' : namespaceOf(obj) || '~X';
  return [group, version, kindOf(obj), ns, nameOf(obj)].join('|');
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * kustomize's default ("legacy") output order: kinds that others depend on first (Namespaces,
 * CRDs, RBAC, config), webhooks last, everything else between; then by group, version, kind,
 * namespace and name.
 */
export function sortLegacy(objects: KObject[]): KObject[] {
  return [...objects].sort((a, b) => {
    const ga = gvkKey(a);
    const gb = gvkKey(b);
    if (ga !== gb) return rank(kindOf(a)) - rank(kindOf(b)) || compare(ga, gb);
    return compare(idKey(a), idKey(b));
  });
}
