export {
  type CommitUpdate,
  type CommitWithRetryOptions,
  type CommitWithRetryResult,
  commitWithRetry,
  type HeadReader,
} from './commit-with-retry.ts';
export { type GitAuth, gitAuthFromSecret, redactUrl } from './git-auth.ts';
export {
  GitAuthError,
  GitConfigError,
  GitObjectMissingError,
  GitPathNotFoundError,
  GitProtocolError,
  GitPushRejectedError,
  GitRefNotFoundError,
  GitUnavailableError,
  NonFastForwardError,
} from './git-errors.ts';
export {
  type CommitAuthor,
  type GitRepository,
  type GitRepositoryOptions,
  openGitRepository,
  repositoryCachePath,
  type WriteCommitOptions,
} from './git-repository.ts';
export type { PushOptions } from './push.ts';
export { type DirectoryEntry, normalizeTreePath, type TreeFile } from './read-tree.ts';
export type { RemoteRefs } from './remote-refs.ts';
export type { FileChanges } from './tree-writer.ts';
