/** One REST resource the simulator serves, as discovery describes it. */
export interface ResourceType {
  group: string;
  version: string;
  /** The plural, lower-case name used in URLs: `deployments`. */
  resource: string;
  singular: string;
  kind: string;
  namespaced: boolean;
  shortNames: string[];
  /** `all` for the kinds `kubectl get all` shows. */
  categories: string[];
  /** Writes through the main resource keep the live status; only `/status` changes it. */
  statusSubresource: boolean;
  /** The CRD that defines it; such resources take no strategic merge patch, as on the real API. */
  crd?: string;
  /** Serves `/scale`, as `kubectl scale` uses. */
  scaleSubresource?: boolean;
}

const IN_ALL = new Set([
  'pods',
  'services',
  'deployments',
  'statefulsets',
  'daemonsets',
  'replicasets',
  'jobs',
  'cronjobs',
]);

const SCALABLE = new Set(['deployments', 'statefulsets', 'replicasets']);

/** Every resource takes every verb; the simulator has no authorization. */
export const ALL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

type Row = [resource: string, kind: string, namespaced: boolean, shortNames: string[], status?: boolean];

const BUILT_IN: Record<string, Row[]> = {
  v1: [
    ['namespaces', 'Namespace', false, ['ns'], true],
    ['configmaps', 'ConfigMap', true, ['cm']],
    ['secrets', 'Secret', true, []],
    ['services', 'Service', true, ['svc'], true],
    ['serviceaccounts', 'ServiceAccount', true, ['sa']],
    ['pods', 'Pod', true, ['po'], true],
    ['persistentvolumeclaims', 'PersistentVolumeClaim', true, ['pvc'], true],
    ['events', 'Event', true, ['ev']],
  ],
  'apps/v1': [
    ['deployments', 'Deployment', true, ['deploy'], true],
    ['statefulsets', 'StatefulSet', true, ['sts'], true],
    ['daemonsets', 'DaemonSet', true, ['ds'], true],
    ['replicasets', 'ReplicaSet', true, ['rs'], true],
  ],
  'batch/v1': [
    ['jobs', 'Job', true, [], true],
    ['cronjobs', 'CronJob', true, ['cj'], true],
  ],
  'networking.k8s.io/v1': [
    ['ingresses', 'Ingress', true, ['ing'], true],
    ['networkpolicies', 'NetworkPolicy', true, ['netpol']],
  ],
  'rbac.authorization.k8s.io/v1': [
    ['roles', 'Role', true, []],
    ['rolebindings', 'RoleBinding', true, []],
    ['clusterroles', 'ClusterRole', false, []],
    ['clusterrolebindings', 'ClusterRoleBinding', false, []],
  ],
  'apiextensions.k8s.io/v1': [
    ['customresourcedefinitions', 'CustomResourceDefinition', false, ['crd', 'crds'], true],
  ],
  'policy/v1': [['poddisruptionbudgets', 'PodDisruptionBudget', true, ['pdb'], true]],
  'autoscaling/v2': [['horizontalpodautoscalers', 'HorizontalPodAutoscaler', true, ['hpa'], true]],
};

/** The built-in resources, one entry per group version. */
export function builtInTypes(): ResourceType[] {
  return Object.entries(BUILT_IN).flatMap(([groupVersion, rows]) => {
    const [group, version] = groupVersion.includes('/') ? groupVersion.split('/') : ['', groupVersion];
    return rows.map(([resource, kind, namespaced, shortNames, status]) => ({
      group: group ?? '',
      version: version ?? '',
      resource,
      singular: kind.toLowerCase(),
      kind,
      namespaced,
      shortNames,
      categories: IN_ALL.has(resource) ? ['all'] : [],
      scaleSubresource: SCALABLE.has(resource),
      statusSubresource: status === true,
    }));
  });
}

/** `v1` for the core group, `<group>/<version>` otherwise. */
export function groupVersionOf(type: Pick<ResourceType, 'group' | 'version'>): string {
  return type.group === '' ? type.version : `${type.group}/${type.version}`;
}

/** The resources served right now: the built-in ones plus those of established CRDs. */
export class ResourceRegistry {
  #types: ResourceType[] = builtInTypes();

  all(): ResourceType[] {
    return this.#types;
  }

  find(group: string, version: string, resource: string): ResourceType | undefined {
    return this.#types.find((t) => t.group === group && t.version === version && t.resource === resource);
  }

  findKind(group: string, version: string, kind: string): ResourceType | undefined {
    return this.#types.find((t) => t.group === group && t.version === version && t.kind === kind);
  }

  /** Replaces the resources a CRD defines (all its served versions). */
  define(crdName: string, types: ResourceType[]): void {
    this.remove(crdName);
    this.#types.push(...types.map((t) => ({ ...t, crd: crdName })));
  }

  remove(crdName: string): void {
    this.#types = this.#types.filter((t) => t.crd !== crdName);
  }
}
