/** The update job against the real git server, with policies' latest images recorded in state. */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConfigSet } from '../../lib/config/index.ts';
import { loadConfigFiles } from '../../lib/config/index.ts';
import { TerminalError } from '../../lib/errors.ts';
import { updateHandler } from '../../lib/jobs/update.ts';
import { RegistryClient } from '../../lib/registry/index.ts';
import type { GitRepo, GitServer } from '../support/git-server.ts';
import { startGitServer } from '../support/git-server.ts';
import type { TestJobContext } from '../support/job-context.ts';
import { testJobContext } from '../support/job-context.ts';

const automation = (
  repo: GitRepo,
  extra: { annotations?: string; push?: string; signing?: boolean } = {},
) => `
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: { name: fleet }
spec: { url: ${repo.url}, interval: 1h, ref: { branch: main } }
---
apiVersion: image.toolkit.fluxcd.io/v1
kind: ImageRepository
metadata: { name: app }
spec: { image: registry.example.com/team/app, interval: 1h }
---
apiVersion: image.toolkit.fluxcd.io/v1
kind: ImagePolicy
metadata: { name: app }
spec: { imageRepositoryRef: { name: app }, policy: { semver: { range: '>=1.0.0' } } }
---
apiVersion: image.toolkit.fluxcd.io/v1
kind: ImageUpdateAutomation
metadata: { name: fleet${extra.annotations ? `, annotations: { ${extra.annotations} }` : ''} }
spec:
  interval: 1h
  sourceRef: { kind: GitRepository, name: fleet }
  git:
    commit:
      author: { name: ferry, email: ferry@example.com }
${extra.signing ? '      signingKey: { secretRef: { name: gpg } }\n' : ''}${extra.push ? `    push: { branch: ${extra.push} }\n` : ''}  update: { path: ./apps }
${extra.signing ? '---\napiVersion: v1\nkind: Secret\nmetadata: { name: gpg }\nstringData: { git.asc: x }\n' : ''}`;

const MARKED = 'image: registry.example.com/team/app:1.0.0 # {"$imagepolicy": "flux-system:app"}\n';

describe('update job', () => {
  let git: GitServer;
  let repo: GitRepo;
  let ctx: TestJobContext;

  const run = async (config: ConfigSet) => {
    ctx = await testJobContext(config, () => new Date('2026-05-01T10:00:00Z'));
    await ctx.status.markReady(
      { kind: 'ImagePolicy', namespace: 'flux-system', name: 'app' },
      'Succeeded',
      'ok',
      {
        latestRef: { name: 'registry.example.com/team/app', tag: '1.2.0' },
      },
    );
    const handler = updateHandler({ registry: new RegistryClient(), gitCacheDir: join(ctx.dir, 'git') });
    return await handler({ kind: 'update', automation: { namespace: 'flux-system', name: 'fleet' } }, ctx);
  };

  beforeEach(async () => {
    git = await startGitServer();
    repo = await git.createRepo('fleet');
    await git.commitFiles(repo, { 'apps/app.yaml': MARKED, 'README.md': 'fleet\n' });
  });
  afterEach(async () => {
    await ctx?.close();
    await git.close();
  });

  it('commits the latest image with the default message, then requests a sync of the source', async () => {
    const result = await run(loadConfigFiles([{ path: 'c.yaml', content: automation(repo) }]));
    const [head] = await git.log(repo, 'main');
    expect(head?.message).toBe('Update from image update automation');
    expect(head?.author).toEqual({ name: 'ferry', email: 'ferry@example.com' });
    expect(await git.readFile(repo, 'main', 'apps/app.yaml')).toBe(MARKED.replace('1.0.0', '1.2.0'));
    expect(result).toMatchObject({ status: { lastPushCommit: head?.sha } });
    const [sync] = await ctx.enqueuer.queue('sync-source').receive();
    expect(sync?.body).toEqual({
      kind: 'sync-source',
      gitRepository: { namespace: 'flux-system', name: 'fleet' },
      revision: `main@sha1:${head?.sha}`,
    });
  });

  it('makes no commit when the files already hold the latest image', async () => {
    await git.commitFiles(repo, { 'apps/app.yaml': MARKED.replace('1.0.0', '1.2.0') });
    const before = await git.log(repo, 'main');
    const result = await run(loadConfigFiles([{ path: 'c.yaml', content: automation(repo) }]));
    expect(result).toMatchObject({ message: 'no updates made' });
    expect(await git.log(repo, 'main')).toEqual(before);
  });

  it('ends the message with [ci skip] when the automation asks for it', async () => {
    await run(
      loadConfigFiles([
        { path: 'c.yaml', content: automation(repo, { annotations: "'ferry.dev/ci-skip': 'true'" }) },
      ]),
    );
    expect((await git.log(repo, 'main'))[0]?.message).toBe(
      'Update from image update automation\n\n[ci skip]',
    );
  });

  it('pushes to a new branch created from the checkout branch', async () => {
    await run(loadConfigFiles([{ path: 'c.yaml', content: automation(repo, { push: 'image-updates' }) }]));
    expect(await git.readFile(repo, 'image-updates', 'apps/app.yaml')).toBe(MARKED.replace('1.0.0', '1.2.0'));
    expect(await git.readFile(repo, 'main', 'apps/app.yaml')).toBe(MARKED);
  });

  it('refuses commit signing rather than pushing unsigned commits', async () => {
    const config = loadConfigFiles([{ path: 'c.yaml', content: automation(repo, { signing: true }) }]);
    const before = await git.log(repo, 'main');
    const failed = run(config);
    await expect(failed).rejects.toBeInstanceOf(TerminalError);
    await expect(failed).rejects.toThrow(/spec\.git\.commit\.signingKey: commit signing is not supported/);
    expect(await git.log(repo, 'main')).toEqual(before);
  });
});
