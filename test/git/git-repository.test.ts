/**
 * The repository handle against a real `git http-backend`: fetching into a cache without a working
 * tree, reading files, writing commits whose SHAs the git CLI agrees with, and credentials.
 */
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  GitAuthError,
  GitPathNotFoundError,
  GitRefNotFoundError,
  GitUnavailableError,
  openGitRepository,
  repositoryCachePath,
} from '../../lib/git/index.ts';
import type { GitServer } from '../support/git-server.ts';
import { git, startGitServer } from '../support/git-server.ts';
import { captureLogs } from '../support/log-capture.ts';
import { freePort } from '../support/ports.ts';
import { makeTempDir, removeTempDir } from '../support/processes.ts';

const pinned = { author: { name: 'Ferry Test', email: 'test@ferry.invalid' }, date: '2024-05-01T12:00:00Z' };
/** 2024-05-02 12:00 in UTC+2: the git CLI's `1714644000 +0200`. */
const author = {
  name: 'Ferry Bot',
  email: 'bot@ferry.invalid',
  timestamp: 1_714_644_000,
  timezoneOffset: -120,
};

const files = {
  'README.md': '# fleet\n',
  'apps/team-a/app.yaml': 'image: team-a/app:1.0.0 # {"$imagepolicy": "flux-system:team-a"}\n',
  'apps/team-a/values.txt': 'not a manifest\n',
  'apps/team-b/app.yaml': 'image: team-b/app:2.0.0 # {"$imagepolicy": "flux-system:team-b"}\n',
  'clusters/prod/kustomization.yaml': 'resources: [../../apps]\n',
};

let server: GitServer;
let work: string;

beforeAll(async () => {
  server = await startGitServer();
  work = await makeTempDir('ferry-git-repository-test-');
});

afterAll(async () => {
  await server.close();
  await removeTempDir(work);
});

async function fleet(name: string) {
  const repo = await server.createRepo(name);
  const head = await server.commitFiles(repo, files, pinned);
  return { repo, head };
}

const uploadPacks = () =>
  server.requests.filter((r) => r.method === 'POST' && r.service === 'git-upload-pack');

describe('fetching and reading', () => {
  it('fetches a branch head into a cache without a working tree and lists the files under a path', async () => {
    const { repo, head } = await fleet('read');
    const handle = await openGitRepository({ url: repo.url, cacheDir: join(work, 'read') });
    expect(await handle.fetchBranch('main')).toBe(head);

    expect(await handle.listFiles(head)).toEqual(Object.keys(files));
    for (const path of ['./apps', 'apps/', 'apps', './apps/.']) {
      expect(await handle.listFiles(head, path)).toEqual([
        'apps/team-a/app.yaml',
        'apps/team-a/values.txt',
        'apps/team-b/app.yaml',
      ]);
    }
    expect(await handle.listFiles(head, './clusters/prod/kustomization.yaml')).toEqual([
      'clusters/prod/kustomization.yaml',
    ]);
    expect(await readdir(handle.cachePath)).not.toContain('apps');
    // The cache is a bare repository the git CLI reads, shallow boundary included.
    const shown = await git(['--git-dir', handle.cachePath, 'show', `${head}:apps/team-b/app.yaml`]);
    expect(shown.stdout.toString()).toBe(files['apps/team-b/app.yaml']);
    await git(['--git-dir', handle.cachePath, 'fsck', '--no-dangling']);
  });

  it('reads the bytes of the accepted files only', async () => {
    const { repo, head } = await fleet('read-accept');
    const handle = await openGitRepository({ url: repo.url, cacheDir: join(work, 'read-accept') });
    await handle.fetchBranch('main');
    const read = await handle.readFiles(head, './apps/', (path) => path.endsWith('.yaml'));
    expect(read.map((file) => [file.path, Buffer.from(file.bytes).toString()])).toEqual([
      ['apps/team-a/app.yaml', files['apps/team-a/app.yaml']],
      ['apps/team-b/app.yaml', files['apps/team-b/app.yaml']],
    ]);
  });

  it('fails on a path the commit does not have, and on a branch the remote does not have', async () => {
    const { repo, head } = await fleet('missing');
    const handle = await openGitRepository({ url: repo.url, cacheDir: join(work, 'missing') });
    await handle.fetchBranch('main');
    await expect(handle.listFiles(head, './apps/team-z')).rejects.toThrow(GitPathNotFoundError);
    await expect(handle.fetchBranch('nope')).rejects.toThrow(GitRefNotFoundError);
  });

  it('fetches only the objects the cache lacks the second time, and nothing when the head is cached', async () => {
    const { repo } = await fleet('incremental');
    const cacheDir = join(work, 'incremental');
    const handle = await openGitRepository({ url: repo.url, cacheDir });
    server.requests.length = 0;
    await handle.fetchBranch('main');
    const first = uploadPacks();
    expect(first).toHaveLength(1);
    expect(handle.fetchedObjectCount()).toBe(12); // 1 commit, 6 trees, 5 blobs

    const next = await server.commitFiles(repo, { 'README.md': '# fleet, edited\n' }, pinned);
    server.requests.length = 0;
    expect(await handle.fetchBranch('main')).toBe(next);
    expect(handle.fetchedObjectCount()).toBe(15); // + the commit, its root tree and the README blob
    const second = uploadPacks();
    expect(second).toHaveLength(1);
    expect(second[0]!.bytesOut).toBeLessThan(first[0]!.bytesOut / 2);

    // A new handle (the next job, or the next process) finds the cache and fetches no pack at all.
    server.requests.length = 0;
    const again = await openGitRepository({ url: repo.url, cacheDir });
    expect(await again.fetchBranch('main')).toBe(next);
    expect(uploadPacks()).toHaveLength(0);
    expect(await again.readFiles(next, 'README.md')).toEqual([
      { path: 'README.md', bytes: Buffer.from('# fleet, edited\n') },
    ]);
  });

  it('sets a removed cache directory up again', async () => {
    const { repo, head } = await fleet('removed');
    const cacheDir = join(work, 'removed');
    const handle = await openGitRepository({ url: repo.url, cacheDir });
    await handle.fetchBranch('main');
    await rm(handle.cachePath, { recursive: true, force: true });
    const again = await openGitRepository({ url: repo.url, cacheDir });
    expect(await again.fetchBranch('main')).toBe(head);
    expect(await again.listFiles(head, 'clusters')).toEqual(['clusters/prod/kustomization.yaml']);
  });

  it('keys caches by URL without credentials, so two repositories never share one', () => {
    const a = repositoryCachePath('/cache', 'https://git.example.com/a.git');
    expect(repositoryCachePath('/cache', 'https://git.example.com/b.git')).not.toBe(a);
    expect(repositoryCachePath('/cache', 'https://bot:secret@git.example.com/a.git')).toBe(a);
    expect(a).not.toContain('secret');
  });
});

