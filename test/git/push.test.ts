/**
 * Pushing to a real `git http-backend`: small packs, refs created and fast-forwarded, races refused as
 * NonFastForwardError, hooks as GitPushRejectedError, and force only when asked.
 */
import { chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GitRepository } from '../../lib/git/index.ts';
import { GitPushRejectedError, NonFastForwardError, openGitRepository } from '../../lib/git/index.ts';
import type { GitRepo, GitServer } from '../support/git-server.ts';
import { startGitServer } from '../support/git-server.ts';
import { makeTempDir, removeTempDir } from '../support/processes.ts';

const pinned = { author: { name: 'Ferry Test', email: 'test@ferry.invalid' }, date: '2024-05-01T12:00:00Z' };
const author = { name: 'Ferry Bot', email: 'bot@ferry.invalid', timestamp: 1_714_651_200 };

let server: GitServer;
let work: string;

beforeAll(async () => {
  server = await startGitServer();
  work = await makeTempDir('ferry-git-push-test-');
});

afterAll(async () => {
  await server.close();
  await removeTempDir(work);
});

/** A 200-file repository, a handle that fetched main, and a commit on top of it changing one file. */
async function setUp(
  name: string,
): Promise<{ repo: GitRepo; handle: GitRepository; base: string; commit: string; cloneBytes: number }> {
  const repo = await server.createRepo(name);
  const files: Record<string, string> = {};
  for (let i = 0; i < 200; i++) {
    files[`apps/app-${i}/deployment.yaml`] = `image: app-${i}:1.0.0 # ${i.toString(36).repeat(40)}\n`.repeat(
      8,
    );
  }
  const base = await server.commitFiles(repo, files, pinned);
  const handle = await openGitRepository({ url: repo.url, cacheDir: join(work, name) });
  server.requests.length = 0;
  await handle.fetchBranch('main');
  const cloneBytes = server.requests.find((r) => r.method === 'POST')?.bytesOut ?? 0;
  const commit = await handle.writeCommit({
    parent: base,
    changes: new Map([['apps/app-7/deployment.yaml', Buffer.from('image: app-7:1.1.0\n')]]),
    message: 'Bump app-7',
    author,
  });
  return { repo, handle, base, commit, cloneBytes };
}

const receivePacks = () =>
  server.requests.filter((r) => r.method === 'POST' && r.service === 'git-receive-pack');

