import { describe, expect, it } from 'vitest';
import type { Inventory, ObjectRef } from '../../lib/kube/index.ts';
import { inventoryId, inventoryOf, ownerLabels, refOfEntry, staleObjects } from '../../lib/kube/index.ts';

const ref = (apiVersion: string, kind: string, namespace: string, name: string): ObjectRef => ({
  apiVersion,
  kind,
  namespace,
  name,
});

describe('inventory ids', () => {
  const cases: { label: string; ref: ObjectRef; id: string }[] = [
    {
      label: 'a namespaced core object',
      ref: ref('v1', 'ConfigMap', 'shop', 'settings'),
      id: 'shop_settings__ConfigMap',
    },
    {
      label: 'a namespaced grouped object',
      ref: ref('apps/v1', 'Deployment', 'shop', 'web'),
      id: 'shop_web_apps_Deployment',
    },
    { label: 'a cluster-scoped object', ref: ref('v1', 'Namespace', '', 'shop'), id: '_shop__Namespace' },
    {
      label: 'an RBAC name with colons',
      ref: ref('rbac.authorization.k8s.io/v1', 'ClusterRole', '', 'system:shop:reader'),
      id: '_system__shop__reader_rbac.authorization.k8s.io_ClusterRole',
    },
    {
      label: 'a custom resource',
      ref: ref('shop.example.com/v1beta1', 'Widget', 'shop', 'w1'),
      id: 'shop_w1_shop.example.com_Widget',
    },
  ];
  for (const c of cases) {
    it(`encodes ${c.label} and reads it back`, () => {
      expect(inventoryId(c.ref)).toBe(c.id);
      const version = c.ref.apiVersion.split('/').at(-1) ?? '';
      expect(refOfEntry({ id: c.id, v: version })).toEqual(c.ref);
    });
  }

  it('refuses an id without four parts', () => {
    expect(() => refOfEntry({ id: 'shop_web_Deployment', v: 'v1' })).toThrow(/not an inventory id/);
  });
});

describe('inventoryOf', () => {
  it('keeps one entry per object, sorted by id, with the version apart from the group', () => {
    const inventory = inventoryOf([
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop' } },
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } },
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop' } },
      ref('v1', 'ConfigMap', 'shop', 'settings'),
    ]);
    expect(inventory.entries).toEqual([
      { id: '_shop__Namespace', v: 'v1' },
      { id: 'shop_settings__ConfigMap', v: 'v1' },
      { id: 'shop_web_apps_Deployment', v: 'v1' },
    ]);
  });
});

describe('staleObjects', () => {
  const inv = (...ids: [string, string][]): Inventory => ({ entries: ids.map(([id, v]) => ({ id, v })) });
  const cases: { label: string; old: Inventory | undefined; next: Inventory; stale: ObjectRef[] }[] = [
    {
      label: 'no old inventory prunes nothing',
      old: undefined,
      next: inv(['shop_web_apps_Deployment', 'v1']),
      stale: [],
    },
    {
      label: 'an object left out is stale',
      old: inv(['shop_web_apps_Deployment', 'v1'], ['shop_settings__ConfigMap', 'v1']),
      next: inv(['shop_web_apps_Deployment', 'v1']),
      stale: [ref('v1', 'ConfigMap', 'shop', 'settings')],
    },
    {
      label: 'a new apiVersion of the same object is not stale',
      old: inv(['_shop.example.com_shop.example.com_CustomResourceDefinition', 'v1beta1']),
      next: inv(['_shop.example.com_shop.example.com_CustomResourceDefinition', 'v1']),
      stale: [],
    },
    {
      label: 'an object moved to another namespace leaves the old one stale',
      old: inv(['shop_web_apps_Deployment', 'v1']),
      next: inv(['store_web_apps_Deployment', 'v1']),
      stale: [ref('apps/v1', 'Deployment', 'shop', 'web')],
    },
    {
      label: 'everything is stale when the new inventory is empty',
      old: inv(['_shop__Namespace', 'v1'], ['shop_web_apps_Deployment', 'v1']),
      next: inv(),
      stale: [ref('v1', 'Namespace', '', 'shop'), ref('apps/v1', 'Deployment', 'shop', 'web')],
    },
  ];
  for (const c of cases) {
    it(c.label, () => {
      expect(staleObjects(c.old, c.next)).toEqual(c.stale);
    });
  }
});

describe('ownerLabels', () => {
  it('names the Kustomization as Flux labels its objects', () => {
    expect(ownerLabels({ name: 'apps', namespace: 'flux-system' })).toEqual({
      'kustomize.toolkit.fluxcd.io/name': 'apps',
      'kustomize.toolkit.fluxcd.io/namespace': 'flux-system',
    });
  });
});
