/** The sync-source job against the real git server. */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfigFiles } from '../../lib/config/index.ts';
import { dependencyOrder } from '../../lib/jobs/dependency-order.ts';
import { runJob } from '../../lib/jobs/run-job.ts';
import type { ObjectStatus } from '../../lib/jobs/status.ts';
import { conditionOf } from '../../lib/jobs/status.ts';
import { syncSourceHandler } from '../../lib/jobs/sync-source.ts';
import type { GitRepo, GitServer } from '../support/git-server.ts';
import { startGitServer } from '../support/git-server.ts';
import type { TestJobContext } from '../support/job-context.ts';
import { testJobContext } from '../support/job-context.ts';

const kustomization = (name: string, source: string, dependsOn: string[] = [], extra = '') => `---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: { name: ${name} }
spec:
  interval: 10m
  path: ./${name}
  prune: true
  sourceRef: { kind: GitRepository, name: ${source} }
${dependsOn.length ? `  dependsOn: [${dependsOn.map((d) => `{ name: ${d} }`).join(', ')}]\n` : ''}${extra}`;

const config = (repo: GitRepo, ref = '{ branch: main }') =>
  loadConfigFiles([
    {
      path: 'c.yaml',
      content: `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: { name: fleet }
spec: { url: ${repo.url}, interval: 5m, ref: ${ref} }
---
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: { name: other }
spec: { url: ${repo.url}, interval: 5m }
${kustomization('apps', 'fleet', ['infra'])}${kustomization('infra', 'fleet', ['crds'])}${kustomization('crds', 'fleet')}${kustomization('elsewhere', 'other')}${kustomization('paused', 'fleet', [], '  suspend: true\n')}`,
    },
  ]);

describe('sync-source job', () => {
  let git: GitServer;
  let repo: GitRepo;
  let ctx: TestJobContext;

  const sync = async (ref?: string) => {
    ctx ??= await testJobContext(config(repo, ref));
    const handlers = { 'sync-source': syncSourceHandler({ gitCacheDir: join(ctx.dir, 'git') }) };
    const job = { kind: 'sync-source' as const, gitRepository: { namespace: 'flux-system', name: 'fleet' } };
    await runJob(job, handlers, ctx, { signal: ctx.signal, attempt: 1 });
    return (await ctx.status.read({ kind: 'GitRepository', namespace: 'flux-system', name: 'fleet' })) as
      | (ObjectStatus & { artifact?: { revision: string } })
      | undefined;
  };
  /** The apply jobs waiting, acknowledged so that their groups take the next ones. */
  const applies = async () => {
    const queue = ctx.enqueuer.queue('apply');
    const messages = await queue.receive({ max: 10 });
    for (const m of messages) await queue.ack(m.receipt);
    return messages.map((m) => m.body);
  };

  beforeEach(async () => {
    git = await startGitServer();
    repo = await git.createRepo('fleet');
  });
  afterEach(async () => {
    await ctx?.close();
    ctx = undefined as unknown as TestJobContext;
    await git.close();
  });

  it('records the branch revision as Flux writes it and asks its Kustomizations to apply it, dependencies first', async () => {
    const sha = await git.commitFiles(repo, { 'apps/app.yaml': 'kind: ConfigMap\n' });
    const status = await sync();
    const revision = `main@sha1:${sha}`;
    expect(status?.artifact?.revision).toBe(revision);
    expect(conditionOf(status, 'Ready')).toMatchObject({
      status: 'True',
      message: `stored artifact for revision '${revision}'`,
    });
    const jobs = await applies();
    expect(jobs.map((j) => (j.kind === 'apply' ? j.kustomization.name : ''))).toEqual([
      'crds',
      'infra',
      'apps',
    ]);
    expect(jobs[0]).toEqual({
      kind: 'apply',
      kustomization: { namespace: 'flux-system', name: 'crds' },
      revision,
    });
    const [event] = await ctx.events.recent({ about: { kind: 'GitRepository', name: 'fleet' } });
    expect(event).toMatchObject({ reason: 'NewArtifact', metadata: { revision } });
  });

  it('asks for nothing when the revision has not moved, and again once it has', async () => {
    await git.commitFiles(repo, { 'apps/app.yaml': 'kind: ConfigMap\n' });
    await sync();
    expect(await applies()).toHaveLength(3);
    await sync();
    expect(await applies()).toHaveLength(0);
    const [upToDate] = await ctx.events
      .recent({ about: { kind: 'GitRepository', name: 'fleet' } })
      .then((e) => e.filter((x) => x.reason === 'ArtifactUpToDate'));
    expect(upToDate?.message).toMatch(/^artifact up-to-date with remote revision: 'main@sha1:[0-9a-f]{40}'$/);

    const next = await git.commitFiles(repo, { 'apps/app.yaml': 'kind: Secret\n' }, { message: 'second' });
    expect((await sync())?.artifact?.revision).toBe(`main@sha1:${next}`);
    expect(await applies()).toHaveLength(3);
  });

  it('follows a tag ref', async () => {
    const sha = await git.commitFiles(repo, { 'apps/app.yaml': 'kind: ConfigMap\n' });
    await git.commitFiles(repo, { 'apps/app.yaml': 'kind: Secret\n' });
    const { execFileSync } = await import('node:child_process');
    execFileSync('git', ['--git-dir', repo.path, 'tag', 'v1.0.0', sha]);
    expect((await sync('{ tag: v1.0.0 }'))?.artifact?.revision).toBe(`v1.0.0@sha1:${sha}`);
  });
});

describe('dependency order', () => {
  it('puts every Kustomization after what it depends on, across namespaces', () => {
    const set = loadConfigFiles([
      {
        path: 'k.yaml',
        content: `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: { name: fleet }
spec: { url: https://git.example.com/fleet.git, interval: 5m }
${kustomization('a', 'fleet', ['c'])}${kustomization('b', 'fleet')}${kustomization('c', 'fleet', ['b'])}${kustomization('d', 'fleet')}`,
      },
    ]);
    expect(dependencyOrder(set.list('Kustomization')).map((k) => k.metadata.name)).toEqual([
      'b',
      'c',
      'a',
      'd',
    ]);
  });
});
