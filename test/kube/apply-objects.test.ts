import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubernetesObject, V1ConfigMap } from '@kubernetes/client-node';
import { PatchStrategy } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failureClassOf } from '../../lib/errors.ts';
import type { DevCluster } from '../../lib/kube/dev-cluster/index.ts';
import { renderKubeconfig, startDevCluster } from '../../lib/kube/dev-cluster/index.ts';
import type { Cluster } from '../../lib/kube/index.ts';
import {
  ApplyConflictError,
  applyObjects,
  connectCluster,
  KubeApiError,
  KubeconfigError,
} from '../../lib/kube/index.ts';

let dev: DevCluster;
let cluster: Cluster;
let dir: string;

beforeAll(async () => {
  dev = await startDevCluster({ rolloutDelayMs: 20 });
  dir = await mkdtemp(join(tmpdir(), 'ferry-apply-'));
  await dev.writeKubeconfig(join(dir, 'kubeconfig'));
  cluster = connectCluster({ kubeconfigPath: join(dir, 'kubeconfig') });
  await applyObjects(cluster, [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } }]);
});

afterAll(async () => {
  await cluster?.close();
  await dev?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

function configMap(
  name: string,
  data: Record<string, string>,
  annotations?: Record<string, string>,
): V1ConfigMap {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace: 'shop', ...(annotations ? { annotations } : {}) },
    data,
  };
}

async function liveData(name: string): Promise<Record<string, string> | undefined> {
  const live = await cluster.api.read<V1ConfigMap>({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace: 'shop' },
  });
  return live.data;
}

const actions = (set: { entries: { kind: string; name: string; action: string }[] }) =>
  set.entries.map((e) => `${e.kind}/${e.name} ${e.action}`);

describe('connectCluster', () => {
  it('connects with a kubeconfig held as text, as a Secret holds it', async () => {
    const fromText = connectCluster({ kubeconfigYaml: renderKubeconfig(dev.url) });
    expect(fromText.server).toBe(dev.url);
    const set = await applyObjects(fromText, [configMap('from-secret', { a: '1' })]);
    expect(actions(set)).toEqual(['ConfigMap/from-secret created']);
  });

  it('refuses a kubeconfig it cannot read without quoting it', () => {
    const attempt = () => connectCluster({ kubeconfigYaml: 'token: s3cret\n  : [' });
    expect(attempt).toThrow(KubeconfigError);
    expect(attempt).not.toThrow(/s3cret/);
  });
});

