import type { KubernetesObject } from '@kubernetes/client-node';
import {
  AppsV1Api,
  BatchV1Api,
  CoreV1Api,
  KubeConfig,
  KubernetesObjectApi,
  PatchStrategy,
} from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DevCluster } from '../../../lib/kube/dev-cluster/index.ts';
import { startDevCluster } from '../../../lib/kube/dev-cluster/index.ts';
import { imageTag } from '../../../lib/kube/dev-cluster/workloads.ts';
import { waitFor } from '../../support/ports.ts';

const podTemplate = (image: string) => ({
  metadata: { labels: { app: 'x' } },
  spec: { containers: [{ name: 'main', image }], restartPolicy: 'Never' },
});

function workload(apiVersion: string, kind: string, name: string, image: string): KubernetesObject {
  const spec: Record<string, unknown> = { template: podTemplate(image) };
  if (kind !== 'Job') spec.selector = { matchLabels: { app: 'x' } };
  if (kind === 'StatefulSet') Object.assign(spec, { replicas: 3, serviceName: name });
  return { apiVersion, kind, metadata: { name, namespace: 'jobs' }, spec } as KubernetesObject;
}

describe('image tags', () => {
  it.each([
    ['app:1.0', '1.0'],
    ['registry:5000/app:fail-2', 'fail-2'],
    ['registry:5000/app', ''],
    ['app:fail-1@sha256:abc', 'fail-1'],
  ])('%s has tag "%s"', (image, tag) => {
    expect(imageTag(image)).toBe(tag);
  });
});

