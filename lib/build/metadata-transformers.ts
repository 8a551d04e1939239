import type { FieldSpec } from './field-path.ts';
import { appliesTo, walkPath, workloadKinds } from './field-path.ts';
import { isMap, kindOf } from './manifest.ts';
import type { Resource } from './resource.ts';

const templated = [...workloadKinds];

/** Where `commonLabels` (and `labels` with includeSelectors) go, after kustomize's defaults. */
const selectorLabelSpecs: FieldSpec[] = [
  { path: 'metadata.labels', create: true },
  { kinds: ['Service', 'ReplicationController'], path: 'spec.selector', create: true },
  {
    kinds: ['Deployment', 'ReplicaSet', 'DaemonSet', 'StatefulSet'],
    path: 'spec.selector.matchLabels',
    create: true,
  },
  { kinds: templated, path: 'spec.template.metadata.labels', create: true },
  { kinds: ['StatefulSet'], path: 'spec.volumeClaimTemplates[].metadata.labels', create: true },
  { kinds: ['Job'], path: 'spec.selector.matchLabels' },
  { kinds: ['CronJob'], path: 'spec.jobTemplate.metadata.labels', create: true },
  { kinds: ['CronJob'], path: 'spec.jobTemplate.spec.selector.matchLabels' },
  { kinds: ['CronJob'], path: 'spec.jobTemplate.spec.template.metadata.labels', create: true },
  { kinds: ['PodDisruptionBudget'], path: 'spec.selector.matchLabels' },
  { kinds: ['NetworkPolicy'], path: 'spec.podSelector.matchLabels' },
  { kinds: ['NetworkPolicy'], path: 'spec.ingress[].from[].podSelector.matchLabels' },
  { kinds: ['NetworkPolicy'], path: 'spec.egress[].to[].podSelector.matchLabels' },
];

const templateLabelSpecs: FieldSpec[] = [
  { path: 'metadata.labels', create: true },
  { kinds: templated, path: 'spec.template.metadata.labels', create: true },
  { kinds: ['CronJob'], path: 'spec.jobTemplate.metadata.labels', create: true },
  { kinds: ['CronJob'], path: 'spec.jobTemplate.spec.template.metadata.labels', create: true },
];

const annotationSpecs: FieldSpec[] = [
  { path: 'metadata.annotations', create: true },
  { kinds: templated, path: 'spec.template.metadata.annotations', create: true },
  { kinds: ['CronJob'], path: 'spec.jobTemplate.metadata.annotations', create: true },
  { kinds: ['CronJob'], path: 'spec.jobTemplate.spec.template.metadata.annotations', create: true },
];

function setAll(resources: Resource[], specs: FieldSpec[], values: Record<string, string>): void {
  if (Object.keys(values).length === 0) return;
  for (const { obj } of resources) {
    for (const spec of specs) {
      if (!appliesTo(spec, kindOf(obj))) continue;
      walkPath(obj, spec.path, spec.create ?? false, (parent, key) => {
        if (!isMap(parent[key])) parent[key] = {};
        Object.assign(parent[key] as Record<string, unknown>, values);
      });
    }
  }
}

export interface LabelEntry {
  pairs?: Record<string, string>;
  includeSelectors?: boolean;
  includeTemplates?: boolean;
}

/** `commonLabels`: into metadata, selectors and pod templates. */
export function addCommonLabels(resources: Resource[], labels: Record<string, string>): void {
  setAll(resources, selectorLabelSpecs, labels);
}

/** `labels`: metadata only, unless the entry asks for selectors or templates too. */
export function addLabels(resources: Resource[], entry: LabelEntry): void {
  const pairs = entry.pairs ?? {};
  if (entry.includeSelectors) setAll(resources, selectorLabelSpecs, pairs);
  else if (entry.includeTemplates) setAll(resources, templateLabelSpecs, pairs);
  else setAll(resources, [{ path: 'metadata.labels', create: true }], pairs);
}

/** `commonAnnotations`: into metadata and pod templates. */
export function addAnnotations(resources: Resource[], annotations: Record<string, string>): void {
  setAll(resources, annotationSpecs, annotations);
}

/** Flux's `commonMetadata`: labels and annotations on each object's own metadata, never selectors or templates. */
export function addCommonMetadata(
  resources: Resource[],
  labels: Record<string, string> = {},
  annotations: Record<string, string> = {},
): void {
  setAll(resources, [{ path: 'metadata.labels', create: true }], labels);
  setAll(resources, [{ path: 'metadata.annotations', create: true }], annotations);
}
