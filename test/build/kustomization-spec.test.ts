import { describe, expect, it } from 'vitest';
import type { KObject, KustomizationSpecFields } from '../../lib/build/index.ts';
import { applyKustomizationSpec, BuildError } from '../../lib/build/index.ts';

const deployment = (): KObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', labels: { app: 'web' } },
  spec: {
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: {
        containers: [
          {
            name: 'web',
            image: 'nginx:1.25',
            envFrom: [{ configMapRef: { name: 'web-config-h2g9kb7c5m' } }],
          },
        ],
      },
    },
  },
});
const configMap = (): KObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'web-config-h2g9kb7c5m' },
  data: { a: '1' },
});
const namespace = (): KObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'apps' } });
const clusterRole = (): KObject => ({
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'ClusterRole',
  metadata: { name: 'reader' },
});

const find = (objects: KObject[], kind: string) => objects.find((o) => o.kind === kind) as KObject;
const at = (obj: KObject, path: string): unknown =>
  path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], obj);

describe("the Kustomization's own fields", () => {
  const cases: {
    label: string;
    spec: KustomizationSpecFields;
    kind: string;
    path: string;
    expected: unknown;
  }[] = [
    {
      label: 'targetNamespace moves namespaced objects',
      spec: { targetNamespace: 'prod' },
      kind: 'Deployment',
      path: 'metadata.namespace',
      expected: 'prod',
    },
    {
      label: 'targetNamespace leaves cluster-scoped objects',
      spec: { targetNamespace: 'prod' },
      kind: 'ClusterRole',
      path: 'metadata.namespace',
      expected: undefined,
    },
    {
      label: 'namePrefix renames',
      spec: { namePrefix: 'eu-' },
      kind: 'Deployment',
      path: 'metadata.name',
      expected: 'eu-web',
    },
    {
      label: 'nameSuffix renames',
      spec: { nameSuffix: '-v2' },
      kind: 'ConfigMap',
      path: 'metadata.name',
      expected: 'web-config-h2g9kb7c5m-v2',
    },
    {
      label: 'a prefix is followed by references to the renamed object',
      spec: { namePrefix: 'eu-' },
      kind: 'Deployment',
      path: 'spec.template.spec.containers',
      expected: [
        {
          name: 'web',
          image: 'nginx:1.25',
          envFrom: [{ configMapRef: { name: 'eu-web-config-h2g9kb7c5m' } }],
        },
      ],
    },
    {
      label: 'images sets a tag',
      spec: { images: [{ name: 'nginx', newTag: '1.27' }] },
      kind: 'Deployment',
      path: 'spec.template.spec.containers',
      expected: [
        { name: 'web', image: 'nginx:1.27', envFrom: [{ configMapRef: { name: 'web-config-h2g9kb7c5m' } }] },
      ],
    },
    {
      label: 'commonMetadata labels go on metadata',
      spec: { commonMetadata: { labels: { team: 'a' } } },
      kind: 'Deployment',
      path: 'metadata.labels',
      expected: { app: 'web', team: 'a' },
    },
    {
      label: 'commonMetadata labels stay out of selectors',
      spec: { commonMetadata: { labels: { team: 'a' } } },
      kind: 'Deployment',
      path: 'spec.selector.matchLabels',
      expected: { app: 'web' },
    },
    {
      label: 'commonMetadata annotations stay out of pod templates',
      spec: { commonMetadata: { annotations: { owner: 'ops' } } },
      kind: 'Deployment',
      path: 'spec.template.metadata',
      expected: { labels: { app: 'web' } },
    },
    {
      label: 'commonMetadata annotations go on metadata',
      spec: { commonMetadata: { annotations: { owner: 'ops' } } },
      kind: 'ConfigMap',
      path: 'metadata.annotations',
      expected: { owner: 'ops' },
    },
    {
      label: 'a strategic merge patch with a target',
      spec: {
        patches: [
          {
            target: { kind: 'Deployment' },
            patch: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: any\nspec:\n  replicas: 4\n',
          },
        ],
      },
      kind: 'Deployment',
      path: 'spec.replicas',
      expected: 4,
    },
    {
      label: 'a JSON 6902 patch with a target',
      spec: {
        patches: [
          {
            target: { kind: 'ConfigMap', name: 'web-.*' },
            patch: '- op: add\n  path: /data/b\n  value: "2"\n',
          },
        ],
      },
      kind: 'ConfigMap',
      path: 'data',
      expected: { a: '1', b: '2' },
    },
    {
      label: 'patches come before the target namespace',
      spec: {
        targetNamespace: 'prod',
        patches: [
          {
            target: { namespace: '^$', kind: 'ConfigMap' },
            patch: '- op: add\n  path: /data/c\n  value: x\n',
          },
        ],
      },
      kind: 'ConfigMap',
      path: 'data',
      expected: { a: '1', c: 'x' },
    },
  ];
  it.each(cases)('$label', ({ spec, kind, path, expected }) => {
    const out = applyKustomizationSpec([namespace(), clusterRole(), configMap(), deployment()], spec);
    expect(at(find(out, kind), path)).toEqual(expected);
  });

  it('leaves its input objects unchanged', () => {
    const input = [deployment()];
    applyKustomizationSpec(input, { namePrefix: 'x-', targetNamespace: 'prod' });
    expect(input).toEqual([deployment()]);
  });

  it('refuses a JSON 6902 patch without a target', () => {
    expect(() =>
      applyKustomizationSpec([deployment()], { patches: [{ patch: '- op: remove\n  path: /spec\n' }] }),
    ).toThrow(BuildError);
  });

  it('refuses an unknown target field, naming it', () => {
    const spec = {
      patches: [{ patch: 'kind: Deployment', target: { kind: 'Deployment', names: 'x' } as never }],
    };
    expect(() => applyKustomizationSpec([deployment()], spec)).toThrow('target.names');
  });
});
