/**
 * Fetching what a GitRepository's ref names, against a real `git http-backend`: tags (lightweight and
 * annotated, peeled to their commit), any full ref, commits by SHA with and without a branch, protocol
 * v2 `ls-refs` where the server offers it and v0 where the client is kept from it, and incremental
 * fetches that bring only the new objects.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { HttpClient } from 'isomorphic-git';
import nodeHttp from 'isomorphic-git/http/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GitConfigError, GitRefNotFoundError, openGitRepository } from '../../lib/git/index.ts';
import type { GitRepo, GitServer } from '../support/git-server.ts';
import { git, startGitServer } from '../support/git-server.ts';
import { makeTempDir, removeTempDir } from '../support/processes.ts';

const pinned = { date: '2024-05-01T12:00:00Z' };

let server: GitServer;
let work: string;

beforeAll(async () => {
  server = await startGitServer();
  work = await makeTempDir('ferry-fetch-ref-test-');
});

afterAll(async () => {
  await server.close();
  await removeTempDir(work);
});

const inRepo = (repo: GitRepo, args: string[]) => git(['--git-dir', repo.path, ...args]);

/** A lightweight or annotated tag, made by the git CLI in the served repository. */
async function tag(repo: GitRepo, name: string, commit: string, annotated = false) {
  const env = {
    GIT_COMMITTER_NAME: 'Ferry Test',
    GIT_COMMITTER_EMAIL: 'test@ferry.invalid',
    GIT_COMMITTER_DATE: '2024-05-01T12:00:00Z',
  };
  const args = annotated ? ['tag', '-a', '-m', `release ${name}`, name, commit] : ['tag', name, commit];
  await git(['--git-dir', repo.path, ...args], { env });
  return (await inRepo(repo, ['rev-parse', `refs/tags/${name}`])).stdout.toString().trim();
}

async function open(repo: GitRepo, cache: string, http?: HttpClient) {
  return openGitRepository({ url: repo.url, cacheDir: join(work, cache), http });
}

/** An HTTP client that never offers protocol v2, so the real server answers in v0. */
const v0Only: HttpClient = {
  request(request) {
    const headers = { ...request.headers };
    delete headers['Git-Protocol'];
    return nodeHttp.request({ ...request, headers });
  },
};

const uploadPackPosts = () =>
  server.requests.filter((r) => r.method === 'POST' && r.service === 'git-upload-pack');

