import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GitServer } from './git-server.ts';
import { git, startGitServer } from './git-server.ts';
import { makeTempDir, removeTempDir } from './processes.ts';

const pinned = { author: { name: 'Ferry Bot', email: 'bot@ferry.invalid' }, date: '2024-05-01T12:00:00Z' };
const committer = {
  GIT_AUTHOR_NAME: 'Ferry Bot',
  GIT_AUTHOR_EMAIL: 'bot@ferry.invalid',
  GIT_COMMITTER_NAME: 'Ferry Bot',
  GIT_COMMITTER_EMAIL: 'bot@ferry.invalid',
  GIT_AUTHOR_DATE: '2024-05-02T12:00:00Z',
  GIT_COMMITTER_DATE: '2024-05-02T12:00:00Z',
};

let work: string;

beforeAll(async () => {
  work = await makeTempDir('ferry-git-test-');
});

afterAll(async () => {
  await removeTempDir(work);
});

describe('git server', () => {
  let server: GitServer;

  beforeAll(async () => {
    server = await startGitServer();
  });

  afterAll(async () => {
    await server.close();
  });

  it('serves a clone over HTTP to the git CLI', async () => {
    const repo = await server.createRepo('clone-me');
    await server.commitFiles(repo, { 'deploy/app.yaml': 'image: app:1.0.0\n', 'README.md': 'hi\n' }, pinned);
    const dir = join(work, 'clone-me');
    await git(['clone', '--quiet', repo.url, dir]);
    expect(await readFile(join(dir, 'deploy/app.yaml'), 'utf8')).toBe('image: app:1.0.0\n');
    const branch = await git(['-C', dir, 'rev-parse', '--abbrev-ref', 'HEAD']);
    expect(branch.stdout.toString().trim()).toBe('main');
  });

  it('accepts a push from the git CLI and shows it through log and readFile', async () => {
    const repo = await server.createRepo('team/push-me');
    const first = await server.commitFiles(repo, { 'a.txt': 'one\n' }, pinned);
    const dir = join(work, 'push-me');
    await git(['clone', '--quiet', repo.url, dir]);
    await writeFile(join(dir, 'a.txt'), 'two\n');
    await git(['-C', dir, 'commit', '--quiet', '-am', 'Bump a to two'], { env: committer });
    await git(['-C', dir, 'push', '--quiet', 'origin', 'main']);

    const log = await server.log(repo, 'main');
    expect(log.map((entry) => entry.message)).toEqual(['Bump a to two', 'Update files']);
    expect(log[1]?.sha).toBe(first);
    expect(log[0]?.author).toEqual(pinned.author);
    expect(await server.readFile(repo, 'main', 'a.txt')).toBe('two\n');
    expect(await server.readFile(repo, first, 'a.txt')).toBe('one\n');
    expect(await server.readFile(repo, 'main', 'missing.txt')).toBeUndefined();
    expect(server.requests.some((r) => r.service === 'git-receive-pack' && r.status === 200)).toBe(true);
  });

  it('writes commits with exact, repeatable SHAs when author and date are pinned', async () => {
    const files = { 'clusters/prod/app.yaml': 'replicas: 2\n', 'gone.txt': 'x\n' };
    const shas: string[] = [];
    for (const name of ['exact-a', 'exact-b']) {
      const repo = await server.createRepo(name);
      await server.commitFiles(repo, files, { ...pinned, message: 'Initial' });
      shas.push(await server.commitFiles(repo, { 'gone.txt': null }, { ...pinned, message: 'Remove gone' }));
    }
    expect(shas[0]).toBe(shas[1]);
    // The SHA `git commit` gives for the same two commits with the same author and dates.
    expect(shas[0]).toBe('2e9c48160aa8e44cbdef2a563e65b7eb1f2f989b');
    expect(await server.readFile('exact-a', 'main', 'gone.txt')).toBeUndefined();
    expect(await server.readFile('exact-a', 'main~1', 'gone.txt')).toBe('x\n');
  });

  it('starts a new branch from the default branch', async () => {
    const repo = await server.createRepo('branches', { defaultBranch: 'trunk' });
    const base = await server.commitFiles(repo, { 'a.txt': 'a\n' }, pinned);
    await server.commitFiles(repo, { 'b.txt': 'b\n' }, { ...pinned, branch: 'feature' });
    const log = await server.log(repo, 'feature');
    expect(log.map((entry) => entry.sha)[1]).toBe(base);
    expect(await server.readFile(repo, 'feature', 'a.txt')).toBe('a\n');
    expect(await server.resolveRef(repo, 'refs/heads/nope')).toBeUndefined();
  });

  it('answers git protocol v2 for ls-remote', async () => {
    const repo = await server.createRepo('v2');
    const sha = await server.commitFiles(repo, { 'a.txt': 'a\n' }, pinned);
    server.requests.length = 0;
    const out = await git(['-c', 'protocol.version=2', 'ls-remote', repo.url]);
    expect(out.stdout.toString()).toContain(`${sha}\trefs/heads/main`);
    expect(server.requests.map((r) => [r.service, r.gitProtocol, r.status])).toEqual([
      ['git-upload-pack', 'version=2', 200],
      ['git-upload-pack', 'version=2', 200],
    ]);
  });

  it('records requests, so a test can tell an incremental fetch from a full one', async () => {
    const repo = await server.createRepo('incremental');
    const big = Array.from({ length: 2_000 }, (_, i) => `line ${i} ${'x'.repeat(40)}`).join('\n');
    await server.commitFiles(repo, { 'big.txt': big }, pinned);
    const dir = join(work, 'incremental');
    server.requests.length = 0;
    await git(['clone', '--quiet', repo.url, dir]);
    const cloned = server.requests.filter((r) => r.method === 'POST').reduce((n, r) => n + r.bytesOut, 0);
    await server.commitFiles(repo, { 'b.txt': 'b\n' }, { ...pinned, date: '2024-06-01T00:00:00Z' });
    server.requests.length = 0;
    await git(['-C', dir, 'fetch', '--quiet', 'origin']);
    const fetched = server.requests.filter((r) => r.method === 'POST').reduce((n, r) => n + r.bytesOut, 0);
    expect(server.requests.every((r) => r.status === 200)).toBe(true);
    expect(fetched).toBeGreaterThan(0);
    expect(fetched * 10).toBeLessThan(cloned);
    expect((await git(['-C', dir, 'show', 'origin/main:b.txt'])).stdout.toString()).toBe('b\n');
  });

  it('takes gzip-encoded request bodies', async () => {
    const repo = await server.createRepo('gzip');
    const sha = await server.commitFiles(repo, { 'a.txt': 'a\n' }, pinned);
    // A protocol v2 ls-refs request, gzip'd as git does for larger negotiation requests.
    const body = gzipSync('0014command=ls-refs\n0001000csymrefs\n0000');
    const res = await fetch(`${repo.url}/git-upload-pack`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-git-upload-pack-request',
        'Content-Encoding': 'gzip',
        'Git-Protocol': 'version=2',
      },
      body,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/x-git-upload-pack-result');
    expect(await res.text()).toContain(`${sha} refs/heads/main`);
  });
});

