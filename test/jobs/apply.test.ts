/**
 * The apply job against real parts: `git http-backend` for the sources and the dev-cluster simulator
 * for the cluster, reached as a pod reaches its API server when the test says so.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConfigSet } from '../../lib/config/index.ts';
import { loadConfigFiles } from '../../lib/config/index.ts';
import { applyHandler } from '../../lib/jobs/apply.ts';
import { ClusterConnections } from '../../lib/jobs/cluster-connections.ts';
import type { Job } from '../../lib/jobs/job.ts';
import { runJob } from '../../lib/jobs/run-job.ts';
import type { ObjectStatus } from '../../lib/jobs/status.ts';
import { conditionOf } from '../../lib/jobs/status.ts';
import { syncSourceHandler } from '../../lib/jobs/sync-source.ts';
import type { DevCluster } from '../../lib/kube/dev-cluster/index.ts';
import { startDevCluster } from '../../lib/kube/dev-cluster/index.ts';
import { selfSignedCertificate } from '../support/certificate.ts';
import type { GitRepo, GitServer } from '../support/git-server.ts';
import { startGitServer } from '../support/git-server.ts';
import type { TestJobContext } from '../support/job-context.ts';
import { testJobContext } from '../support/job-context.ts';

const configMap = (name: string, value: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: ${name}, namespace: default }\ndata: { value: "${value}" }\n`;

const gitRepository = (name: string, repo: GitRepo, extra = '') => `---
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: { name: ${name} }
spec:
  url: ${repo.url}
  interval: 1h
  ref: { branch: main }
${extra}`;

const kustomization = (name: string, path: string, extra = '') => `---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: { name: ${name} }
spec:
  interval: 1h
  path: ${path}
  prune: true
  sourceRef: { kind: GitRepository, name: fleet }
${extra}`;

describe('apply job', () => {
  let git: GitServer;
  let fleet: GitRepo;
  let cluster: DevCluster;
  let ctx: TestJobContext | undefined;
  let clusters: ClusterConnections | undefined;

  beforeEach(async () => {
    git = await startGitServer();
    fleet = await git.createRepo('fleet');
  });
  afterEach(async () => {
    await clusters?.close();
    clusters = undefined;
    await ctx?.close();
    ctx = undefined;
    await cluster.stop();
    await git.close();
  });

  const withPlainCluster = async () => {
    cluster = await startDevCluster({ port: 0, rolloutDelayMs: 50 });
    return async (dir: string) => {
      await cluster.writeKubeconfig(join(dir, 'kubeconfig'));
      return new ClusterConnections(join(dir, 'kubeconfig'));
    };
  };

  const run = async (
    config: ConfigSet,
    job: Job,
    connect: (dir: string) => Promise<ClusterConnections>,
    syncTag?: string,
  ) => {
    ctx ??= await testJobContext(config);
    clusters ??= await connect(ctx.dir);
    const gitCacheDir = join(ctx.dir, 'git');
    const handlers = {
      apply: applyHandler({ gitCacheDir, clusters, syncTag }),
      'sync-source': syncSourceHandler({ gitCacheDir }),
    };
    await runJob(job, handlers, ctx, { signal: ctx.signal, attempt: 1 });
  };
  const apply = (name: string) =>
    ({ kind: 'apply', kustomization: { namespace: 'flux-system', name } }) satisfies Job;
  const status = async (name: string) =>
    (await ctx?.status.read({ kind: 'Kustomization', namespace: 'flux-system', name })) as
      | ObjectStatus
      | undefined;
  const value = async (name: string) => {
    const response = await fetch(`${cluster.url}/api/v1/namespaces/default/configmaps/${name}`);
    return response.ok ? ((await response.json()) as { data: { value: string } }).data.value : undefined;
  };

  it('builds with the files of an included GitRepository, and a push to it asks the including Kustomization to apply', async () => {
    const shared = await git.createRepo('shared');
    await git.commitFiles(shared, {
      'base/settings.yaml': configMap('from-shared', 'v1'),
      'README.md': 'x\n',
    });
    await git.commitFiles(fleet, {
      'apps/kustomization.yaml': 'resources: [../common/base/settings.yaml, local.yaml]\n',
      'apps/local.yaml': configMap('local', 'fleet'),
    });
    const config = loadConfigFiles([
      {
        path: 'flux.yaml',
        content: `${gitRepository('fleet', fleet, '  include: [{ repository: { name: shared }, toPath: common }]\n')}${gitRepository('shared', shared)}${kustomization('apps', './apps')}`,
      },
    ]);
    const connect = await withPlainCluster();
    await run(config, apply('apps'), connect);
    expect(conditionOf(await status('apps'), 'Ready')).toMatchObject({ status: 'True' });
    expect(await value('from-shared')).toBe('v1');
    expect(await value('local')).toBe('fleet');

    await git.commitFiles(shared, { 'base/settings.yaml': configMap('from-shared', 'v2') });
    await run(
      config,
      { kind: 'sync-source', gitRepository: { namespace: 'flux-system', name: 'shared' } },
      connect,
    );
    const queued = await ctx?.enqueuer.queue('apply').receive({ max: 10 });
    expect(queued?.map((m) => m.body)).toEqual([
      expect.objectContaining({ kind: 'apply', kustomization: { namespace: 'flux-system', name: 'apps' } }),
    ]);
    await run(config, apply('apps'), connect);
    expect(await value('from-shared')).toBe('v2');
  });

  it('builds an overlay with what it names outside its path: a base and a patch', async () => {
    await git.commitFiles(fleet, {
      'base/kustomization.yaml': 'resources: [a.yaml]\n',
      'base/a.yaml': configMap('a', 'base'),
      'patches/a.yaml':
        'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: a, namespace: default }\ndata: { value: patched }\n',
      'overlays/prod/kustomization.yaml':
        'resources: [../../base]\npatches: [{ path: ../../patches/a.yaml }]\n',
      'unrelated/huge.yaml': configMap('unrelated', 'x'),
    });
    const config = loadConfigFiles([
      {
        path: 'flux.yaml',
        content: `${gitRepository('fleet', fleet)}${kustomization('apps', './overlays/prod')}`,
      },
    ]);
    await run(config, apply('apps'), await withPlainCluster());
    expect(await value('a')).toBe('patched');
    expect(await value('unrelated')).toBeUndefined();
  });

  it('names the kustomization file when what it names is not in the repository', async () => {
    await git.commitFiles(fleet, { 'overlays/prod/kustomization.yaml': 'resources: [../../base]\n' });
    const config = loadConfigFiles([
      {
        path: 'flux.yaml',
        content: `${gitRepository('fleet', fleet)}${kustomization('apps', './overlays/prod')}`,
      },
    ]);
    await expect(run(config, apply('apps'), await withPlainCluster())).rejects.toThrow(
      'overlays/prod/kustomization.yaml: resource "../../base" not found',
    );
  });

  it('substitutes from a ConfigMap and a Secret of the config, the Secret later and winning', async () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the variables post-build substitution replaces
    const text = '${region}/${tier}/${missing:=fallback}';
    await git.commitFiles(fleet, { 'apps/a.yaml': configMap('a', text) });
    const config = loadConfigFiles([
      {
        path: 'flux.yaml',
        content: `${gitRepository('fleet', fleet)}${kustomization(
          'apps',
          './apps',
          `  postBuild:
    substituteFrom:
      - { kind: ConfigMap, name: cluster-settings }
      - { kind: Secret, name: cluster-secrets }
      - { kind: ConfigMap, name: absent, optional: true }
`,
        )}---
apiVersion: v1
kind: ConfigMap
metadata: { name: cluster-settings }
data: { region: eu-west-1, tier: from-configmap }
---
apiVersion: v1
kind: Secret
metadata: { name: cluster-secrets }
stringData: { tier: from-secret }
`,
      },
    ]);
    await run(config, apply('apps'), await withPlainCluster());
    expect(await value('a')).toBe('eu-west-1/from-secret/fallback');
  });

  it('refuses spec.decryption rather than apply encrypted manifests, and applies nothing', async () => {
    await git.commitFiles(fleet, { 'apps/a.yaml': configMap('a', 'ENC[AES256_GCM,data:abc]') });
    const config = loadConfigFiles([
      {
        path: 'flux.yaml',
        content: `${gitRepository('fleet', fleet)}${kustomization('apps', './apps', '  decryption: { provider: sops }\n')}`,
      },
    ]);
    await expect(run(config, apply('apps'), await withPlainCluster())).rejects.toThrow(
      'Kustomization/flux-system/apps: spec.decryption (sops) is not supported by ferry',
    );
    expect(await value('a')).toBeUndefined();
  });

  it('waits for a dependency on the same source to apply this revision, not just to be Ready', async () => {
    const first = await git.commitFiles(fleet, {
      'base/b.yaml': configMap('b', 'one'),
      'apps/a.yaml': configMap('a', 'one'),
    });
    const config = loadConfigFiles([
      {
        path: 'flux.yaml',
        content: `${gitRepository('fleet', fleet)}${kustomization('base', './base')}${kustomization('apps', './apps', '  dependsOn: [{ name: base }]\n')}`,
      },
    ]);
    const connect = await withPlainCluster();
    await run(config, apply('base'), connect);
    await run(config, apply('apps'), connect);
    expect((await status('apps'))?.lastAppliedRevision).toBe(`main@sha1:${first}`);

    const second = await git.commitFiles(fleet, { 'apps/a.yaml': configMap('a', 'two') });
    await run(config, apply('apps'), connect);
    expect(conditionOf(await status('apps'), 'Ready')).toMatchObject({
      status: 'False',
      reason: 'DependencyNotReady',
      message: "dependency 'flux-system/base' is not ready",
    });
    expect(await value('a')).toBe('one');

    // The dependency applying the revision wakes the waiting Kustomization.
    await run(config, apply('base'), connect);
    const [woken] = (await ctx?.enqueuer.queue('apply').receive({ max: 10 })) ?? [];
    expect(woken?.body).toMatchObject({ kustomization: { name: 'apps' } });
    await run(config, apply('apps'), connect);
    expect((await status('apps'))?.lastAppliedRevision).toBe(`main@sha1:${second}`);
    expect(await value('a')).toBe('two');
  });

  it('moves the sync tag to each revision applied', async () => {
    const first = await git.commitFiles(fleet, { 'apps/a.yaml': configMap('a', 'one') });
    const config = loadConfigFiles([
      { path: 'flux.yaml', content: `${gitRepository('fleet', fleet)}${kustomization('apps', './apps')}` },
    ]);
    const connect = await withPlainCluster();
    await run(config, apply('apps'), connect, 'flux-sync');
    expect(await git.resolveRef(fleet, 'refs/tags/flux-sync')).toBe(first);
    const second = await git.commitFiles(fleet, { 'apps/a.yaml': configMap('a', 'two') });
    await run(config, apply('apps'), connect, 'flux-sync');
    expect(await git.resolveRef(fleet, 'refs/tags/flux-sync')).toBe(second);
  });

  it("applies in the cluster with the pod's service account: its token and CA, over TLS", async () => {
    const sha = await git.commitFiles(fleet, { 'apps/a.yaml': configMap('a', 'in-cluster') });
    const config = loadConfigFiles([
      { path: 'flux.yaml', content: `${gitRepository('fleet', fleet)}${kustomization('apps', './apps')}` },
    ]);
    ctx = await testJobContext(config);
    const pki = await selfSignedCertificate(ctx.dir);
    const { readFile } = await import('node:fs/promises');
    cluster = await startDevCluster({
      port: 0,
      tls: { cert: pki.certificate, key: await readFile(pki.keyPath, 'utf8') },
      token: 'service-account-token',
    });
    const mount = join(ctx.dir, 'pod');
    const accountDir = join(mount, 'var/run/secrets/kubernetes.io/serviceaccount');
    await mkdir(accountDir, { recursive: true });
    await writeFile(join(accountDir, 'ca.crt'), pki.certificate);
    await writeFile(join(accountDir, 'namespace'), 'flux-system');
    await writeFile(join(accountDir, 'token'), 'service-account-token');
    const url = new URL(cluster.url);
    const saved = { host: process.env.KUBERNETES_SERVICE_HOST, port: process.env.KUBERNETES_SERVICE_PORT };
    process.env.KUBERNETES_SERVICE_HOST = url.hostname;
    process.env.KUBERNETES_SERVICE_PORT = url.port;
    try {
      await run(
        config,
        apply('apps'),
        async () => new ClusterConnections({ inCluster: true, serviceAccountRoot: mount }),
      );
    } finally {
      process.env.KUBERNETES_SERVICE_HOST = saved.host;
      process.env.KUBERNETES_SERVICE_PORT = saved.port;
      if (saved.host === undefined) delete process.env.KUBERNETES_SERVICE_HOST;
      if (saved.port === undefined) delete process.env.KUBERNETES_SERVICE_PORT;
    }
    expect((await status('apps'))?.lastAppliedRevision).toBe(`main@sha1:${sha}`);
    const { Agent, fetch: fetchWith } = await import('undici');
    const read = (token?: string) =>
      fetchWith(`${cluster.url}/api/v1/namespaces/default/configmaps/a`, {
        headers: token ? { authorization: `Bearer ${token}` } : {},
        dispatcher: new Agent({ connect: { ca: pki.certificate } }),
      });
    expect((await read()).status).toBe(401);
    const object = (await (await read('service-account-token')).json()) as { data: { value: string } };
    expect(object.data.value).toBe('in-cluster');
  });
});
