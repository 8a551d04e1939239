import type { KubernetesObject, V1ConfigMap } from '@kubernetes/client-node';
import {
  ApiException,
  AppsV1Api,
  CoreV1Api,
  KubeConfig,
  KubernetesObjectApi,
  PatchStrategy,
  setHeaderOptions,
  Watch,
} from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DevCluster } from '../../../lib/kube/dev-cluster/index.ts';
import { startDevCluster } from '../../../lib/kube/dev-cluster/index.ts';
import { waitFor } from '../../support/ports.ts';

async function codeOf(promise: Promise<unknown>): Promise<number> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof ApiException)) throw new Error(`expected an API error, got ${String(error)}`);
  return error.code;
}

describe('ferry dev-cluster writes', () => {
  let cluster: DevCluster;
  let kc: KubeConfig;
  let core: CoreV1Api;
  let apps: AppsV1Api;
  let objects: KubernetesObjectApi;

  const configMap = (name: string, data: Record<string, string>): V1ConfigMap => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace: 'w' },
    data,
  });

  beforeAll(async () => {
    cluster = await startDevCluster({ port: 0, rolloutDelayMs: 20 });
    kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: 'dev', server: cluster.url, skipTLSVerify: true }],
      users: [{ name: 'dev' }],
      contexts: [{ name: 'dev', cluster: 'dev', user: 'dev' }],
      currentContext: 'dev',
    });
    core = kc.makeApiClient(CoreV1Api);
    apps = kc.makeApiClient(AppsV1Api);
    objects = KubernetesObjectApi.makeApiClient(kc);
    await core.createNamespace({ body: { metadata: { name: 'w' } } });
  });

  afterAll(async () => {
    await cluster.stop();
  });

  it('merge-patches and JSON-patches, recording the patcher as an Update manager', async () => {
    await core.createNamespacedConfigMap({ namespace: 'w', body: configMap('p', { a: '1', b: '2' }) });
    const merged = await core.patchNamespacedConfigMap(
      { name: 'p', namespace: 'w', body: { data: { a: null, c: '3' } }, fieldManager: 'patcher' },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    expect(merged.data).toEqual({ b: '2', c: '3' });
    const patched = await core.patchNamespacedConfigMap(
      { name: 'p', namespace: 'w', body: [{ op: 'replace', path: '/data/b', value: 'two' }] },
      setHeaderOptions('Content-Type', PatchStrategy.JsonPatch),
    );
    expect(patched.data).toEqual({ b: 'two', c: '3' });
    expect(patched.metadata?.managedFields?.map((m) => m.manager)).toContain('patcher');
  });

  it("folds a Secret's stringData into data, so a re-apply changes nothing", async () => {
    const secret = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 's', namespace: 'w' },
      stringData: { token: 'abc' },
    } as KubernetesObject;
    const first = await objects.patch(
      secret,
      undefined,
      undefined,
      'ferry',
      false,
      PatchStrategy.ServerSideApply,
    );
    const read = await core.readNamespacedSecret({ name: 's', namespace: 'w' });
    expect([read.type, read.data, read.stringData]).toEqual(['Opaque', { token: 'YWJj' }, undefined]);
    const again = await objects.patch(
      secret,
      undefined,
      undefined,
      'ferry',
      false,
      PatchStrategy.ServerSideApply,
    );
    expect(again.metadata?.resourceVersion).toBe(first.metadata?.resourceVersion);
  });

  it('replaces with PUT, refusing a stale resourceVersion with 409', async () => {
    const created = await core.createNamespacedConfigMap({
      namespace: 'w',
      body: configMap('r', { a: '1' }),
    });
    const replaced = await core.replaceNamespacedConfigMap({
      name: 'r',
      namespace: 'w',
      body: { ...created, data: { a: '2' } },
    });
    expect(replaced.data).toEqual({ a: '2' });
    expect(Number(replaced.metadata?.resourceVersion)).toBeGreaterThan(
      Number(created.metadata?.resourceVersion),
    );
    expect(await codeOf(core.replaceNamespacedConfigMap({ name: 'r', namespace: 'w', body: created }))).toBe(
      409,
    );
  });

  it('keeps status apart: the main resource ignores it, /status changes only it', async () => {
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'd', namespace: 'w' },
      spec: {
        selector: { matchLabels: { a: 'b' } },
        template: { spec: { containers: [{ name: 'c', image: 'app:fail-x' }] } },
      },
      status: { replicas: 99 },
    };
    const created = await objects.patch(
      deployment as KubernetesObject,
      undefined,
      undefined,
      'ferry',
      false,
      PatchStrategy.ServerSideApply,
    );
    expect((created as { status?: unknown }).status).toBeUndefined();
    const patched = await apps.patchNamespacedDeploymentStatus(
      { name: 'd', namespace: 'w', body: { status: { replicas: 7 }, spec: { paused: true } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    expect([patched.status?.replicas, patched.spec?.paused]).toEqual([7, undefined]);
  });

  it('requires a field manager for apply', async () => {
    const response = await fetch(`${cluster.url}/api/v1/namespaces/w/configmaps/y`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/apply-patch+yaml' },
      body: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: y\n',
    });
    expect(response.status).toBe(422);
    const yaml = await fetch(`${cluster.url}/api/v1/namespaces/w/configmaps/y?fieldManager=me`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/apply-patch+yaml' },
      body: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: y\ndata:\n  k: v\n',
    });
    expect([yaml.status, ((await yaml.json()) as V1ConfigMap).data]).toEqual([201, { k: 'v' }]);
  });

  it('refuses new objects in a terminating namespace with 403', async () => {
    await core.createNamespace({ body: { metadata: { name: 'ending' } } });
    await core.deleteNamespace({ name: 'ending' });
    expect(
      await codeOf(
        core.createNamespacedConfigMap({ namespace: 'ending', body: { metadata: { name: 'late' } } }),
      ),
    ).toBe(403);
  });

  it("stops serving a CRD's resources, and forgets its objects, when the CRD is deleted", async () => {
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'gadgets.example.org' },
      spec: {
        group: 'example.org',
        scope: 'Cluster',
        names: { plural: 'gadgets', singular: 'gadget', kind: 'Gadget' },
        versions: [{ name: 'v1alpha1', served: true, storage: true, subresources: { status: {} } }],
      },
    } as KubernetesObject;
    await objects.patch(crd, undefined, undefined, 'ferry', false, PatchStrategy.ServerSideApply);
    await waitFor(
      'gadgets served',
      async () => (await fetch(`${cluster.url}/apis/example.org/v1alpha1/gadgets`)).ok,
      5_000,
    );
    const groups = (await (await fetch(`${cluster.url}/apis`)).json()) as { groups: { name: string }[] };
    expect(groups.groups.map((g) => g.name)).toContain('example.org');
    const gadget = {
      apiVersion: 'example.org/v1alpha1',
      kind: 'Gadget',
      metadata: { name: 'g' },
      spec: {},
    } as KubernetesObject;
    await objects.create(gadget);
    const strategic = await fetch(`${cluster.url}/apis/example.org/v1alpha1/gadgets/g`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/strategic-merge-patch+json' },
      body: '{"spec":{"a":1}}',
    });
    expect(strategic.status).toBe(415);
    await objects.delete(crd);
    expect((await fetch(`${cluster.url}/apis/example.org/v1alpha1/gadgets`)).status).toBe(404);
    const again = (await (await fetch(`${cluster.url}/apis`)).json()) as { groups: { name: string }[] };
    expect(again.groups.map((g) => g.name)).not.toContain('example.org');
  });

  it('replays to a watch the changes made since the list it started from', async () => {
    const list = await core.listNamespacedConfigMap({ namespace: 'w', labelSelector: 'replay=yes' });
    await core.createNamespacedConfigMap({
      namespace: 'w',
      body: { metadata: { name: 'between', labels: { replay: 'yes' } } },
    });
    const query = `labelSelector=replay%3Dyes&resourceVersion=${list.metadata?.resourceVersion}&timeoutSeconds=1`;
    const body = await (
      await fetch(`${cluster.url}/api/v1/namespaces/w/configmaps?watch=true&${query}`)
    ).text();
    const events = body
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; object: V1ConfigMap });
    expect(events.map((e) => `${e.type} ${e.object.metadata?.name}`)).toEqual(['ADDED between']);
  });

  it('streams changes to a watcher', async () => {
    const seen: string[] = [];
    const watch = new Watch(kc);
    const request = await watch.watch(
      '/api/v1/namespaces/w/configmaps',
      { labelSelector: 'watched=yes' },
      (type, object: V1ConfigMap) => seen.push(`${type} ${object.metadata?.name}`),
      () => {},
    );
    await core.createNamespacedConfigMap({
      namespace: 'w',
      body: { metadata: { name: 'seen', labels: { watched: 'yes' } } },
    });
    await core.createNamespacedConfigMap({ namespace: 'w', body: { metadata: { name: 'unseen' } } });
    await core.deleteNamespacedConfigMap({ name: 'seen', namespace: 'w' });
    await waitFor('events', async () => seen.length === 2, 5_000);
    request.abort();
    expect(seen).toEqual(['ADDED seen', 'DELETED seen']);
  });
});