describe('git server with authentication', () => {
  it('refuses a wrong password with 401 and serves the right one', async () => {
    const server = await startGitServer({ auth: { username: 'ferry', password: 's3cret' } });
    try {
      const repo = await server.createRepo('private');
      const sha = await server.commitFiles(repo, { 'a.txt': 'a\n' }, pinned);
      const bare = await fetch(`${repo.url}/info/refs?service=git-upload-pack`);
      expect(bare.status).toBe(401);
      expect(bare.headers.get('www-authenticate')).toBe('Basic realm="ferry"');

      const wrong = repo.url.replace('http://', 'http://ferry:nope@');
      const refused = await git(['ls-remote', wrong], { allowFailure: true });
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toMatch(/Authentication failed/);

      const right = repo.url.replace('http://', 'http://ferry:s3cret@');
      const listed = await git(['ls-remote', right, 'refs/heads/main']);
      expect(listed.stdout.toString()).toBe(`${sha}\trefs/heads/main\n`);
      expect(server.requests.map((r) => r.status)).toContain(401);
    } finally {
      await server.close();
    }
  });

  it('accepts a bearer token and refuses a wrong one', async () => {
    const server = await startGitServer({ auth: { bearerToken: 'tok-123' } });
    try {
      const repo = await server.createRepo('bearer');
      const sha = await server.commitFiles(repo, { 'a.txt': 'a\n' }, pinned);
      const wrong = await git(['-c', 'http.extraHeader=Authorization: Bearer nope', 'ls-remote', repo.url], {
        allowFailure: true,
      });
      expect(wrong.code).not.toBe(0);
      const right = await git([
        '-c',
        'http.extraHeader=Authorization: Bearer tok-123',
        'ls-remote',
        repo.url,
      ]);
      expect(right.stdout.toString()).toContain(`${sha}\tHEAD`);
      const refused = await fetch(`${repo.url}/info/refs?service=git-upload-pack`);
      expect(refused.headers.get('www-authenticate')).toBe('Bearer realm="ferry"');
    } finally {
      await server.close();
    }
  });
});
