import type { KubernetesObject } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DevCluster } from '../../lib/kube/dev-cluster/index.ts';
import { renderKubeconfig, startDevCluster } from '../../lib/kube/dev-cluster/index.ts';
import type { Cluster, HealthStatus, ObjectRef } from '../../lib/kube/index.ts';
import { applyObjects, checkHealth, connectCluster, refOf } from '../../lib/kube/index.ts';
import { waitFor } from '../support/ports.ts';

const ROLLOUT_MS = 100;
let dev: DevCluster;
let cluster: Cluster;

beforeAll(async () => {
  dev = await startDevCluster({ rolloutDelayMs: ROLLOUT_MS });
  cluster = connectCluster({ kubeconfigYaml: renderKubeconfig(dev.url) });
});

afterAll(async () => {
  await dev?.stop();
});

const podTemplate = (name: string, image: string) => ({
  selector: { matchLabels: { app: name } },
  template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'main', image }] } },
});

const workload = (
  apiVersion: string,
  kind: string,
  name: string,
  spec: Record<string, unknown>,
): KubernetesObject =>
  ({ apiVersion, kind, metadata: { name, namespace: 'default' }, spec }) as KubernetesObject;

const deployment = (name: string, image: string) =>
  workload('apps/v1', 'Deployment', name, { replicas: 2, ...podTemplate(name, image) });
const job = (name: string, image: string) =>
  workload('batch/v1', 'Job', name, {
    template: { spec: { restartPolicy: 'Never', containers: [{ name: 'main', image }] } },
  });

/** Checks again, as the apply job's delayed requeue would, until the object settles. */
async function settled(
  ref: ObjectRef,
  until: HealthStatus,
): Promise<{ status: HealthStatus; reason: string }> {
  let last: { status: HealthStatus; reason: string } = { status: 'progressing', reason: '' };
  await waitFor(
    `${ref.kind}/${ref.name} ${until}`,
    async () => {
      const [health] = await checkHealth(cluster, [ref]);
      if (health) last = health;
      return last.status === until;
    },
    5_000,
  );
  return last;
}

describe('checkHealth against the dev cluster', () => {
  it('sees a Deployment progress, then become healthy once its rollout completes', async () => {
    const web = deployment('web', 'registry.example/web:1.0.0');
    await applyObjects(cluster, [web]);
    const [first] = await checkHealth(cluster, [refOf(web)]);
    expect(first?.status).toBe('progressing');
    expect((await settled(refOf(web), 'healthy')).reason).toMatch(/rolled out/);
  });

  it('fails a Deployment whose image never starts', async () => {
    const broken = deployment('broken', 'registry.example/web:fail-1');
    await applyObjects(cluster, [broken]);
    expect((await settled(refOf(broken), 'failed')).reason).toMatch(/timed out progressing/);
  });

  it('tells a complete Job from a failed one', async () => {
    const good = job('migrate', 'registry.example/migrate:1.0.0');
    const bad = job('migrate-broken', 'registry.example/migrate:fail-2');
    await applyObjects(cluster, [good, bad]);
    expect((await settled(refOf(good), 'healthy')).reason).toBe('job completed');
    expect((await settled(refOf(bad), 'failed')).reason).toMatch(/backoff limit/);
  });

  it('judges StatefulSets and DaemonSets by their rollout', async () => {
    const db = workload('apps/v1', 'StatefulSet', 'db', {
      replicas: 1,
      serviceName: 'db',
      ...podTemplate('db', 'registry.example/db:1'),
    });
    const agent = workload('apps/v1', 'DaemonSet', 'agent', podTemplate('agent', 'registry.example/agent:1'));
    await applyObjects(cluster, [db, agent]);
    await settled(refOf(db), 'healthy');
    await settled(refOf(agent), 'healthy');
  });

  it('reports a missing object as progressing and a plain one as healthy, in one pass', async () => {
    const settings = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'settings', namespace: 'default' },
      data: { a: '1' },
    };
    await applyObjects(cluster, [settings]);
    const missing: ObjectRef = { apiVersion: 'v1', kind: 'Service', namespace: 'default', name: 'absent' };
    const health = await checkHealth(cluster, [refOf(settings), missing]);
    expect(health.map((h) => [h.kind, h.status, h.reason])).toEqual([
      ['ConfigMap', 'healthy', 'exists'],
      ['Service', 'progressing', 'not found'],
    ]);
  });
});
