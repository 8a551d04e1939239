/**
 * A handle on one remote repository over its persistent object cache: fetch a branch head, read files
 * out of a commit, write a commit from file changes, push. The cache lives under `cacheDir` in a
 * directory named after a hash of the URL (credentials removed), so two repositories never share one
 * and the same repository finds its cache again on the next run (the state dir locally, /tmp in Lambda).
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { HttpClient } from 'isomorphic-git';
import type { Logger } from '../observe/logger.ts';
import { fetchBranch } from './fetch-branch.ts';
import { fetchCommit, fetchRef } from './fetch-ref.ts';
import type { GitAuth } from './git-auth.ts';
import { splitUrlCredentials } from './git-auth.ts';
import { GitConfigError } from './git-errors.ts';
import type { Signature } from './git-objects.ts';
import { serializeCommit } from './git-objects.ts';
import { ObjectBatch } from './object-batch.ts';
import { ObjectCache } from './object-cache.ts';
import type { PushOptions } from './push.ts';
import { moveTag, pushCommit } from './push.ts';
import type { DirectoryEntry, TreeFile } from './read-tree.ts';
import { commitTree, directoryEntries, listDirectory, listTreeFiles, readTreeFiles } from './read-tree.ts';
import type { RemoteRefs } from './remote-refs.ts';
import { listRemoteRefs } from './remote-refs.ts';
import { smartHttp } from './smart-http.ts';
import type { FileChanges } from './tree-writer.ts';
import { writeTreeChanges } from './tree-writer.ts';

export type GitRepositoryOptions = {
  /** `https://` or `http://`; credentials in it are used when `auth` is absent, as Flux does. */
  url: string;
  auth?: GitAuth | undefined;
  /** Parent of the per-repository cache directories. */
  cacheDir: string;
  log?: Logger | undefined;
  /** An isomorphic-git HTTP client plugin; its Node client by default. */
  http?: HttpClient | undefined;
  /** Per HTTP request; the GitRepository's `spec.timeout` (Flux's default is 60 s). */
  timeoutMs?: number | undefined;
};

/** Who and when; `timestamp` in seconds (now by default), `timezoneOffset` as `Date#getTimezoneOffset` (0). */
export type CommitAuthor = { name: string; email: string; timestamp?: number; timezoneOffset?: number };

export type WriteCommitOptions = {
  parent: string;
  changes: FileChanges;
  message: string;
  author: CommitAuthor;
  /** The author by default. */
  committer?: CommitAuthor | undefined;
};

export type GitRepository = {
  /** The URL without credentials: safe to log. */
  readonly url: string;
  /** This repository's own cache directory. */
  readonly cachePath: string;
  fetchBranch(branch: string): Promise<string>;
  /** The remote's refs under `prefixes` (`refs/tags/`); over protocol v2 only those cross the wire. */
  listRemoteRefs(prefixes: readonly string[]): Promise<RemoteRefs>;
  /** Fetches a full ref (a tag, `refs/pull/1/head`) and returns the commit it peels to. */
  fetchRef(name: string, remote?: RemoteRefs): Promise<string>;
  /** Fetches a commit by SHA; with `branch`, it must be reachable from that branch's head. */
  fetchCommit(commit: string, options?: { branch?: string | undefined }): Promise<string>;
  listFiles(commit: string, path?: string): Promise<string[]>;
  readFiles(commit: string, path: string, accept?: (path: string) => boolean): Promise<TreeFile[]>;
  /** One directory of a commit (`''` the root), reading only the trees along the way. */
  listDirectory(commit: string, path: string): Promise<DirectoryEntry[]>;
  /** The entries of a tree object, as `listDirectory` gives them: for walks that prune as they go. */
  readDirectory(tree: string): Promise<DirectoryEntry[]>;
  /** The bytes of a blob. */
  readBlob(oid: string): Promise<Uint8Array>;
  /**
   * Writes the commit `changes` make on `parent` and returns its SHA. When the changes leave the tree as
   * it was, no commit is written and `parent` itself is returned: git would refuse an empty commit too.
   */
  writeCommit(options: WriteCommitOptions): Promise<string>;
  push(options: PushOptions): Promise<void>;
  /** Points the remote's tag at a commit it already has, creating or moving it. */
  moveTag(tag: string, commit: string): Promise<void>;
  /** How many objects fetches have brought into the cache so far. */
  fetchedObjectCount(): number;
};

/** The cache directory of `url` under `cacheDir`. */
export function repositoryCachePath(cacheDir: string, url: string): string {
  const { url: bare } = splitUrlCredentials(url);
  return join(cacheDir, `${createHash('sha256').update(bare).digest('hex').slice(0, 24)}.git`);
}

export async function openGitRepository(options: GitRepositoryOptions): Promise<GitRepository> {
  const { url, auth: urlAuth } = splitUrlCredentials(options.url);
  const cachePath = repositoryCachePath(options.cacheDir, url);
  const cache = await ObjectCache.open(cachePath);
  const http = smartHttp({
    url,
    auth: options.auth ?? urlAuth,
    http: options.http,
    timeoutMs: options.timeoutMs,
  });
  const log = options.log;
  const pushContext = {
    url,
    http,
    cache,
    log,
    fetchedHead: (branch: string) => cache.readRef(`refs/remotes/origin/${branch}`),
  };

  return {
    url,
    cachePath,

    fetchBranch: (branch) => fetchBranch({ url, http, cache, log }, branch),

    listRemoteRefs: (prefixes) => listRemoteRefs(http, url, prefixes),

    fetchRef: (name, remote) => fetchRef({ url, http, cache, log }, name, remote),

    fetchCommit: (commit, fetchOptions) => fetchCommit({ url, http, cache, log }, commit, fetchOptions),

    listFiles: (commit, path = './') => listTreeFiles(cache, commit, path),

    readFiles: (commit, path, accept) => readTreeFiles(cache, commit, path, accept),

    listDirectory: (commit, path) => listDirectory(cache, commit, path),

    readDirectory: (tree) => directoryEntries(cache, tree),

    async readBlob(oid) {
      const object = await cache.read(oid);
      if (object.type !== 'blob')
        throw new GitConfigError(`${oid} is a ${object.type}, not a blob`, { data: { oid } });
      return object.data;
    },

    async writeCommit({ parent, changes, message, author, committer }) {
      const parentTree = await commitTree(cache, parent);
      const batch = new ObjectBatch(cache);
      const tree = await writeTreeChanges(cache, batch, parentTree, changes);
      if (tree === parentTree) return parent;
      const authorSignature = signature(author);
      const data = serializeCommit({
        tree,
        parents: [parent],
        author: authorSignature,
        committer: committer ? signature(committer) : authorSignature,
        message,
      });
      const commit = batch.write('commit', data);
      await batch.commit();
      return commit;
    },

    push: (pushOptions) => pushCommit(pushContext, pushOptions),

    moveTag: (tag, commit) => moveTag(pushContext, tag, commit),

    fetchedObjectCount: () => cache.fetchedObjectCount,
  };
}

function signature(author: CommitAuthor): Signature {
  return {
    name: author.name,
    email: author.email,
    timestamp: author.timestamp ?? Math.floor(Date.now() / 1000),
    timezoneOffset: author.timezoneOffset ?? 0,
  };
}
