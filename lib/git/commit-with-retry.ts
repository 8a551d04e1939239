/**
 * The update loop of an ImageUpdateAutomation: fetch the head, let `update` compute changes from the
 * files at that head, commit, push. When the push loses a race (someone pushed in between), the head is
 * fetched again and `update` runs again on it, so the other writer's change is kept and ours re-applied
 * on top: never a lost update, never a force. After `maxAttempts` races it is a transient failure and
 * the job retries later with backoff.
 *
 * Branches follow Flux: the checkout branch is the base; a different push branch is created from the
 * checkout branch's head, and once it exists later updates build on the push branch's own head (Flux's
 * default, all branch references fetched). `force` is Flux's GitForcePushBranch: the push branch is
 * rebuilt from the checkout branch each time and overwritten. A refspec is pushed besides the branch.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../observe/logger.ts';
import { GitRefNotFoundError, NonFastForwardError } from './git-errors.ts';
import type { CommitAuthor, GitRepository } from './git-repository.ts';
import type { TreeFile } from './read-tree.ts';
import type { FileChanges } from './tree-writer.ts';

/** The files of the head an update is computed from. */
export type HeadReader = {
  readonly commit: string;
  /** Where the head came from: the push branch when it exists, else the checkout branch. */
  readonly branch: string;
  listFiles(path?: string): Promise<string[]>;
  readFiles(path: string, accept?: (path: string) => boolean): Promise<TreeFile[]>;
};

export type CommitUpdate = { changes: FileChanges; message: string };

export type CommitWithRetryOptions = {
  repo: GitRepository;
  /** `git.checkout.ref.branch`: the base. */
  checkoutBranch: string;
  /** `git.push.branch`; the checkout branch when unset. */
  pushBranch?: string | undefined;
  /** `git.push.refspec`, pushed as well. */
  refspec?: string | undefined;
  /** Rebuild a separate push branch from the checkout branch and overwrite it (Flux's GitForcePushBranch). */
  force?: boolean | undefined;
  author: CommitAuthor;
  committer?: CommitAuthor | undefined;
  maxAttempts?: number | undefined;
  log?: Logger | undefined;
  /** Computes the changes from the head's files; undefined (or changes that alter nothing) means no commit. */
  update(head: HeadReader): Promise<CommitUpdate | undefined>;
};

export type CommitWithRetryResult = {
  /** The pushed commit; absent when there was nothing to change. */
  commit?: string;
  /** The head the last attempt started from. */
  base: string;
  attempts: number;
  pushed: boolean;
};

export async function commitWithRetry(options: CommitWithRetryOptions): Promise<CommitWithRetryResult> {
  const { repo, checkoutBranch, refspec, author, committer, log, update } = options;
  const pushBranch = options.pushBranch || checkoutBranch;
  const separate = pushBranch !== checkoutBranch;
  const force = separate && options.force === true;
  const maxAttempts = Math.max(1, options.maxAttempts ?? 5);
  let lastRace: NonFastForwardError | undefined;

  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const { commit: base, branch } = await head(
      repo,
      checkoutBranch,
      separate && !force ? pushBranch : undefined,
    );
    const result = await update({
      commit: base,
      branch,
      listFiles: (path) => repo.listFiles(base, path),
      readFiles: (path, accept) => repo.readFiles(base, path, accept),
    });
    if (!result) return { base, attempts: attempt, pushed: false };
    const commit = await repo.writeCommit({
      parent: base,
      changes: result.changes,
      message: result.message,
      author,
      committer,
    });
    if (commit === base) return { base, attempts: attempt, pushed: false };
    try {
      await repo.push({ commit, branch: pushBranch, refspec, force });
      return { commit, base, attempts: attempt, pushed: true };
    } catch (error) {
      if (!(error instanceof NonFastForwardError)) throw error;
      lastRace = error;
      log?.info(
        { url: repo.url, branch: pushBranch, attempt, maxAttempts },
        'git push lost a race; re-applying on the new head',
      );
      // A little jitter keeps two writers that collided from colliding again in lockstep.
      if (attempt < maxAttempts) await sleep(Math.floor(Math.random() * 50 * attempt));
    }
  }
  throw new NonFastForwardError(
    `${pushBranch} on ${repo.url} kept moving: gave up after ${maxAttempts} attempts`,
    { cause: lastRace, data: { url: repo.url, branch: pushBranch, attempts: maxAttempts } },
  );
}

/** The push branch's head when it exists (and is wanted), else the checkout branch's. */
async function head(
  repo: GitRepository,
  checkoutBranch: string,
  pushBranch: string | undefined,
): Promise<{ commit: string; branch: string }> {
  if (pushBranch) {
    try {
      return { commit: await repo.fetchBranch(pushBranch), branch: pushBranch };
    } catch (error) {
      if (!(error instanceof GitRefNotFoundError)) throw error;
    }
  }
  return { commit: await repo.fetchBranch(checkoutBranch), branch: checkoutBranch };
}
