/**
 * A GitRepository's `spec.ref` resolved against a real `git http-backend`: each kind of ref, Flux's
 * precedence between them, and the revision string Flux v1 writes for each.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GitRepositoryRef } from '../../lib/config/index.ts';
import { GitRefNotFoundError, openGitRepository } from '../../lib/git/index.ts';
import { resolveSourceRef, SourceRefError } from '../../lib/source/index.ts';
import type { GitRepo, GitServer } from '../support/git-server.ts';
import { git, startGitServer } from '../support/git-server.ts';
import { makeTempDir, removeTempDir } from '../support/processes.ts';

const pinned = { date: '2024-05-01T12:00:00Z' };
const committer = {
  GIT_COMMITTER_NAME: 'Ferry Test',
  GIT_COMMITTER_EMAIL: 'test@ferry.invalid',
  GIT_COMMITTER_DATE: '2024-05-01T12:00:00Z',
};

let server: GitServer;
let work: string;
let repo: GitRepo;
/** Commits by role, and the tag objects of the annotated tags. */
const sha: Record<string, string> = {};

beforeAll(async () => {
  server = await startGitServer();
  work = await makeTempDir('ferry-resolve-ref-test-');
  repo = await server.createRepo('fleet', { defaultBranch: 'master' });
  const inRepo = (args: string[]) => git(['--git-dir', repo.path, ...args], { env: committer });
  sha.v1 = await server.commitFiles(repo, { 'app.yaml': 'v: 1.0.0\n' }, pinned);
  await inRepo(['tag', 'v1.0.0', sha.v1]);
  sha.v11 = await server.commitFiles(repo, { 'app.yaml': 'v: 1.1.0\n' }, pinned);
  await inRepo(['tag', '-a', '-m', 'release 1.1.0', '1.1.0', sha.v11]);
  sha.v2 = await server.commitFiles(repo, { 'app.yaml': 'v: 2.0.0-rc.1\n' }, pinned);
  await inRepo(['tag', 'v2.0.0-rc.1', sha.v2]);
  await inRepo(['tag', 'not-a-version', sha.v2]);
  sha.master = await server.commitFiles(repo, { 'app.yaml': 'v: head\n' }, pinned);
  sha.main = await server.commitFiles(repo, { 'app.yaml': 'v: main\n' }, { ...pinned, branch: 'main' });
  sha.pr = await server.commitFiles(repo, { 'app.yaml': 'v: pr\n' }, { ...pinned, branch: 'feature' });
  await inRepo(['update-ref', 'refs/pull/7/head', sha.pr]);
});

afterAll(async () => {
  await server.close();
  await removeTempDir(work);
});

let caches = 0;
const open = () => openGitRepository({ url: repo.url, cacheDir: join(work, `cache-${caches++}`) });

type Case = { label: string; ref: GitRepositoryRef | undefined; commit: string; revision: string };

const cases = (): Case[] => [
  {
    label: 'no ref: the master branch',
    ref: undefined,
    commit: sha.master!,
    revision: `master@sha1:${sha.master}`,
  },
  { label: 'a branch', ref: { branch: 'main' }, commit: sha.main!, revision: `main@sha1:${sha.main}` },
  { label: 'a lightweight tag', ref: { tag: 'v1.0.0' }, commit: sha.v1!, revision: `v1.0.0@sha1:${sha.v1}` },
  {
    label: 'an annotated tag, peeled to its commit',
    ref: { tag: '1.1.0' },
    commit: sha.v11!,
    revision: `1.1.0@sha1:${sha.v11}`,
  },
  {
    label: 'semver: the highest tag in range, v prefix or not',
    ref: { semver: '>=1.0.0' },
    commit: sha.v11!,
    revision: `1.1.0@sha1:${sha.v11}`,
  },
  {
    label: 'semver: pre-releases when the range asks for them',
    ref: { semver: '>=1.0.0-0' },
    commit: sha.v2!,
    revision: `v2.0.0-rc.1@sha1:${sha.v2}`,
  },
  {
    label: 'semver over tag and branch',
    ref: { semver: '~1.0.0', tag: '1.1.0', branch: 'main' },
    commit: sha.v1!,
    revision: `v1.0.0@sha1:${sha.v1}`,
  },
  {
    label: 'tag over branch',
    ref: { tag: 'v1.0.0', branch: 'main' },
    commit: sha.v1!,
    revision: `v1.0.0@sha1:${sha.v1}`,
  },
  {
    label: 'a full ref name, written as given',
    ref: { name: 'refs/pull/7/head' },
    commit: sha.pr!,
    revision: `refs/pull/7/head@sha1:${sha.pr}`,
  },
  {
    label: 'a branch by its full name keeps the full name',
    ref: { name: 'refs/heads/main' },
    commit: sha.main!,
    revision: `refs/heads/main@sha1:${sha.main}`,
  },
  {
    label: 'name over semver and tag',
    ref: { name: 'refs/heads/main', semver: '*', tag: 'v1.0.0' },
    commit: sha.main!,
    revision: `refs/heads/main@sha1:${sha.main}`,
  },
  { label: 'a bare commit', ref: { commit: sha.v1! }, commit: sha.v1!, revision: `sha1:${sha.v1}` },
  {
    label: 'a commit on a branch, over everything else',
    ref: { commit: sha.v11!, branch: 'master', tag: 'v1.0.0', name: 'refs/heads/main' },
    commit: sha.v11!,
    revision: `master@sha1:${sha.v11}`,
  },
];

describe('resolveSourceRef', () => {
  it('resolves each kind of ref to its commit and Flux revision', async () => {
    for (const { label, ref, commit, revision } of cases()) {
      const handle = await open();
      const resolved = await resolveSourceRef(handle, ref);
      expect({ label, ...resolved }).toEqual({ label, commit, revision });
      expect(await handle.listFiles(resolved.commit)).toEqual(['app.yaml']);
    }
  });

  it('fails terminally when no tag satisfies the range', async () => {
    const error = await resolveSourceRef(await open(), { semver: '>=3.0.0' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourceRefError);
    expect((error as SourceRefError).failure).toBe('terminal');
    expect((error as Error).message).toBe(`no tag of ${repo.url} satisfies >=3.0.0`);
  });

  it('fails terminally on a commit its branch does not reach, and on a missing tag', async () => {
    const handle = await open();
    await expect(resolveSourceRef(handle, { commit: sha.pr!, branch: 'main' })).rejects.toThrow(
      `commit ${sha.pr} is not on branch main of ${repo.url}`,
    );
    await expect(resolveSourceRef(handle, { tag: 'v9.9.9' })).rejects.toThrow(GitRefNotFoundError);
  });

  it('speaks protocol v2 to a server that offers it when resolving a range', async () => {
    server.requests.length = 0;
    await resolveSourceRef(await open(), { semver: '1.x' });
    expect(server.requests.every((r) => r.gitProtocol === 'version=2')).toBe(true);
  });
});
