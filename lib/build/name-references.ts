import type { FieldSpec } from './field-path.ts';
import { appliesTo, inPodSpecs, walkPath } from './field-path.ts';
import { isClusterScoped, isMap, kindOf, nameOf, namespaceOf } from './manifest.ts';
import type { Resource } from './resource.ts';
import { namesOf, namespacesOf } from './resource.ts';

const containers = ['containers[]', 'initContainers[]', 'ephemeralContainers[]'];
const inContainers = (...paths: string[]) => containers.flatMap((c) => paths.map((p) => `${c}.${p}`));

/**
 * Where objects of each kind are referred to by name, after kustomize's built-in name reference
 * configuration for the common kinds. `when` restricts a spec to list items whose `kind` matches.
 */
const referrers: Record<string, (FieldSpec & { when?: string })[]> = {
  ConfigMap: [
    ...inPodSpecs(
      'volumes[].configMap.name',
      'volumes[].projected.sources[].configMap.name',
      ...inContainers('env[].valueFrom.configMapKeyRef.name', 'envFrom[].configMapRef.name'),
    ),
  ],
  Secret: [
    ...inPodSpecs(
      'volumes[].secret.secretName',
      'volumes[].projected.sources[].secret.name',
      'imagePullSecrets[].name',
      ...inContainers('env[].valueFrom.secretKeyRef.name', 'envFrom[].secretRef.name'),
    ),
    { kinds: ['ServiceAccount'], path: 'imagePullSecrets[].name' },
    { kinds: ['ServiceAccount'], path: 'secrets[].name' },
    { kinds: ['Ingress'], path: 'spec.tls[].secretName' },
  ],
  ServiceAccount: [
    ...inPodSpecs('serviceAccountName', 'serviceAccount'),
    // every subject, whatever its kind: kustomize does not look at the subject's kind either
    { kinds: ['RoleBinding', 'ClusterRoleBinding'], path: 'subjects[].name' },
  ],
  PersistentVolumeClaim: [...inPodSpecs('volumes[].persistentVolumeClaim.claimName')],
  Service: [
    { kinds: ['Ingress'], path: 'spec.rules[].http.paths[].backend.service.name' },
    { kinds: ['Ingress'], path: 'spec.defaultBackend.service.name' },
    { kinds: ['Ingress'], path: 'spec.rules[].http.paths[].backend.serviceName' },
    { kinds: ['Ingress'], path: 'spec.backend.serviceName' },
    { kinds: ['StatefulSet'], path: 'spec.serviceName' },
  ],
  Role: [{ kinds: ['RoleBinding'], path: 'roleRef.name', when: 'Role' }],
  ClusterRole: [{ kinds: ['RoleBinding', 'ClusterRoleBinding'], path: 'roleRef.name', when: 'ClusterRole' }],
  PriorityClass: [...inPodSpecs('priorityClassName')],
};

for (const kind of ['Deployment', 'StatefulSet', 'ReplicaSet', 'ReplicationController']) {
  referrers[kind] = [{ kinds: ['HorizontalPodAutoscaler'], path: 'spec.scaleTargetRef.name', when: kind }];
}

/** An object without a namespace is in `default` as far as references go. */
function intersects(a: Set<string>, b: Set<string>): boolean {
  const norm = (ns: string) => ns || 'default';
  const left = new Set([...a].map(norm));
  for (const x of b) if (left.has(norm(x))) return true;
  return false;
}

/**
 * Rewrites references written against a name an object had earlier in the build (before a prefix,
 * a suffix or a content hash) to the name it has now. A referral is looked up in the referrer's
 * namespace unless it is cluster-scoped.
 */
export function fixNameReferences(resources: Resource[]): void {
  const byKind = new Map<string, Resource[]>();
  for (const res of resources) {
    const kind = kindOf(res.obj);
    if (!referrers[kind]) continue;
    byKind.set(kind, [...(byKind.get(kind) ?? []), res]);
  }
  for (const [kind, candidates] of byKind) {
    const byName = new Map<string, Resource[]>();
    for (const candidate of candidates) {
      for (const name of namesOf(candidate)) byName.set(name, [...(byName.get(name) ?? []), candidate]);
    }
    for (const referrer of resources) {
      for (const spec of referrers[kind] ?? []) {
        if (!appliesTo(spec, kindOf(referrer.obj))) continue;
        walkPath(referrer.obj, spec.path, false, (parent, key) => {
          const value = parent[key];
          if (typeof value !== 'string') return;
          if (spec.when && parent.kind !== spec.when) return;
          const target = pick(byName.get(value) ?? [], referrer, isMap(parent) ? parent : {});
          if (target) {
            parent[key] = nameOf(target.obj);
            if (kind === 'ServiceAccount' && 'namespace' in parent && namespaceOf(target.obj)) {
              parent.namespace = namespaceOf(target.obj);
            }
          }
        });
      }
    }
  }
}

/** The candidate a reference means, among those that had the referenced name. */
function pick(byName: Resource[], referrer: Resource, parent: Record<string, unknown>): Resource | undefined {
  if (byName.length === 0) return undefined;
  const subjectNs = typeof parent.namespace === 'string' ? new Set([parent.namespace]) : undefined;
  const sameNs = byName.filter(
    (c) => isClusterScoped(c.obj) || intersects(namespacesOf(c), subjectNs ?? namespacesOf(referrer)),
  );
  const pool = sameNs.length > 0 ? sameNs : isClusterScoped(referrer.obj) ? byName : [];
  if (pool.length <= 1) return pool[0];
  return pool.find((c) => namespaceOf(c.obj) === namespaceOf(referrer.obj)) ?? pool[0];
}
