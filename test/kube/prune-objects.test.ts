import type { KubernetesObject } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DevCluster } from '../../lib/kube/dev-cluster/index.ts';
import { renderKubeconfig, startDevCluster } from '../../lib/kube/dev-cluster/index.ts';
import type { Cluster, ObjectRef } from '../../lib/kube/index.ts';
import {
  applyObjects,
  connectCluster,
  deleteInventory,
  inventoryOf,
  ownerLabels,
  pruneObjects,
  refOf,
  staleObjects,
} from '../../lib/kube/index.ts';

let dev: DevCluster;
let cluster: Cluster;

beforeAll(async () => {
  dev = await startDevCluster({ rolloutDelayMs: 20 });
  cluster = connectCluster({ kubeconfigYaml: renderKubeconfig(dev.url) });
});

afterAll(async () => {
  await dev?.stop();
});

const owner = { name: 'apps', namespace: 'flux-system' };

function owned(
  object: KubernetesObject,
  extraLabels: Record<string, string> = {},
  annotations?: Record<string, string>,
): KubernetesObject {
  return {
    ...object,
    metadata: {
      ...object.metadata,
      labels: { ...ownerLabels(owner), ...extraLabels },
      ...(annotations ? { annotations } : {}),
    },
  };
}

const namespace = (name: string) => owned({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
const configMap = (
  namespace: string,
  name: string,
  labels?: Record<string, string>,
  annotations?: Record<string, string>,
) =>
  owned(
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name, namespace },
      data: { v: '1' },
    } as KubernetesObject,
    labels,
    annotations,
  );

async function exists(ref: ObjectRef): Promise<boolean> {
  try {
    const live = await cluster.api.read({
      apiVersion: ref.apiVersion,
      kind: ref.kind,
      metadata: { name: ref.name, namespace: ref.namespace },
    });
    return live.metadata?.deletionTimestamp === undefined;
  } catch {
    return false;
  }
}

const actions = (set: { entries: { kind: string; name: string; action: string }[] }) =>
  set.entries.map((e) => `${e.kind}/${e.name} ${e.action}`);

describe('pruneObjects against the dev cluster', () => {
  it('deletes what left the inventory, keeps opted-out objects, and deletes Namespaces last', async () => {
    const before = [
      namespace('old-team'),
      namespace('shop'),
      configMap('old-team', 'legacy'),
      configMap('shop', 'kept-by-label', { 'kustomize.toolkit.fluxcd.io/prune': 'disabled' }),
      configMap('shop', 'kept-by-annotation', {}, { 'kustomize.toolkit.fluxcd.io/prune': 'disabled' }),
      configMap('shop', 'retired'),
      configMap('shop', 'current'),
    ];
    await applyObjects(cluster, before);
    const after = [namespace('shop'), configMap('shop', 'current')];
    await applyObjects(cluster, after);

    const stale = staleObjects(inventoryOf(before), inventoryOf(after));
    expect(stale.map((r) => `${r.kind}/${r.name}`).sort()).toEqual(
      [
        'ConfigMap/kept-by-annotation',
        'ConfigMap/kept-by-label',
        'ConfigMap/legacy',
        'ConfigMap/retired',
        'Namespace/old-team',
      ].sort(),
    );

    const pruned = await pruneObjects(cluster, stale, { owner });
    expect(pruned.entries.at(-1)).toMatchObject({ kind: 'Namespace', name: 'old-team', action: 'deleted' });
    expect(actions(pruned).sort()).toEqual(
      [
        'ConfigMap/kept-by-annotation skipped',
        'ConfigMap/kept-by-label skipped',
        'ConfigMap/legacy deleted',
        'ConfigMap/retired deleted',
        'Namespace/old-team deleted',
      ].sort(),
    );
    expect(pruned.counts).toMatchObject({ deleted: 3, skipped: 2 });
    expect(await exists(refOf(configMap('shop', 'retired')))).toBe(false);
    expect(await exists(refOf(configMap('shop', 'kept-by-label')))).toBe(true);
    expect(await exists(refOf(configMap('shop', 'current')))).toBe(true);
    expect(await exists(refOf(namespace('old-team')))).toBe(false);
  });

  it('ignores objects that are already gone', async () => {
    const gone = [refOf(configMap('shop', 'never-applied'))];
    const pruned = await pruneObjects(cluster, gone, { owner });
    expect(pruned.entries).toEqual([]);
  });

  it('leaves an object another Kustomization now owns', async () => {
    const theirs = {
      ...configMap('shop', 'adopted'),
      metadata: {
        name: 'adopted',
        namespace: 'shop',
        labels: ownerLabels({ name: 'infra', namespace: 'flux-system' }),
      },
    };
    await applyObjects(cluster, [theirs]);
    const pruned = await pruneObjects(cluster, [refOf(theirs)], { owner });
    expect(actions(pruned)).toEqual(['ConfigMap/adopted skipped']);
    expect(await exists(refOf(theirs))).toBe(true);
  });

  it('deletes the whole inventory of a removed Kustomization', async () => {
    const objects = [namespace('tenant'), configMap('tenant', 'one'), configMap('tenant', 'two')];
    await applyObjects(cluster, objects);
    const deleted = await deleteInventory(cluster, inventoryOf(objects), { owner });
    expect(actions(deleted)).toEqual([
      'ConfigMap/one deleted',
      'ConfigMap/two deleted',
      'Namespace/tenant deleted',
    ]);
    for (const object of objects) expect(await exists(refOf(object))).toBe(false);
  });
});
