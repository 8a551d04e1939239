/**
 * Sync end to end, every part real but the cluster: `git http-backend` serving the fleet repository,
 * `ferry` in process over HTTP, and `ferry dev-cluster` (the in-memory API simulator) as the cluster.
 */
import { createHmac } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { conditionOf } from '../../lib/jobs/status.ts';
import type { DevCluster } from '../../lib/kube/dev-cluster/index.ts';
import { startDevCluster } from '../../lib/kube/dev-cluster/index.ts';
import { receiverDigest } from '../../lib/receivers/index.ts';
import type { LocalRuntime } from '../../lib/runtime/local-runtime.ts';
import { startLocalRuntime } from '../../lib/runtime/local-runtime.ts';
import type { GitRepo, GitServer } from '../support/git-server.ts';
import { startGitServer } from '../support/git-server.ts';
import { captureLogs } from '../support/log-capture.ts';
import { waitFor } from '../support/ports.ts';

const TOKEN = 'github-webhook-secret';

const namespace = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: apps\n';
const configMap = (name: string, value: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: apps\ndata:\n  value: "${value}"\n`;
const deployment = (image: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: apps
spec:
  replicas: 1
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
        - name: web
          image: ${image}
`;

const config = (repo: GitRepo, poll = '1h') => `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: { name: fleet }
spec: { url: ${repo.url}, interval: ${poll}, ref: { branch: main } }
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: { name: base }
spec: { interval: 1h, path: ./base, prune: true, sourceRef: { kind: GitRepository, name: fleet } }
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: { name: apps }
spec:
  interval: 1h
  timeout: 20s
  path: ./apps
  prune: true
  wait: true
  dependsOn: [{ name: base }]
  sourceRef: { kind: GitRepository, name: fleet }
---
apiVersion: v1
kind: Secret
metadata: { name: github-token }
stringData: { token: ${TOKEN} }
---
apiVersion: notification.toolkit.fluxcd.io/v1
kind: Receiver
metadata: { name: github }
spec:
  type: github
  events: [push]
  secretRef: { name: github-token }
  resources: [{ kind: GitRepository, name: fleet }]
`;

describe('sync, end to end', () => {
  let dir: string;
  let git: GitServer;
  let cluster: DevCluster;
  let runtime: LocalRuntime | undefined;
  let repo: GitRepo;
  let logs: ReturnType<typeof captureLogs>;

  const api = async (path: string) => {
    const response = await fetch(`${cluster.url}${path}`);
    return response.ok ? ((await response.json()) as Record<string, unknown>) : undefined;
  };
  const ready = async (name: string) =>
    conditionOf(
      await runtime?.status.read({ kind: 'Kustomization', namespace: 'flux-system', name }),
      'Ready',
    );
  const push = async (sha: string) => {
    const body = JSON.stringify({
      ref: 'refs/heads/main',
      before: '0'.repeat(40),
      after: sha,
      repository: { clone_url: repo.url, html_url: repo.url },
      head_commit: { id: sha },
    });
    const signature = `sha256=${createHmac('sha256', TOKEN).update(body).digest('hex')}`;
    return await fetch(`${runtime?.url}/hook/${receiverDigest(TOKEN, 'github', 'flux-system')}`, {
      method: 'POST',
      body,
      headers: {
        'content-type': 'application/json',
        'x-github-event': 'push',
        'x-github-delivery': sha,
        'x-hub-signature-256': signature,
      },
    });
  };

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ferry-sync-'));
    git = await startGitServer();
    cluster = await startDevCluster({ port: 0, rolloutDelayMs: 200 });
    await cluster.writeKubeconfig(join(dir, 'kubeconfig'));
    repo = await git.createRepo('fleet');
    logs = captureLogs('info');
  });

  afterEach(async () => {
    await runtime?.stop(2_000);
    runtime = undefined;
    await cluster.stop();
    await git.close();
    await rm(dir, { recursive: true, force: true });
  });

  const start = async (poll = '1h') => {
    const configDir = join(dir, 'config');
    await mkdir(configDir, { recursive: true });
    await writeFile(join(configDir, 'fleet.yaml'), config(repo, poll));
    runtime = await startLocalRuntime({
      configDir,
      stateDir: join(dir, 'state'),
      port: 0,
      kubeconfig: join(dir, 'kubeconfig'),
      log: logs.log,
      schedulerTickMs: 200,
      consumer: { waitSeconds: 1, backoff: () => 1 },
    });
  };

  it('applies the fleet in dependsOn order, follows a signed push, and prunes what a commit removes', async () => {
    await git.commitFiles(repo, {
      'base/namespace.yaml': namespace,
      'apps/settings.yaml': configMap('settings', 'one'),
      'apps/extra.yaml': configMap('extra', 'x'),
      'apps/web.yaml': deployment('nginx:1.25'),
    });
    await start();
    await waitFor('apps ready', async () => (await ready('apps'))?.status === 'True', 30_000);
    expect((await api('/api/v1/namespaces/apps/configmaps/settings'))?.data).toEqual({ value: 'one' });
    const web = await api('/apis/apps/v1/namespaces/apps/deployments/web');
    const labels = (web?.metadata as { labels?: object } | undefined)?.labels;
    expect(labels).toMatchObject({
      'kustomize.toolkit.fluxcd.io/name': 'apps',
      'kustomize.toolkit.fluxcd.io/namespace': 'flux-system',
    });
    // apps waited for base, which creates the namespace it needs.
    const events = (await runtime?.events.recent())?.map((e) => `${e.involvedObject.name} ${e.reason}`) ?? [];
    expect(events.indexOf('base ReconciliationSucceeded')).toBeLessThan(
      events.indexOf('apps ReconciliationSucceeded'),
    );

    const sha = await git.commitFiles(repo, {
      'apps/settings.yaml': configMap('settings', 'two'),
      'apps/extra.yaml': null,
    });
    expect((await push(sha)).status).toBe(202);
    await waitFor(
      'pushed revision applied',
      async () =>
        (await api('/api/v1/namespaces/apps/configmaps/settings'))?.data !== undefined &&
        JSON.stringify((await api('/api/v1/namespaces/apps/configmaps/settings'))?.data) ===
          '{"value":"two"}',
      30_000,
    );
    await waitFor(
      'extra pruned',
      async () => (await api('/api/v1/namespaces/apps/configmaps/extra')) === undefined,
      30_000,
    );
    await waitFor(
      'apps ready at the new revision',
      async () => (await ready('apps'))?.message === `Applied revision: main@sha1:${sha}`,
      30_000,
    );
    // The events say what changed, object by object, and that the revision is in.
    const revision = `main@sha1:${sha}`;
    const latest = (await runtime?.events.recent({ about: { kind: 'Kustomization', name: 'apps' } })) ?? [];
    const ofRevision = latest.filter((e) => e.metadata.revision === revision);
    expect(ofRevision.map((e) => e.reason)).toEqual(['Progressing', 'ReconciliationSucceeded']);
    expect(ofRevision[0]).toMatchObject({
      severity: 'info',
      message: 'ConfigMap/apps/settings configured\nConfigMap/apps/extra deleted',
      metadata: { revision, created: '0', configured: '1', deleted: '1', unchanged: '1' },
    });
    expect(ofRevision[1]?.message).toMatch(/^Reconciliation finished in [\d.]+m?s, next run in 1h0m0s$/);
  });

  it('fails the health check for an image that never rolls out, then recovers with the fix', async () => {
    await git.commitFiles(repo, {
      'base/namespace.yaml': namespace,
      'apps/web.yaml': deployment('nginx:fail-1'),
    });
    await start();
    await waitFor(
      'health check failed',
      async () => (await ready('apps'))?.reason === 'HealthCheckFailed',
      60_000,
    );
    const failure = (await runtime?.events.recent({ about: { name: 'apps' } }))?.find(
      (e) => e.reason === 'HealthCheckFailed',
    );
    expect(failure?.severity).toBe('error');
    expect(failure?.message).toContain('Deployment/apps/web');

    const sha = await git.commitFiles(repo, { 'apps/web.yaml': deployment('nginx:1.25') });
    expect((await push(sha)).status).toBe(202);
    await waitFor('recovered', async () => (await ready('apps'))?.status === 'True', 30_000);
  });

  it('applies a push that sent no webhook on the next poll of the source', async () => {
    await git.commitFiles(repo, {
      'base/namespace.yaml': namespace,
      'apps/settings.yaml': configMap('settings', 'one'),
    });
    await start('2s');
    await waitFor('apps ready', async () => (await ready('apps'))?.status === 'True', 30_000);
    const sha = await git.commitFiles(repo, { 'apps/settings.yaml': configMap('settings', 'polled') });
    await waitFor(
      'polled revision applied',
      async () => (await ready('apps'))?.message === `Applied revision: main@sha1:${sha}`,
      30_000,
    );
    expect((await api('/api/v1/namespaces/apps/configmaps/settings'))?.data).toEqual({ value: 'polled' });
    expect(logs.lines().filter((l) => l.msg === 'webhook accepted')).toEqual([]);
  });

  it('deletes the objects of a Kustomization removed from the config, as Flux does with prune', async () => {
    await git.commitFiles(repo, {
      'base/namespace.yaml': namespace,
      'apps/settings.yaml': configMap('settings', 'one'),
    });
    await start();
    await waitFor('apps ready', async () => (await ready('apps'))?.status === 'True', 30_000);
    const withoutApps = config(repo)
      .split('---\n')
      .filter((doc) => !doc.includes('name: apps }') && !/metadata: \{ name: apps \}/.test(doc))
      .join('---\n');
    expect(withoutApps).not.toContain('path: ./apps');
    await writeFile(join(dir, 'config', 'fleet.yaml'), withoutApps);
    await waitFor(
      'apps objects deleted',
      async () => (await api('/api/v1/namespaces/apps/configmaps/settings')) === undefined,
      30_000,
    );
    expect(await api('/api/v1/namespaces/apps')).toBeDefined();
    const events = (await runtime?.events.recent({ about: { name: 'apps' } })) ?? [];
    expect(events.at(-1)).toMatchObject({
      reason: 'Pruned',
      message: 'deleted 1 object(s) of the removed Kustomization',
    });
  });
});