describe('applyObjects against the dev cluster', () => {
  it('applies a CRD and its custom resources in one batch, definitions first', async () => {
    const widget: KubernetesObject & { spec: unknown } = {
      apiVersion: 'shop.example.com/v1',
      kind: 'Widget',
      metadata: { name: 'w1', namespace: 'warehouse' },
      spec: { size: 3 },
    };
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'widgets.shop.example.com' },
      spec: {
        group: 'shop.example.com',
        scope: 'Namespaced',
        names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' },
        versions: [
          {
            name: 'v1',
            served: true,
            storage: true,
            schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
          },
        ],
      },
    };
    const set = await applyObjects(cluster, [
      widget,
      crd,
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'warehouse' } },
    ]);
    expect(actions(set)).toEqual([
      'CustomResourceDefinition/widgets.shop.example.com created',
      'Namespace/warehouse created',
      'Widget/w1 created',
    ]);
    const live = await cluster.api.read<KubernetesObject & { spec: unknown }>({
      apiVersion: 'shop.example.com/v1',
      kind: 'Widget',
      metadata: { name: 'w1', namespace: 'warehouse' },
    });
    expect(live.spec).toEqual({ size: 3 });
  });

  it('reports created, then unchanged, then configured, with counts', async () => {
    const first = await applyObjects(cluster, [
      configMap('settings', { mode: 'a' }),
      configMap('flags', { x: '1' }),
    ]);
    expect(first.counts).toMatchObject({ created: 2, configured: 0, unchanged: 0 });
    const again = await applyObjects(cluster, [
      configMap('settings', { mode: 'a' }),
      configMap('flags', { x: '1' }),
    ]);
    expect(again.counts).toMatchObject({ created: 0, configured: 0, unchanged: 2 });
    const changed = await applyObjects(cluster, [
      configMap('settings', { mode: 'b' }),
      configMap('flags', { x: '1' }),
    ]);
    expect(actions(changed)).toEqual(['ConfigMap/settings configured', 'ConfigMap/flags unchanged']);
    expect(changed.entries[0]).toMatchObject({ apiVersion: 'v1', namespace: 'shop' });
    expect(await liveData('settings')).toEqual({ mode: 'b' });
  });

  it('tells unchanged from configured when a kind is listed at once rather than read object by object', async () => {
    const names = ['l1', 'l2', 'l3', 'l4', 'l5', 'l6'];
    const first = await applyObjects(
      cluster,
      names.map((n) => configMap(n, { v: '1' })),
    );
    expect(first.counts).toMatchObject({ created: 6 });
    const second = await applyObjects(
      cluster,
      names.map((n) => configMap(n, { v: n === 'l4' ? '2' : '1' })),
    );
    expect(second.counts).toMatchObject({ created: 0, configured: 1, unchanged: 5 });
    expect(second.entries.find((e) => e.action === 'configured')?.name).toBe('l4');
  });

  it('reports in a dry run what an apply would do without changing anything', async () => {
    await applyObjects(cluster, [configMap('dry', { v: '1' })]);
    const planned = await applyObjects(
      cluster,
      [configMap('dry', { v: '2' }), configMap('dry-new', { v: '1' })],
      {
        dryRun: true,
      },
    );
    expect(actions(planned)).toEqual(['ConfigMap/dry configured', 'ConfigMap/dry-new created']);
    expect(await liveData('dry')).toEqual({ v: '1' });
    await expect(liveData('dry-new')).rejects.toMatchObject({ code: 404 });
    const same = await applyObjects(cluster, [configMap('dry', { v: '1' })], { dryRun: true });
    expect(actions(same)).toEqual(['ConfigMap/dry unchanged']);
  });

  it('creates an IfNotPresent object once and then leaves it alone', async () => {
    const ssa = { 'kustomize.toolkit.fluxcd.io/ssa': 'IfNotPresent' };
    expect(actions(await applyObjects(cluster, [configMap('seed', { v: '1' }, ssa)]))).toEqual([
      'ConfigMap/seed created',
    ]);
    expect(actions(await applyObjects(cluster, [configMap('seed', { v: '2' }, ssa)]))).toEqual([
      'ConfigMap/seed skipped',
    ]);
    expect(await liveData('seed')).toEqual({ v: '1' });
  });

  it('never touches an object marked Ignore, in the manifest or in the cluster', async () => {
    const ignore = { 'kustomize.toolkit.fluxcd.io/ssa': 'Ignore' };
    expect(actions(await applyObjects(cluster, [configMap('hands-off', { v: '1' }, ignore)]))).toEqual([
      'ConfigMap/hands-off skipped',
    ]);
    await expect(liveData('hands-off')).rejects.toMatchObject({ code: 404 });

    await cluster.api.patch(
      configMap('pinned', { v: 'manual' }, ignore),
      undefined,
      undefined,
      'operator',
      true,
      PatchStrategy.ServerSideApply,
    );
    expect(actions(await applyObjects(cluster, [configMap('pinned', { v: 'git' })]))).toEqual([
      'ConfigMap/pinned skipped',
    ]);
    expect(await liveData('pinned')).toEqual({ v: 'manual' });
  });

  it('applies Merge objects like any other', async () => {
    const merge = { 'kustomize.toolkit.fluxcd.io/ssa': 'Merge' };
    expect(actions(await applyObjects(cluster, [configMap('merged', { v: '1' }, merge)]))).toEqual([
      'ConfigMap/merged created',
    ]);
    expect(actions(await applyObjects(cluster, [configMap('merged', { v: '2' }, merge)]))).toEqual([
      'ConfigMap/merged configured',
    ]);
  });

  it('fails on a field another manager owns, naming the object and the manager, and takes it with force', async () => {
    await cluster.api.patch(
      configMap('shared', { owner: 'kubectl' }),
      undefined,
      undefined,
      'kubectl',
      false,
      PatchStrategy.ServerSideApply,
    );
    const error = await applyObjects(cluster, [configMap('shared', { owner: 'ferry' })]).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ApplyConflictError);
    expect(failureClassOf(error)).toBe('terminal');
    expect((error as ApplyConflictError).message).toContain('ConfigMap/shop/shared');
    expect((error as ApplyConflictError).data.managers).toEqual(['kubectl']);
    expect(await liveData('shared')).toEqual({ owner: 'kubectl' });

    const forced = await applyObjects(cluster, [configMap('shared', { owner: 'ferry' })], { force: true });
    expect(actions(forced)).toEqual(['ConfigMap/shared configured']);
    expect(await liveData('shared')).toEqual({ owner: 'ferry' });
  });

  it('takes conflicting fields for an object annotated force: enabled', async () => {
    await cluster.api.patch(
      configMap('forced', { owner: 'kubectl' }),
      undefined,
      undefined,
      'kubectl',
      false,
      PatchStrategy.ServerSideApply,
    );
    const set = await applyObjects(cluster, [
      configMap('forced', { owner: 'ferry' }, { 'kustomize.toolkit.fluxcd.io/force': 'enabled' }),
    ]);
    expect(actions(set)).toEqual(['ConfigMap/forced configured']);
  });

  it('applies the rest of a stage when one object fails, then throws naming it', async () => {
    const unknown = {
      apiVersion: 'shop.example.com/v1',
      kind: 'Gadget',
      metadata: { name: 'g1', namespace: 'shop' },
    };
    const error = await applyObjects(cluster, [configMap('neighbour', { v: '1' }), unknown]).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(KubeApiError);
    expect(failureClassOf(error)).toBe('terminal');
    expect((error as KubeApiError).message).toMatch(/Gadget\/shop\/g1/);
    expect(await liveData('neighbour')).toEqual({ v: '1' });
  });

  it('refuses an object in a namespace that does not exist, with the API message', async () => {
    const orphan = { ...configMap('lost', { v: '1' }), metadata: { name: 'lost', namespace: 'nowhere' } };
    const error = await applyObjects(cluster, [orphan]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KubeApiError);
    expect((error as KubeApiError).message).toMatch(/ConfigMap\/nowhere\/lost: .*nowhere/);
  });
});