describe('fetching refs', () => {
  it('peels an annotated tag to its commit, and takes a lightweight tag as it is', async () => {
    const repo = await server.createRepo('tags');
    const first = await server.commitFiles(repo, { 'a.yaml': 'a: 1\n' }, pinned);
    const second = await server.commitFiles(repo, { 'a.yaml': 'a: 2\n' }, pinned);
    const tagObject = await tag(repo, 'v1.0.0', first, true);
    expect(tagObject).not.toBe(first);
    await tag(repo, 'v2.0.0', second);
    const handle = await open(repo, 'tags');

    const remote = await handle.listRemoteRefs(['refs/tags/']);
    expect(remote.protocol).toBe(2);
    expect(remote.refs).toEqual(
      new Map([
        ['refs/tags/v1.0.0', tagObject],
        ['refs/tags/v2.0.0', second],
      ]),
    );
    expect(remote.peeled).toEqual(new Map([['refs/tags/v1.0.0', first]]));
    expect(await handle.fetchRef('refs/tags/v1.0.0')).toBe(first);
    expect(await handle.fetchRef('refs/tags/v1.0.0^{}')).toBe(first);
    expect(await handle.fetchRef('refs/tags/v2.0.0', remote)).toBe(second);
    expect(await handle.listFiles(first)).toEqual(['a.yaml']);
  });

  it('fetches any full ref, such as a pull request head', async () => {
    const repo = await server.createRepo('pulls');
    const main = await server.commitFiles(repo, { 'a.yaml': 'a: 1\n' }, pinned);
    const pr = await server.commitFiles(repo, { 'a.yaml': 'a: pr\n' }, { ...pinned, branch: 'feature' });
    await inRepo(repo, ['update-ref', 'refs/pull/1/head', pr]);
    const handle = await open(repo, 'pulls');
    expect(await handle.fetchRef('refs/pull/1/head')).toBe(pr);
    expect(await handle.fetchRef('refs/heads/main')).toBe(main);
    await expect(handle.fetchRef('refs/pull/2/head')).rejects.toThrow(GitRefNotFoundError);
    await expect(handle.fetchRef('pull/1/head')).rejects.toThrow(GitConfigError);
  });

  it('fetches a commit by SHA, on a branch only when the branch reaches it', async () => {
    const repo = await server.createRepo('commits');
    const old = await server.commitFiles(repo, { 'a.yaml': 'a: 1\n' }, pinned);
    const head = await server.commitFiles(repo, { 'a.yaml': 'a: 2\n' }, pinned);
    const elsewhere = await server.commitFiles(repo, { 'b.yaml': 'b: 1\n' }, { ...pinned, branch: 'other' });

    const bare = await open(repo, 'commits-bare');
    expect(await bare.fetchCommit(old)).toBe(old);
    expect(await bare.listFiles(old)).toEqual(['a.yaml']);

    // The branch is fetched shallow first; reaching `old` needs the history behind the head.
    const onBranch = await open(repo, 'commits-branch');
    expect(await onBranch.fetchCommit(old, { branch: 'main' })).toBe(old);
    expect(await onBranch.fetchCommit(head, { branch: 'main' })).toBe(head);
    const error = await onBranch.fetchCommit(elsewhere, { branch: 'main' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitRefNotFoundError);
    expect((error as GitRefNotFoundError).failure).toBe('terminal');
    expect((error as Error).message).toBe(`commit ${elsewhere} is not on branch main of ${repo.url}`);
  });

  it('fails terminally on a commit the remote does not have, and on a SHA that is not one', async () => {
    const repo = await server.createRepo('no-commit');
    await server.commitFiles(repo, { 'a.yaml': 'a: 1\n' }, pinned);
    const handle = await open(repo, 'no-commit');
    const missing = 'deadbeef'.repeat(5);
    const error = await handle.fetchCommit(missing).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitRefNotFoundError);
    expect((error as Error).message).toBe(`commit ${missing} is not on ${repo.url}`);
    await expect(handle.fetchCommit('abc123')).rejects.toThrow(GitConfigError);
  });
});

describe('protocol', () => {
  it('lists refs with v2 ls-refs when the server offers it, every request saying version=2', async () => {
    const repo = await server.createRepo('v2');
    const head = await server.commitFiles(repo, { 'a.yaml': 'a: 1\n' }, pinned);
    const handle = await open(repo, 'v2');
    server.requests.length = 0;
    expect(await handle.fetchRef('refs/heads/main')).toBe(head);
    expect(server.requests.map((r) => [r.method, r.gitProtocol])).toEqual([
      ['GET', 'version=2'],
      ['POST', 'version=2'],
      ['POST', 'version=2'],
    ]);
  });

  it('falls back to v0 when the server answers without v2', async () => {
    const repo = await server.createRepo('v0');
    const first = await server.commitFiles(repo, { 'a.yaml': 'a: 1\n' }, pinned);
    const tagObject = await tag(repo, 'v1.0.0', first, true);
    const handle = await open(repo, 'v0', v0Only);
    server.requests.length = 0;
    const remote = await handle.listRemoteRefs(['refs/tags/']);
    expect(remote.protocol).toBe(0);
    expect(remote.refs).toEqual(new Map([['refs/tags/v1.0.0', tagObject]]));
    expect(remote.peeled).toEqual(new Map([['refs/tags/v1.0.0', first]]));
    expect(await handle.fetchRef('refs/tags/v1.0.0', remote)).toBe(first);
    expect(await handle.fetchCommit(first)).toBe(first);
    await expect(handle.fetchCommit('deadbeef'.repeat(5))).rejects.toThrow(GitRefNotFoundError);
    expect(server.requests.every((r) => r.gitProtocol === undefined)).toBe(true);
  });

  it('sends only the refs asked for over v2, where v0 sends all 2,000', async () => {
    const repo = await server.createRepo('many-refs');
    const head = await server.commitFiles(repo, { 'a.yaml': 'a: 1\n' }, pinned);
    const refs = Array.from({ length: 2000 }, (_, i) => `create refs/pull/${i}/head ${head}`);
    await git(['--git-dir', repo.path, 'update-ref', '--stdin'], { input: `${refs.join('\n')}\n` });

    server.requests.length = 0;
    const v2 = await (await open(repo, 'many-v2')).listRemoteRefs(['refs/heads/main']);
    const v2Bytes = server.requests.reduce((sum, r) => sum + r.bytesOut, 0);
    server.requests.length = 0;
    const v0 = await (await open(repo, 'many-v0', v0Only)).listRemoteRefs(['refs/heads/main']);
    const v0Bytes = server.requests.reduce((sum, r) => sum + r.bytesOut, 0);

    expect(v2.refs).toEqual(new Map([['refs/heads/main', head]]));
    expect(v0.refs).toEqual(v2.refs);
    expect(v0Bytes).toBeGreaterThan(2000 * 50);
    expect(v2Bytes).toBeLessThan(1000);
  });
});

