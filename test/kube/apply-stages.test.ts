import type { KubernetesObject } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { applyStages, stageOf } from '../../lib/kube/index.ts';

const object = (apiVersion: string, kind: string, name: string): KubernetesObject => ({
  apiVersion,
  kind,
  metadata: { name },
});

describe('apply stages', () => {
  const cases: { label: string; object: KubernetesObject; stage: string }[] = [
    {
      label: 'a CRD',
      object: object('apiextensions.k8s.io/v1', 'CustomResourceDefinition', 'widgets.shop.example.com'),
      stage: 'definitions',
    },
    { label: 'a Namespace', object: object('v1', 'Namespace', 'shop'), stage: 'definitions' },
    {
      label: 'a ClusterRole',
      object: object('rbac.authorization.k8s.io/v1', 'ClusterRole', 'reader'),
      stage: 'definitions',
    },
    {
      label: 'a StorageClass',
      object: object('storage.k8s.io/v1', 'StorageClass', 'fast'),
      stage: 'classes',
    },
    {
      label: 'an IngressClass',
      object: object('networking.k8s.io/v1', 'IngressClass', 'nginx'),
      stage: 'classes',
    },
    {
      label: 'a PriorityClass',
      object: object('scheduling.k8s.io/v1', 'PriorityClass', 'high'),
      stage: 'classes',
    },
    { label: 'a RuntimeClass', object: object('node.k8s.io/v1', 'RuntimeClass', 'gvisor'), stage: 'classes' },
    {
      label: 'a ClusterRoleBinding',
      object: object('rbac.authorization.k8s.io/v1', 'ClusterRoleBinding', 'readers'),
      stage: 'resources',
    },
    { label: 'a Deployment', object: object('apps/v1', 'Deployment', 'web'), stage: 'resources' },
    { label: 'a custom resource', object: object('shop.example.com/v1', 'Widget', 'w1'), stage: 'resources' },
  ];
  for (const c of cases) {
    it(`puts ${c.label} in ${c.stage}`, () => {
      expect(stageOf(c.object)).toBe(c.stage);
    });
  }

  it('orders stages definitions, classes, resources and keeps the input order inside each', () => {
    const stages = applyStages([
      object('shop.example.com/v1', 'Widget', 'w1'),
      object('apps/v1', 'Deployment', 'web'),
      object('storage.k8s.io/v1', 'StorageClass', 'fast'),
      object('v1', 'Namespace', 'shop'),
      object('apiextensions.k8s.io/v1', 'CustomResourceDefinition', 'widgets.shop.example.com'),
    ]);
    expect(stages.map((s) => [s.name, s.objects.map((o) => o.metadata?.name)])).toEqual([
      ['definitions', ['shop', 'widgets.shop.example.com']],
      ['classes', ['fast']],
      ['resources', ['w1', 'web']],
    ]);
  });

  it('leaves empty stages out', () => {
    expect(applyStages([object('v1', 'ConfigMap', 'settings')]).map((s) => s.name)).toEqual(['resources']);
  });
});