describe('writing commits', () => {
  it('writes the commit the git CLI writes for the same change, author and date', async () => {
    const { repo, head } = await fleet('same-sha');
    const changes = new Map<string, Uint8Array | null>([
      [
        'apps/team-a/app.yaml',
        Buffer.from('image: team-a/app:1.1.0 # {"$imagepolicy": "flux-system:team-a"}\n'),
      ],
      ['apps/team-c/deep/app.yaml', Buffer.from('image: team-c/app:3.0.0\n')],
      ['clusters/prod/kustomization.yaml', null],
    ]);
    const message = 'Update team-a to 1.1.0';

    const clone = join(work, 'same-sha-clone');
    await git(['clone', '--quiet', repo.url, clone]);
    for (const [path, bytes] of changes) {
      if (bytes === null) await git(['-C', clone, 'rm', '--quiet', path]);
      else {
        const target = join(clone, path);
        await mkdir(join(target, '..'), { recursive: true });
        await writeFile(target, bytes);
        await git(['-C', clone, 'add', path]);
      }
    }
    const date = '1714644000 +0200';
    await git(['-C', clone, 'commit', '--quiet', '-m', message], {
      env: {
        GIT_AUTHOR_NAME: author.name,
        GIT_AUTHOR_EMAIL: author.email,
        GIT_AUTHOR_DATE: date,
        GIT_COMMITTER_NAME: author.name,
        GIT_COMMITTER_EMAIL: author.email,
        GIT_COMMITTER_DATE: date,
      },
    });
    const cliSha = (await git(['-C', clone, 'rev-parse', 'HEAD'])).stdout.toString().trim();

    const handle = await openGitRepository({ url: repo.url, cacheDir: join(work, 'same-sha') });
    await handle.fetchBranch('main');
    const sha = await handle.writeCommit({ parent: head, changes, message, author });
    expect(sha).toBe(cliSha);
    expect(await handle.listFiles(sha, 'clusters').catch((error: unknown) => error)).toBeInstanceOf(
      GitPathNotFoundError,
    );
  });

  it('writes only the new blobs, the trees along the changed paths and the commit', async () => {
    const { repo, head } = await fleet('minimal');
    const handle = await openGitRepository({ url: repo.url, cacheDir: join(work, 'minimal') });
    await handle.fetchBranch('main');
    await handle.writeCommit({
      parent: head,
      changes: new Map([['apps/team-b/app.yaml', Buffer.from('image: team-b/app:2.1.0\n')]]),
      message: 'Bump team-b',
      author,
    });
    const packs = join(handle.cachePath, 'objects', 'pack');
    const local = (await readdir(packs)).filter((file) => file.endsWith('.local'));
    expect(local).toHaveLength(1);
    const verified = await git(['verify-pack', '-v', join(packs, local[0]!.replace(/\.local$/, '.idx'))]);
    const types = verified.stdout
      .toString()
      .split('\n')
      .map((line) => line.split(/\s+/)[1])
      .filter((type) => type === 'commit' || type === 'tree' || type === 'blob');
    // The blob, apps/team-b, apps and the root tree, the commit: nothing of team-a or clusters.
    expect(types.sort()).toEqual(['blob', 'commit', 'tree', 'tree', 'tree']);
  });

  it('writes no commit for changes that leave the tree as it was', async () => {
    const { repo, head } = await fleet('unchanged');
    const handle = await openGitRepository({ url: repo.url, cacheDir: join(work, 'unchanged') });
    await handle.fetchBranch('main');
    const same = await handle.writeCommit({
      parent: head,
      changes: new Map<string, Uint8Array | null>([
        ['README.md', Buffer.from(files['README.md'])],
        ['not/there.yaml', null],
      ]),
      message: 'Nothing',
      author,
    });
    expect(same).toBe(head);
  });
});

