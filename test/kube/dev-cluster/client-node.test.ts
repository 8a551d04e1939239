import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubernetesObject, V1ConfigMap, V1Deployment } from '@kubernetes/client-node';
import {
  ApiException,
  AppsV1Api,
  CoreV1Api,
  KubeConfig,
  KubernetesObjectApi,
  PatchStrategy,
} from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DevCluster } from '../../../lib/kube/dev-cluster/index.ts';
import { startDevCluster } from '../../../lib/kube/dev-cluster/index.ts';
import { waitFor } from '../../support/ports.ts';

const ROLLOUT_MS = 50;

function deployment(name: string, image: string, replicas = 2): KubernetesObject & Record<string, unknown> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'shop', labels: { app: name } },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'main', image }] } },
    },
  };
}

async function failure(promise: Promise<unknown>): Promise<{ code: number; body: Record<string, unknown> }> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof ApiException)) throw new Error(`expected an API error, got ${String(error)}`);
  return { code: error.code, body: typeof error.body === 'string' ? JSON.parse(error.body) : error.body };
}

describe('ferry dev-cluster, driven by the Kubernetes client library', () => {
  let cluster: DevCluster;
  let dir: string;
  let core: CoreV1Api;
  let apps: AppsV1Api;
  let objects: KubernetesObjectApi;

  const apply = (object: object, manager: string, force = false) =>
    objects.patch<KubernetesObject>(
      object as KubernetesObject,
      undefined,
      undefined,
      manager,
      force,
      PatchStrategy.ServerSideApply,
    );

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ferry-dev-cluster-'));
    cluster = await startDevCluster({ port: 0, rolloutDelayMs: ROLLOUT_MS });
    await cluster.writeKubeconfig(join(dir, 'kubeconfig'));
    const kc = new KubeConfig();
    kc.loadFromFile(join(dir, 'kubeconfig'));
    expect(kc.getCurrentContext()).toBe('ferry-dev-cluster');
    core = kc.makeApiClient(CoreV1Api);
    apps = kc.makeApiClient(AppsV1Api);
    objects = KubernetesObjectApi.makeApiClient(kc);
    await core.createNamespace({ body: { metadata: { name: 'shop' } } });
  });

  afterAll(async () => {
    await cluster.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('says it is a simulator on every response', async () => {
    const response = await fetch(`${cluster.url}/api/v1/namespaces`);
    expect(response.headers.get('x-ferry-simulator')).toBe('true');
    const missing = await fetch(`${cluster.url}/nowhere`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('x-ferry-simulator')).toBe('true');
  });

  it('creates a namespace with uid, resourceVersion and creationTimestamp, and refuses a second one', async () => {
    const ns = await core.readNamespace({ name: 'shop' });
    expect(ns.metadata?.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(Number(ns.metadata?.resourceVersion)).toBeGreaterThan(0);
    expect(ns.metadata?.creationTimestamp).toBeInstanceOf(Date);
    expect(ns.status?.phase).toBe('Active');
    const again = await failure(core.createNamespace({ body: { metadata: { name: 'shop' } } }));
    expect(again.code).toBe(409);
    expect(again.body).toMatchObject({
      kind: 'Status',
      reason: 'AlreadyExists',
      message: 'namespaces "shop" already exists',
    });
  });

  it('refuses a namespaced object whose namespace does not exist', async () => {
    const cm: V1ConfigMap = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'x', namespace: 'nowhere' },
    };
    const result = await failure(apply(cm, 'ferry'));
    expect(result).toEqual({
      code: 404,
      body: {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: 'namespaces "nowhere" not found',
        reason: 'NotFound',
        details: { name: 'nowhere', kind: 'namespaces' },
        code: 404,
      },
    });
  });

  it('applies a ConfigMap, records its field manager, and lists by label selector', async () => {
    for (const [name, tier] of [
      ['web-config', 'front'],
      ['db-config', 'back'],
      ['cache-config', 'back'],
    ]) {
      await apply(
        {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name, namespace: 'shop', labels: { tier } },
          data: { name },
        } as V1ConfigMap,
        'ferry',
      );
    }
    const web = await core.readNamespacedConfigMap({ name: 'web-config', namespace: 'shop' });
    expect(web.data).toEqual({ name: 'web-config' });
    expect(web.metadata?.managedFields?.map((m) => [m.manager, m.operation])).toEqual([['ferry', 'Apply']]);
    const names = async (labelSelector: string) =>
      (await core.listNamespacedConfigMap({ namespace: 'shop', labelSelector })).items.map(
        (i) => i.metadata?.name,
      );
    expect(await names('tier=back')).toEqual(['cache-config', 'db-config']);
    expect(await names('tier in (front,middle)')).toEqual(['web-config']);
    expect(await names('tier!=back,tier')).toEqual(['web-config']);
    expect(await names('!tier')).toEqual([]);
    const byName = await core.listNamespacedConfigMap({
      namespace: 'shop',
      fieldSelector: 'metadata.name=db-config',
    });
    expect(byName.items.map((i) => i.metadata?.name)).toEqual(['db-config']);
    expect(Number(byName.metadata?.resourceVersion)).toBeGreaterThan(0);
  });

  it("refuses an apply that changes another manager's field with 409 naming it, and takes it over with force", async () => {
    const cm = (color: string) => ({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'colors', namespace: 'shop' },
      data: { color },
    });
    await apply(cm('blue'), 'ferry');
    const conflict = await failure(apply(cm('red'), 'someone-else'));
    expect(conflict.code).toBe(409);
    expect(conflict.body).toMatchObject({
      kind: 'Status',
      status: 'Failure',
      reason: 'Conflict',
      message: 'Apply failed with 1 conflict: conflict with "ferry": .data.color',
      details: {
        causes: [{ type: 'FieldManagerConflict', message: 'conflict with "ferry"', field: '.data.color' }],
      },
    });
    await apply(cm('blue'), 'someone-else');
    const forced = await apply(cm('red'), 'someone-else', true);
    expect((forced as V1ConfigMap).data).toEqual({ color: 'red' });
    const managers = (forced.metadata?.managedFields ?? []).map((m) => m.manager);
    expect(managers).toEqual(['someone-else']);
  });

  it('removes a field an applier stops setting, and keeps the resourceVersion when nothing changes', async () => {
    const cm = (data: Record<string, string>) => ({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'pruned', namespace: 'shop' },
      data,
    });
    await apply(cm({ a: '1', b: '2' }), 'ferry');
    const second = await apply(cm({ a: '1' }), 'ferry');
    expect((second as V1ConfigMap).data).toEqual({ a: '1' });
    const third = await apply(cm({ a: '1' }), 'ferry');
    expect(third.metadata?.resourceVersion).toBe(second.metadata?.resourceVersion);
  });

  it("answers bad requests with the real API's Status codes", async () => {
    const noName = await failure(
      core.createNamespacedConfigMap({ namespace: 'shop', body: { metadata: {} } }),
    );
    expect(noName.code).toBe(422);
    expect(noName.body).toMatchObject({
      reason: 'Invalid',
      details: { causes: [{ field: 'metadata.name', reason: 'FieldValueRequired' }] },
    });
    const wrongKind = await fetch(`${cluster.url}/api/v1/namespaces/shop/configmaps`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' } }),
    });
    expect(wrongKind.status).toBe(422);
    const wrongPatch = await fetch(`${cluster.url}/api/v1/namespaces/shop/configmaps/colors`, {
      method: 'PATCH',
      headers: { 'content-type': 'text/plain' },
      body: '{}',
    });
    expect(wrongPatch.status).toBe(415);
    expect(await wrongPatch.json()).toMatchObject({
      kind: 'Status',
      reason: 'UnsupportedMediaType',
      code: 415,
    });
    const missing = await failure(apps.readNamespacedDeployment({ name: 'ghost', namespace: 'shop' }));
    expect(missing.body).toMatchObject({
      message: 'deployments.apps "ghost" not found',
      details: { group: 'apps', kind: 'deployments' },
    });
  });

  it('rolls a Deployment out after the delay, bumping generation on spec changes only', async () => {
    const first = (await apply(deployment('web', 'registry.local/web:1.0.0'), 'ferry')) as V1Deployment;
    expect(first.metadata?.generation).toBe(1);
    await waitFor(
      'web available',
      async () => {
        const live = await apps.readNamespacedDeployment({ name: 'web', namespace: 'shop' });
        return live.status?.availableReplicas === 2 && live.status.observedGeneration === 1;
      },
      5_000,
    );
    const live = await apps.readNamespacedDeployment({ name: 'web', namespace: 'shop' });
    expect(live.status?.conditions?.map((c) => [c.type, c.status])).toEqual([
      ['Available', 'True'],
      ['Progressing', 'True'],
    ]);
    const labelled = {
      ...deployment('web', 'registry.local/web:1.0.0'),
      metadata: { name: 'web', namespace: 'shop', labels: { app: 'web', team: 'a' } },
    };
    expect((await apply(labelled, 'ferry')).metadata?.generation).toBe(1);
    expect((await apply(deployment('web', 'registry.local/web:1.1.0'), 'ferry')).metadata?.generation).toBe(
      2,
    );
  });

  it('never completes the rollout of an image tagged fail-', async () => {
    await apply(deployment('broken', 'registry.local/web:fail-1'), 'ferry');
    await waitFor(
      'broken observed',
      async () => {
        const live = await apps.readNamespacedDeployment({ name: 'broken', namespace: 'shop' });
        return live.status?.observedGeneration === 1;
      },
      5_000,
    );
    const live = await apps.readNamespacedDeployment({ name: 'broken', namespace: 'shop' });
    expect(live.status?.availableReplicas).toBe(0);
    const progressing = live.status?.conditions?.find((c) => c.type === 'Progressing');
    expect([progressing?.status, progressing?.reason]).toEqual(['False', 'ProgressDeadlineExceeded']);
  });

  it("serves a CRD's resources once it is Established", async () => {
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'widgets.example.com' },
      spec: {
        group: 'example.com',
        scope: 'Namespaced',
        names: { plural: 'widgets', singular: 'widget', kind: 'Widget', shortNames: ['wd'] },
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
    await apply(crd, 'ferry');
    await waitFor(
      'widgets established',
      async () => {
        const live = (await objects.read({
          apiVersion: crd.apiVersion,
          kind: crd.kind,
          metadata: { name: crd.metadata.name },
        })) as { status?: { conditions?: { type: string; status: string }[] } };
        return live.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True') === true;
      },
      5_000,
    );
    const discovery = (await (await fetch(`${cluster.url}/apis/example.com/v1`)).json()) as {
      resources: unknown[];
    };
    expect(discovery.resources[0]).toMatchObject({
      name: 'widgets',
      singularName: 'widget',
      namespaced: true,
      kind: 'Widget',
      shortNames: ['wd'],
    });
    const widget = {
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      metadata: { name: 'w1', namespace: 'shop' },
      spec: { size: 3 },
    };
    await apply(widget, 'ferry');
    const list = await objects.list('example.com/v1', 'Widget', 'shop');
    expect(list.items.map((i) => [i.metadata?.name, (i as unknown as typeof widget).spec.size])).toEqual([
      ['w1', 3],
    ]);
  });

  it('deletes a namespace with everything in it', async () => {
    await core.createNamespace({ body: { metadata: { name: 'doomed' } } });
    await core.createNamespacedConfigMap({ namespace: 'doomed', body: { metadata: { name: 'inside' } } });
    await core.deleteNamespace({ name: 'doomed' });
    expect((await core.readNamespace({ name: 'doomed' })).status?.phase).toBe('Terminating');
    await waitFor(
      'doomed gone',
      async () => (await failure(core.readNamespace({ name: 'doomed' }))).code === 404,
      5_000,
    );
    const left = await core.listConfigMapForAllNamespaces({ fieldSelector: 'metadata.namespace=doomed' });
    expect(left.items).toEqual([]);
  });

  it('deletes what an object owns unless told to orphan it', async () => {
    const owner = await core.createNamespacedConfigMap({
      namespace: 'shop',
      body: { metadata: { name: 'owner' } },
    });
    const ownerReferences = [
      { apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: owner.metadata?.uid ?? '' },
    ];
    await core.createNamespacedConfigMap({
      namespace: 'shop',
      body: { metadata: { name: 'owned', ownerReferences } },
    });
    await core.deleteNamespacedConfigMap({
      name: 'owner',
      namespace: 'shop',
      propagationPolicy: 'Background',
    });
    expect((await failure(core.readNamespacedConfigMap({ name: 'owned', namespace: 'shop' }))).code).toBe(
      404,
    );

    const keeper = await core.createNamespacedConfigMap({
      namespace: 'shop',
      body: { metadata: { name: 'keeper' } },
    });
    const kept = [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'keeper', uid: keeper.metadata?.uid ?? '' }];
    await core.createNamespacedConfigMap({
      namespace: 'shop',
      body: { metadata: { name: 'orphan', ownerReferences: kept } },
    });
    await core.deleteNamespacedConfigMap({ name: 'keeper', namespace: 'shop', propagationPolicy: 'Orphan' });
    expect((await core.readNamespacedConfigMap({ name: 'orphan', namespace: 'shop' })).metadata?.name).toBe(
      'orphan',
    );
  });
});
