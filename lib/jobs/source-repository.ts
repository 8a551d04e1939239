/**
 * A GitRepository opened for a job: its URL, the credentials of its Secret, its timeout, and the
 * shared object cache. Sync, apply and image updates all reach their repository through here.
 */
import type { ConfigSet, GitRepository } from '../config/index.ts';
import { timeoutMs } from '../config/index.ts';
import type { GitRepository as GitRepositoryHandle } from '../git/index.ts';
import { gitAuthFromSecret, openGitRepository } from '../git/index.ts';
import type { Logger } from '../observe/logger.ts';

export async function openSourceRepository(
  source: GitRepository,
  config: ConfigSet,
  gitCacheDir: string,
  log: Logger,
): Promise<GitRepositoryHandle> {
  const secret = source.spec.secretRef?.name;
  return await openGitRepository({
    url: source.spec.url,
    auth: secret ? gitAuthFromSecret(config.secretValues(source.metadata.namespace, secret)) : undefined,
    cacheDir: gitCacheDir,
    log,
    timeoutMs: timeoutMs(source),
  });
}