describe('credentials and failures', () => {
  const password = 'pa55-word-never-logged';

  it('fetches with basic auth from the Secret and refuses a wrong password as GitAuthError', async () => {
    const secured = await startGitServer({ auth: { username: 'flux', password } });
    try {
      const repo = await secured.createRepo('basic');
      const head = await secured.commitFiles(repo, files, pinned);
      const good = await openGitRepository({
        url: repo.url,
        auth: { type: 'basic', username: 'flux', password },
        cacheDir: join(work, 'basic'),
      });
      expect(await good.fetchBranch('main')).toBe(head);

      const capture = captureLogs();
      const bad = await openGitRepository({
        url: repo.url,
        auth: { type: 'basic', username: 'flux', password: `${password}-wrong` },
        cacheDir: join(work, 'basic-wrong'),
        log: capture.log,
      });
      const error = await bad.fetchBranch('main').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(GitAuthError);
      expect((error as GitAuthError).failure).toBe('terminal');
      expect((error as Error).message).toContain(repo.url);
      expect(
        JSON.stringify({ message: (error as Error).message, data: (error as GitAuthError).data }),
      ).not.toContain(password);
      expect(capture.text()).not.toContain(password);

      const anonymous = await openGitRepository({ url: repo.url, cacheDir: join(work, 'basic-none') });
      await expect(anonymous.fetchBranch('main')).rejects.toThrow(GitAuthError);
    } finally {
      await secured.close();
    }
  });

  it('uses credentials written into the URL when there is no Secret, and never shows them', async () => {
    const secured = await startGitServer({ auth: { username: 'flux', password } });
    try {
      const repo = await secured.createRepo('in-url');
      const head = await secured.commitFiles(repo, files, pinned);
      const withCredentials = repo.url.replace('http://', `http://flux:${password}@`);
      const handle = await openGitRepository({ url: withCredentials, cacheDir: join(work, 'in-url') });
      expect(handle.url).toBe(repo.url);
      expect(await handle.fetchBranch('main')).toBe(head);
    } finally {
      await secured.close();
    }
  });

  it('fetches and pushes with a bearer token', async () => {
    const secured = await startGitServer({ auth: { bearerToken: 'token-never-logged' } });
    try {
      const repo = await secured.createRepo('bearer');
      const head = await secured.commitFiles(repo, files, pinned);
      const handle = await openGitRepository({
        url: repo.url,
        auth: { type: 'bearer', token: 'token-never-logged' },
        cacheDir: join(work, 'bearer'),
      });
      expect(await handle.fetchBranch('main')).toBe(head);
      const commit = await handle.writeCommit({
        parent: head,
        changes: new Map([['README.md', Buffer.from('# pushed with a token\n')]]),
        message: 'Token push',
        author,
      });
      await handle.push({ commit, branch: 'main' });
      expect(await secured.readFile(repo, 'main', 'README.md')).toBe('# pushed with a token\n');

      const wrong = await openGitRepository({
        url: repo.url,
        auth: { type: 'bearer', token: 'not-the-token' },
        cacheDir: join(work, 'bearer-wrong'),
      });
      const error = await wrong.fetchBranch('main').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(GitAuthError);
      expect((error as Error).message).not.toContain('not-the-token');
    } finally {
      await secured.close();
    }
  });

  it('reports a server error (HTTP 500) as transient', async () => {
    // git http-backend answers 500 for a repository in a format it does not know.
    const repo = await server.createRepo('broken');
    await writeFile(join(repo.path, 'config'), '[core]\n\trepositoryformatversion = 99\n');
    const handle = await openGitRepository({ url: repo.url, cacheDir: join(work, 'broken') });
    const error = await handle.fetchBranch('main').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitUnavailableError);
    expect((error as GitUnavailableError).data).toMatchObject({ url: repo.url, status: 500 });
  });

  it('reports a remote that cannot be reached as transient', async () => {
    const url = `http://127.0.0.1:${await freePort()}/gone.git`;
    const handle = await openGitRepository({ url, cacheDir: join(work, 'gone') });
    const error = await handle.fetchBranch('main').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitUnavailableError);
    expect((error as GitUnavailableError).failure).toBe('transient');
  });
});
