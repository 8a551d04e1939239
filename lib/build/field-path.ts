import { isMap } from './manifest.ts';

/**
 * Kustomize's field specs: a dotted path where `[]` walks every item of a list, e.g.
 * `spec.template.spec.containers[].env[].valueFrom.configMapKeyRef.name`.
 */
export interface FieldSpec {
  kinds?: readonly string[];
  path: string;
  /** Create missing maps on the way, as kustomize does for labels on workloads. */
  create?: boolean;
}

/** Calls `visit(parent, key)` for every location the path reaches. */
export function walkPath(
  root: unknown,
  path: string,
  create: boolean,
  visit: (parent: Record<string, unknown>, key: string) => void,
): void {
  const steps = path.split('.');
  const go = (node: unknown, i: number): void => {
    if (!isMap(node)) return;
    const step = steps[i] as string;
    const list = step.endsWith('[]');
    const key = list ? step.slice(0, -2) : step;
    if (i === steps.length - 1) {
      if (list) {
        if (Array.isArray(node[key])) for (const _ of node[key] as unknown[]) visit(node, key);
      } else if (key in node || create) visit(node, key);
      return;
    }
    if (list) {
      if (Array.isArray(node[key])) for (const item of node[key] as unknown[]) go(item, i + 1);
      return;
    }
    if (node[key] === undefined || node[key] === null) {
      if (!create) return;
      node[key] = {};
    }
    go(node[key], i + 1);
  };
  go(root, 0);
}

export function appliesTo(spec: FieldSpec, kind: string): boolean {
  return spec.kinds === undefined || spec.kinds.includes(kind);
}

const workloads = ['Deployment', 'ReplicaSet', 'DaemonSet', 'StatefulSet', 'Job', 'ReplicationController'];

/** Where a pod spec sits in each workload kind. */
export const podSpecPaths: FieldSpec[] = [
  { kinds: ['Pod'], path: 'spec' },
  { kinds: workloads, path: 'spec.template.spec' },
  { kinds: ['CronJob'], path: 'spec.jobTemplate.spec.template.spec' },
];

/** Field specs under each pod spec, for every workload kind. */
export function inPodSpecs(...paths: string[]): FieldSpec[] {
  return podSpecPaths.flatMap((pod) =>
    paths.map((path) => ({ kinds: pod.kinds as string[], path: `${pod.path}.${path}` })),
  );
}

export const workloadKinds = workloads;