describe('ferry dev-cluster workload simulation', () => {
  let cluster: DevCluster;
  let apps: AppsV1Api;
  let batch: BatchV1Api;
  let objects: KubernetesObjectApi;
  let kc: KubeConfig;

  const apply = (object: KubernetesObject) =>
    objects.patch(object, undefined, undefined, 'ferry', false, PatchStrategy.ServerSideApply);

  beforeAll(async () => {
    cluster = await startDevCluster({ port: 0, rolloutDelayMs: 30 });
    kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: 'dev', server: cluster.url, skipTLSVerify: true }],
      users: [{ name: 'dev' }],
      contexts: [{ name: 'dev', cluster: 'dev', user: 'dev' }],
      currentContext: 'dev',
    });
    apps = kc.makeApiClient(AppsV1Api);
    batch = kc.makeApiClient(BatchV1Api);
    objects = KubernetesObjectApi.makeApiClient(kc);
    await kc.makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name: 'jobs' } } });
  });

  afterAll(async () => {
    await cluster.stop();
  });

  it('leaves a new Deployment unobserved until the delay has passed', async () => {
    const created = await apply(workload('apps/v1', 'Deployment', 'slow', 'app:1'));
    expect((created as { status?: unknown }).status).toBeUndefined();
  });

  it('makes a StatefulSet ready with matching revisions', async () => {
    await apply(workload('apps/v1', 'StatefulSet', 'db', 'db:16'));
    await waitFor(
      'db ready',
      async () =>
        (await apps.readNamespacedStatefulSet({ name: 'db', namespace: 'jobs' })).status
          ?.observedGeneration === 1,
      5_000,
    );
    const { status } = await apps.readNamespacedStatefulSet({ name: 'db', namespace: 'jobs' });
    expect([
      status?.replicas,
      status?.readyReplicas,
      status?.updatedReplicas,
      status?.availableReplicas,
    ]).toEqual([3, 3, 3, 3]);
    expect(status?.currentRevision).toBe(status?.updateRevision);
  });

  it('schedules a DaemonSet on its one node, and never makes it ready with a fail- image', async () => {
    await apply(workload('apps/v1', 'DaemonSet', 'agent', 'agent:1'));
    await apply(workload('apps/v1', 'DaemonSet', 'broken-agent', 'agent:fail-now'));
    const read = (name: string) => apps.readNamespacedDaemonSet({ name, namespace: 'jobs' });
    await waitFor(
      'daemonsets observed',
      async () =>
        (await read('agent')).status?.observedGeneration === 1 &&
        (await read('broken-agent')).status?.observedGeneration === 1,
      5_000,
    );
    const good = (await read('agent')).status;
    const bad = (await read('broken-agent')).status;
    expect([good?.desiredNumberScheduled, good?.numberReady, good?.numberAvailable]).toEqual([1, 1, 1]);
    expect([bad?.desiredNumberScheduled, bad?.numberReady, bad?.numberAvailable]).toEqual([1, 0, 0]);
  });

  it('completes a Job, and fails one whose image tag starts with fail-', async () => {
    await apply(workload('batch/v1', 'Job', 'migrate', 'app:1'));
    await apply(workload('batch/v1', 'Job', 'crash', 'app:fail-boom'));
    const conditions = async (name: string) =>
      ((await batch.readNamespacedJob({ name, namespace: 'jobs' })).status?.conditions ?? []).map((c) => [
        c.type,
        c.status,
      ]);
    await waitFor(
      'jobs finished',
      async () => (await conditions('migrate')).length > 0 && (await conditions('crash')).length > 0,
      5_000,
    );
    expect(await conditions('migrate')).toEqual([['Complete', 'True']]);
    expect(await conditions('crash')).toEqual([['Failed', 'True']]);
    expect((await batch.readNamespacedJob({ name: 'migrate', namespace: 'jobs' })).status?.succeeded).toBe(1);
  });

  it('starts pods, leaves a fail- pod pending, binds claims and fills ReplicaSets', async () => {
    const pod = (name: string, image: string) =>
      ({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name, namespace: 'jobs' },
        spec: podTemplate(image).spec,
      }) as KubernetesObject;
    await apply(pod('runner', 'app:1'));
    await apply(pod('stuck', 'app:fail-pull'));
    await apply({
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'data', namespace: 'jobs' },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
    } as KubernetesObject);
    await apply({ ...workload('apps/v1', 'ReplicaSet', 'rs', 'app:1') });
    const core = kc.makeApiClient(CoreV1Api);
    const phase = async (name: string) =>
      (await core.readNamespacedPod({ name, namespace: 'jobs' })).status?.phase;
    await waitFor(
      'pods settled',
      async () => (await phase('runner')) !== undefined && (await phase('stuck')) !== undefined,
      5_000,
    );
    const runner = (await core.readNamespacedPod({ name: 'runner', namespace: 'jobs' })).status;
    expect([runner?.phase, runner?.conditions?.find((c) => c.type === 'Ready')?.status]).toEqual([
      'Running',
      'True',
    ]);
    const stuck = (await core.readNamespacedPod({ name: 'stuck', namespace: 'jobs' })).status;
    expect([stuck?.phase, stuck?.containerStatuses?.[0]?.state?.waiting?.reason]).toEqual([
      'Pending',
      'ImagePullBackOff',
    ]);
    await waitFor(
      'claim bound',
      async () =>
        (await core.readNamespacedPersistentVolumeClaim({ name: 'data', namespace: 'jobs' })).status
          ?.phase === 'Bound',
      5_000,
    );
    await waitFor(
      'replicaset ready',
      async () =>
        (await apps.readNamespacedReplicaSet({ name: 'rs', namespace: 'jobs' })).status?.readyReplicas === 1,
      5_000,
    );
  });

  it('rolls out again when a fixed image replaces a failing one', async () => {
    await apply(workload('apps/v1', 'Deployment', 'fixme', 'app:fail-1'));
    const read = () => apps.readNamespacedDeployment({ name: 'fixme', namespace: 'jobs' });
    await waitFor('first rollout stuck', async () => (await read()).status?.observedGeneration === 1, 5_000);
    expect((await read()).status?.availableReplicas).toBe(0);
    await apply(workload('apps/v1', 'Deployment', 'fixme', 'app:1'));
    await waitFor('second rollout done', async () => (await read()).status?.observedGeneration === 2, 5_000);
    const available = (await read()).status?.conditions?.find((c) => c.type === 'Available');
    expect([available?.status, (await read()).status?.availableReplicas]).toEqual(['True', 1]);
  });
});
