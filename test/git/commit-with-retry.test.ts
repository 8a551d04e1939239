/**
 * The update loop against a real `git http-backend`, with another writer pushing between our fetch and
 * our push: its change must survive and ours be applied on top, once.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failureClassOf } from '../../lib/errors.ts';
import type { CommitUpdate, GitRepository, HeadReader } from '../../lib/git/index.ts';
import { commitWithRetry, NonFastForwardError, openGitRepository } from '../../lib/git/index.ts';
import type { GitRepo, GitServer } from '../support/git-server.ts';
import { startGitServer } from '../support/git-server.ts';
import { makeTempDir, removeTempDir } from '../support/processes.ts';

const pinned = { author: { name: 'Ferry Test', email: 'test@ferry.invalid' }, date: '2024-05-01T12:00:00Z' };
const author = { name: 'Ferry Bot', email: 'bot@ferry.invalid', timestamp: 1_714_651_200 };
const APP = 'apps/app.yaml';
const marked = (tag: string) => `image: team/app:${tag} # {"$imagepolicy": "flux-system:app"}\n`;

let server: GitServer;
let work: string;

beforeAll(async () => {
  server = await startGitServer();
  work = await makeTempDir('ferry-git-retry-test-');
});

afterAll(async () => {
  await server.close();
  await removeTempDir(work);
});

async function fleet(name: string): Promise<{ repo: GitRepo; handle: GitRepository; base: string }> {
  const repo = await server.createRepo(name);
  const base = await server.commitFiles(repo, { [APP]: marked('1.0.0'), 'README.md': '# fleet\n' }, pinned);
  const handle = await openGitRepository({ url: repo.url, cacheDir: join(work, name) });
  return { repo, handle, base };
}

/** A setter in miniature: moves the marked image to `tag` in whatever the head holds. */
function setTag(tag: string, seen: HeadReader[] = []) {
  return async (head: HeadReader): Promise<CommitUpdate | undefined> => {
    seen.push(head);
    const [file] = await head.readFiles(APP);
    const text = Buffer.from(file!.bytes).toString();
    const next = text.replace(/:[^ ]+ #/, `:${tag} #`);
    return next === text
      ? undefined
      : { changes: new Map([[APP, Buffer.from(next)]]), message: `Move app to ${tag}` };
  };
}

const receivePacks = () => server.requests.filter((r) => r.service === 'git-receive-pack');

describe('commitWithRetry', () => {
  it('commits the update computed from the head and pushes it', async () => {
    const { repo, handle, base } = await fleet('simple');
    const result = await commitWithRetry({
      repo: handle,
      checkoutBranch: 'main',
      author,
      update: setTag('1.1.0'),
    });
    expect(result).toEqual({ commit: expect.any(String), base, attempts: 1, pushed: true });
    const log = await server.log(repo, 'main');
    expect(log.map((entry) => [entry.sha, entry.message])).toEqual([
      [result.commit, 'Move app to 1.1.0'],
      [base, 'Update files'],
    ]);
    expect(log[0]?.author).toEqual({ name: author.name, email: author.email });
    expect(await server.readFile(repo, 'main', APP)).toBe(marked('1.1.0'));
  });

  it('makes no commit and no push request when nothing changes', async () => {
    const { repo, handle, base } = await fleet('nothing');
    server.requests.length = 0;
    const none = await commitWithRetry({
      repo: handle,
      checkoutBranch: 'main',
      author,
      update: async () => undefined,
    });
    expect(none).toEqual({ base, attempts: 1, pushed: false });
    // Changes that rewrite a file with its own bytes change nothing either.
    const same = await commitWithRetry({
      repo: handle,
      checkoutBranch: 'main',
      author,
      update: async () => ({ changes: new Map([[APP, Buffer.from(marked('1.0.0'))]]), message: 'Same' }),
    });
    expect(same).toEqual({ base, attempts: 1, pushed: false });
    expect(receivePacks()).toHaveLength(0);
    expect(await server.resolveRef(repo, 'refs/heads/main')).toBe(base);
  });

  it('re-applies the update on the new head when someone pushed in between: no lost update', async () => {
    const { repo, handle, base } = await fleet('race');
    let theirs: string | undefined;
    const seen: HeadReader[] = [];
    const ours = setTag('1.1.0', seen);
    const result = await commitWithRetry({
      repo: handle,
      checkoutBranch: 'main',
      author,
      update: async (head) => {
        // Another writer lands a commit after our fetch, before our push (the first time only).
        theirs ??= await server.commitFiles(repo, { 'README.md': '# fleet, edited by a human\n' }, pinned);
        return await ours(head);
      },
    });
    expect(result.attempts).toBe(2);
    expect(result.pushed).toBe(true);
    expect(seen.map((head) => head.commit)).toEqual([base, theirs]);
    expect(result.base).toBe(theirs);
    expect((await server.log(repo, 'main')).map((entry) => entry.sha)).toEqual([result.commit, theirs, base]);
    expect(await server.readFile(repo, 'main', 'README.md')).toBe('# fleet, edited by a human\n');
    expect(await server.readFile(repo, 'main', APP)).toBe(marked('1.1.0'));
  });

  it('two automations racing on one branch make one commit per distinct change', async () => {
    const { repo, base } = await fleet('two-automations');
    const open = (name: string) => openGitRepository({ url: repo.url, cacheDir: join(work, `two-${name}`) });
    const [a, b] = await Promise.all([open('a'), open('b')]);
    const other =
      (tag: string) =>
      async (head: HeadReader): Promise<CommitUpdate | undefined> => {
        const [file] = await head.readFiles('README.md');
        const text = Buffer.from(file!.bytes).toString();
        return text.includes(tag)
          ? undefined
          : { changes: new Map([['README.md', Buffer.from(`${text}${tag}\n`)]]), message: tag };
      };
    const results = await Promise.all([
      commitWithRetry({ repo: a, checkoutBranch: 'main', author, update: setTag('2.0.0') }),
      commitWithRetry({ repo: b, checkoutBranch: 'main', author, update: other('note from b') }),
    ]);
    expect(results.every((result) => result.pushed)).toBe(true);
    const log = await server.log(repo, 'main');
    expect(log).toHaveLength(3);
    expect(log.at(-1)?.sha).toBe(base);
    expect(await server.readFile(repo, 'main', APP)).toBe(marked('2.0.0'));
    expect(await server.readFile(repo, 'main', 'README.md')).toBe('# fleet\nnote from b\n');
  });

  it('gives up after maxAttempts races with a transient NonFastForwardError', async () => {
    const { repo, handle } = await fleet('give-up');
    let n = 0;
    const error = await commitWithRetry({
      repo: handle,
      checkoutBranch: 'main',
      author,
      maxAttempts: 3,
      update: async (head) => {
        await server.commitFiles(repo, { 'README.md': `busy ${n++}\n` }, pinned);
        return await setTag('1.1.0')(head);
      },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NonFastForwardError);
    expect(failureClassOf(error)).toBe('transient');
    expect((error as NonFastForwardError).data).toMatchObject({ branch: 'main', attempts: 3 });
    expect(n).toBe(3);
    expect(await server.readFile(repo, 'main', APP)).toBe(marked('1.0.0'));
  });

  it('creates the push branch from the checkout branch, then builds on the push branch as Flux does', async () => {
    const { repo, handle, base } = await fleet('push-branch');
    const seen: HeadReader[] = [];
    const first = await commitWithRetry({
      repo: handle,
      checkoutBranch: 'main',
      pushBranch: 'image-updates',
      author,
      update: setTag('1.1.0', seen),
    });
    expect(seen[0]).toMatchObject({ commit: base, branch: 'main' });
    expect(await server.resolveRef(repo, 'refs/heads/image-updates')).toBe(first.commit);
    expect(await server.resolveRef(repo, 'refs/heads/main')).toBe(base);

    // main moves on; the next update still builds on the push branch's own head.
    await server.commitFiles(repo, { 'README.md': '# fleet, later\n' }, pinned);
    const second = await commitWithRetry({
      repo: handle,
      checkoutBranch: 'main',
      pushBranch: 'image-updates',
      author,
      update: setTag('1.2.0', seen),
    });
    expect(seen[1]).toMatchObject({ commit: first.commit, branch: 'image-updates' });
    expect((await server.log(repo, 'image-updates')).map((entry) => entry.sha)).toEqual([
      second.commit,
      first.commit,
      base,
    ]);
  });

  it('with force, rebuilds the push branch from the checkout branch and overwrites it', async () => {
    const { repo, handle } = await fleet('force');
    const options = {
      repo: handle,
      checkoutBranch: 'main',
      pushBranch: 'image-updates',
      author,
      force: true,
    };
    const first = await commitWithRetry({ ...options, update: setTag('1.1.0') });
    const later = await server.commitFiles(repo, { 'README.md': '# fleet, later\n' }, pinned);
    const seen: HeadReader[] = [];
    const second = await commitWithRetry({ ...options, update: setTag('1.2.0', seen) });
    expect(seen[0]).toMatchObject({ commit: later, branch: 'main' });
    expect((await server.log(repo, 'image-updates')).map((entry) => entry.sha).slice(0, 2)).toEqual([
      second.commit,
      later,
    ]);
    expect(first.commit).not.toBe(second.commit);
  });

  it('pushes the refspec besides the checkout branch, as Flux does when no push branch is set', async () => {
    const { repo, handle } = await fleet('refspec');
    const result = await commitWithRetry({
      repo: handle,
      checkoutBranch: 'main',
      refspec: 'refs/heads/main:refs/heads/auto-update',
      author,
      update: setTag('1.1.0'),
    });
    expect(await server.resolveRef(repo, 'refs/heads/main')).toBe(result.commit);
    expect(await server.resolveRef(repo, 'refs/heads/auto-update')).toBe(result.commit);
  });
});
