import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DevCluster } from '../../../lib/kube/dev-cluster/index.ts';
import { startDevCluster } from '../../../lib/kube/dev-cluster/index.ts';
import { waitFor } from '../../support/ports.ts';
import { requireTool } from '../../support/tools.ts';

const run = promisify(execFile);

const MANIFESTS = `apiVersion: v1
kind: Namespace
metadata:
  name: demo
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: demo
  labels: {app: web}
data:
  color: blue
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: demo
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: registry.local/web:1.0.0
`;

describe('ferry dev-cluster, driven by kubectl', () => {
  let kubectl: string;
  let cluster: DevCluster;
  let dir: string;
  let kubeconfig: string;

  const k = async (...args: string[]) =>
    (await run(kubectl, ['--kubeconfig', kubeconfig, '--cache-dir', join(dir, 'cache'), ...args])).stdout;

  beforeAll(async () => {
    kubectl = requireTool('kubectl', 'kubectl', ['version', '--client']);
    dir = await mkdtemp(join(tmpdir(), 'ferry-dev-cluster-kubectl-'));
    kubeconfig = join(dir, 'kubeconfig');
    cluster = await startDevCluster({ port: 0, rolloutDelayMs: 50 });
    await cluster.writeKubeconfig(kubeconfig);
    await writeFile(join(dir, 'app.yaml'), MANIFESTS);
  });

  afterAll(async () => {
    await cluster?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('lists the namespaces the simulator starts with', async () => {
    const out = await k('get', 'ns', '-o', 'name');
    expect(out.split('\n').filter(Boolean)).toEqual([
      'namespace/default',
      'namespace/kube-node-lease',
      'namespace/kube-public',
      'namespace/kube-system',
    ]);
    expect(await k('get', 'ns')).toMatch(/^NAME\s+AGE\ndefault\s+\d+s\n/);
  });

  it('applies server-side, with validation on, and shows the objects as JSON', async () => {
    const applied = await k('apply', '--server-side', '-f', join(dir, 'app.yaml'));
    expect(applied.trim().split('\n')).toEqual([
      'namespace/demo serverside-applied',
      'configmap/settings serverside-applied',
      'deployment.apps/web serverside-applied',
    ]);
    await waitFor(
      'web available',
      async () => {
        const list = JSON.parse(await k('get', 'deploy', '-n', 'demo', '-o', 'json'));
        return list.items[0]?.status?.availableReplicas === 2;
      },
      5_000,
    );
    const list = JSON.parse(await k('get', 'deploy', '-n', 'demo', '-o', 'json'));
    expect(list.items.map((d: { metadata: { name: string } }) => d.metadata.name)).toEqual(['web']);
    const cm = JSON.parse(
      await k('get', 'configmap', 'settings', '-n', 'demo', '-o', 'json', '--show-managed-fields'),
    );
    expect(cm.metadata.managedFields[0]).toMatchObject({
      manager: 'kubectl',
      operation: 'Apply',
      fieldsV1: { 'f:data': { 'f:color': {} } },
    });
    expect(await k('get', 'cm', '-n', 'demo', '-l', 'app=web', '-o', 'name')).toBe('configmap/settings\n');
  });

  it('shows workloads under get all, and changes nothing on a server dry run', async () => {
    expect(await k('get', 'all', '-n', 'demo', '-o', 'name')).toBe('deployment.apps/web\n');
    await writeFile(join(dir, 'dry.yaml'), MANIFESTS.replace('color: blue', 'color: red'));
    const out = await k('apply', '--server-side', '--dry-run=server', '-f', join(dir, 'dry.yaml'));
    expect(out).toContain('configmap/settings serverside-applied (server dry run)');
    expect(await k('get', 'cm', 'settings', '-n', 'demo', '-o', 'jsonpath={.data.color}')).toBe('blue');
  });

  it('reports a conflict with the manager kubectl names, and forces it', async () => {
    const edited = MANIFESTS.replace('color: blue', 'color: green');
    await writeFile(join(dir, 'edited.yaml'), edited);
    const refused = await k(
      'apply',
      '--server-side',
      '--field-manager',
      'other',
      '-f',
      join(dir, 'edited.yaml'),
    ).then(
      () => '',
      (e: { stderr: string }) => e.stderr,
    );
    expect(refused).toContain('conflict with "kubectl": .data.color');
    await k(
      'apply',
      '--server-side',
      '--field-manager',
      'other',
      '--force-conflicts',
      '-f',
      join(dir, 'edited.yaml'),
    );
    expect(await k('get', 'cm', 'settings', '-n', 'demo', '-o', 'jsonpath={.data.color}')).toBe('green');
  });

  it('scales, waits for a rollout, and then conflicts with a re-apply of replicas until forced', async () => {
    expect(await k('-n', 'demo', 'scale', 'deploy/web', '--replicas=3')).toBe('deployment.apps/web scaled\n');
    expect(await k('-n', 'demo', 'rollout', 'status', 'deploy/web', '--timeout=10s')).toContain(
      'successfully rolled out',
    );
    expect(await k('-n', 'demo', 'get', 'deploy', 'web', '-o', 'jsonpath={.status.availableReplicas}')).toBe(
      '3',
    );
    const refused = await k('apply', '--server-side', '-f', join(dir, 'app.yaml')).then(
      () => '',
      (e: { stderr: string }) => e.stderr,
    );
    expect(refused).toContain(
      'conflict with "kubectl" with subresource "scale" using apps/v1: .spec.replicas',
    );
  });

  it('deletes what a file declares, namespace last, and waits until it is gone', async () => {
    const out = await k('delete', '-f', join(dir, 'app.yaml'));
    expect(out.trim().split('\n')).toEqual([
      'namespace "demo" deleted',
      'configmap "settings" deleted',
      'deployment.apps "web" deleted',
    ]);
    expect(await k('get', 'ns', 'demo', '--ignore-not-found', '-o', 'name')).toBe('');
  });

  it('applies client-side too, updating a container by strategic merge', async () => {
    const manifest = MANIFESTS.replace('name: demo', 'name: classic').replaceAll(
      'namespace: demo',
      'namespace: classic',
    );
    await writeFile(join(dir, 'classic.yaml'), manifest);
    await k('apply', '-f', join(dir, 'classic.yaml'));
    await writeFile(join(dir, 'classic.yaml'), manifest.replace('web:1.0.0', 'web:1.1.0'));
    expect(await k('apply', '-f', join(dir, 'classic.yaml'))).toContain('deployment.apps/web configured');
    const spec = JSON.parse(
      await k('get', 'deploy', 'web', '-n', 'classic', '-o', 'jsonpath={.spec.template.spec}'),
    );
    expect(spec).toEqual({
      containers: [{ name: 'web', image: 'registry.local/web:1.1.0' }],
    });
  });

  it('works with --server and no kubeconfig at all', async () => {
    const out = (
      await run(kubectl, [
        '--server',
        cluster.url,
        '--kubeconfig',
        '/dev/null',
        '--cache-dir',
        join(dir, 'cache'),
        'get',
        'ns',
        'default',
        '-o',
        'name',
      ])
    ).stdout;
    expect(out).toBe('namespace/default\n');
  });
});