describe('push', () => {
  it('pushes a small pack of only the new objects and fast-forwards the branch', async () => {
    const { repo, handle, base, commit, cloneBytes } = await setUp('fast-forward');
    server.requests.length = 0;
    await handle.push({ commit, branch: 'main' });
    expect((await server.log(repo, 'main')).map((entry) => entry.sha)).toEqual([commit, base]);
    expect(await server.readFile(repo, 'main', 'apps/app-7/deployment.yaml')).toBe('image: app-7:1.1.0\n');
    // The blob, three trees (apps/ lists 200 entries: sent as a delta against its old version) and the
    // commit: a few hundred bytes, not the repository.
    const [post] = receivePacks();
    expect(post?.bytesIn).toBeLessThan(1_000);
    expect(post?.bytesIn).toBeLessThan(cloneBytes / 4);
  });

  it('does nothing when the remote already has the commit', async () => {
    const { handle, commit } = await setUp('idempotent');
    await handle.push({ commit, branch: 'main' });
    server.requests.length = 0;
    await handle.push({ commit, branch: 'main' });
    expect(receivePacks()).toHaveLength(0);
  });

  it('refuses, as NonFastForwardError, to push after the remote moved, and changes nothing', async () => {
    const { repo, handle, commit } = await setUp('moved');
    const theirs = await server.commitFiles(repo, { 'NOTES.md': 'someone else\n' }, pinned);
    const error = await handle.push({ commit, branch: 'main' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NonFastForwardError);
    expect((error as NonFastForwardError).failure).toBe('transient');
    expect((error as NonFastForwardError).data).toMatchObject({
      ref: 'refs/heads/main',
      remote: theirs,
      commit,
    });
    expect(await server.resolveRef(repo, 'refs/heads/main')).toBe(theirs);
  });

  it('creates a new branch from the commit and leaves the checkout branch alone', async () => {
    const { repo, handle, base, commit } = await setUp('new-branch');
    await handle.push({ commit, branch: 'image-updates' });
    expect(await server.resolveRef(repo, 'refs/heads/image-updates')).toBe(commit);
    expect(await server.resolveRef(repo, 'refs/heads/main')).toBe(base);
  });

  it('pushes a refspec besides the branch, in one request', async () => {
    const { repo, handle, commit } = await setUp('refspec');
    server.requests.length = 0;
    await handle.push({ commit, branch: 'main', refspec: 'refs/heads/main:refs/heads/auto-update' });
    expect(await server.resolveRef(repo, 'refs/heads/main')).toBe(commit);
    expect(await server.resolveRef(repo, 'refs/heads/auto-update')).toBe(commit);
    expect(receivePacks()).toHaveLength(1);
  });

  it('pushes HEAD to a ref outside refs/heads, as a review server wants', async () => {
    const { repo, handle, base, commit } = await setUp('review');
    await handle.push({ commit, branch: 'main', refspec: 'HEAD:refs/for/main' });
    expect(await server.resolveRef(repo, 'refs/for/main')).toBe(commit);
    expect(await server.resolveRef(repo, 'refs/heads/main')).toBe(commit);
    expect(base).not.toBe(commit);
  });

  it('moves a tag to a fetched commit without sending objects, creating it the first time', async () => {
    const { repo, handle, base } = await setUp('sync-tag');
    await handle.moveTag('flux-sync', base);
    expect(await server.resolveRef(repo, 'refs/tags/flux-sync')).toBe(base);
    const next = await server.commitFiles(repo, { 'NOTES.md': 'next\n' }, pinned);
    await handle.fetchBranch('main');
    server.requests.length = 0;
    await handle.moveTag('flux-sync', next);
    expect(await server.resolveRef(repo, 'refs/tags/flux-sync')).toBe(next);
    // Backwards too: the marker follows what was applied, even a rollback.
    await handle.moveTag('flux-sync', base);
    expect(await server.resolveRef(repo, 'refs/tags/flux-sync')).toBe(base);
    expect(receivePacks().every((r) => (r.bytesIn ?? 0) < 200)).toBe(true);
    server.requests.length = 0;
    await handle.moveTag('flux-sync', base);
    expect(receivePacks()).toHaveLength(0);
  });

  it('overwrites a branch that does not fast-forward only when forced', async () => {
    const { repo, handle, commit } = await setUp('force');
    const theirs = await server.commitFiles(
      repo,
      { 'NOTES.md': 'elsewhere\n' },
      { ...pinned, branch: 'auto' },
    );
    await expect(handle.push({ commit, branch: 'auto' })).rejects.toThrow(NonFastForwardError);
    expect(await server.resolveRef(repo, 'refs/heads/auto')).toBe(theirs);
    await handle.push({ commit, branch: 'auto', force: true });
    expect(await server.resolveRef(repo, 'refs/heads/auto')).toBe(commit);
  });

  it('reports a push a hook declines as GitPushRejectedError, with the remote message', async () => {
    const { repo, handle, base, commit } = await setUp('hook');
    const hook = join(repo.path, 'hooks', 'pre-receive');
    await writeFile(hook, '#!/bin/sh\necho "main is protected" >&2\nexit 1\n');
    await chmod(hook, 0o755);
    const error = await handle.push({ commit, branch: 'main' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitPushRejectedError);
    expect((error as GitPushRejectedError).failure).toBe('terminal');
    expect((error as Error).message).toContain('pre-receive hook declined');
    expect(JSON.stringify((error as GitPushRejectedError).data)).toContain('main is protected');
    expect(await server.resolveRef(repo, 'refs/heads/main')).toBe(base);
  });
});