describe('incremental fetches', () => {
  it('brings only the new commit, tree and blob of a branch over v2', async () => {
    const repo = await server.createRepo('incremental-branch');
    await server.commitFiles(repo, { 'a.yaml': 'a: 1\n', 'b.yaml': 'b: 1\n' }, pinned);
    const handle = await open(repo, 'incremental-branch');
    await handle.fetchRef('refs/heads/main');
    expect(handle.fetchedObjectCount()).toBe(4); // 1 commit, 1 tree, 2 blobs
    const next = await server.commitFiles(repo, { 'a.yaml': 'a: 2\n' }, pinned);
    server.requests.length = 0;
    expect(await handle.fetchRef('refs/heads/main')).toBe(next);
    expect(handle.fetchedObjectCount()).toBe(7);
    expect(server.requests.map((r) => r.gitProtocol)).toEqual(['version=2', 'version=2', 'version=2']);
  });

  it('brings only the new commit, tree and blob when the next tag is one commit on', async () => {
    const repo = await server.createRepo('incremental-tags');
    // Incompressible contents, so bytes on the wire follow the objects sent.
    const files = Object.fromEntries(
      Array.from({ length: 20 }, (_, i) => [
        `apps/app-${i}.yaml`,
        `n: ${randomBytes(512).toString('hex')}\n`,
      ]),
    );
    const first = await server.commitFiles(repo, files, pinned);
    await tag(repo, 'v1.0.0', first);
    const handle = await open(repo, 'incremental-tags');
    server.requests.length = 0;
    await handle.fetchRef('refs/tags/v1.0.0');
    expect(handle.fetchedObjectCount()).toBe(23); // 1 commit, 2 trees, 20 blobs
    const firstBytes = uploadPackPosts().at(-1)?.bytesOut ?? 0;

    const second = await server.commitFiles(repo, { 'apps/app-0.yaml': 'n: changed\n' }, pinned);
    await tag(repo, 'v1.1.0', second, true);
    server.requests.length = 0;
    expect(await handle.fetchRef('refs/tags/v1.1.0')).toBe(second);
    // + the tag object, the commit, two trees and the changed blob
    expect(handle.fetchedObjectCount()).toBe(23 + 5);
    const secondBytes = uploadPackPosts().at(-1)?.bytesOut ?? 0;
    expect(secondBytes).toBeLessThan(firstBytes / 10);

    server.requests.length = 0;
    expect(await handle.fetchRef('refs/tags/v1.1.0')).toBe(second);
    expect(uploadPackPosts().filter((r) => r.bytesIn > 0 && r.bytesOut > 200)).toEqual([]);
    expect(handle.fetchedObjectCount()).toBe(28);
  });
});
