/**
 * A GitRepository opened for a job: its URL, the credentials of its Secret, its timeout, and the
 * shared object cache. Sync, apply and image updates all reach their repository through here.
 */
import type { ConfigSet, GitRepository } from '../config/index.ts';
import { objectKey, timeoutMs } from '../config/index.ts';
import { TerminalError } from '../errors.ts';
import type { GitRepository as GitRepositoryHandle } from '../git/index.ts';
import { gitAuthFromSecret, openGitRepository } from '../git/index.ts';
import type { Logger } from '../observe/logger.ts';
import type { ArtifactInclude } from '../source/index.ts';
import { resolveSourceRef } from '../source/index.ts';

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

/**
 * `spec.include` with each included GitRepository opened and resolved to its commit now. An include
 * names a GitRepository in the same namespace; its files land under `toPath` (its name by default).
 */
export async function openIncludes(
  source: GitRepository,
  config: ConfigSet,
  gitCacheDir: string,
  log: Logger,
): Promise<ArtifactInclude[]> {
  const includes: ArtifactInclude[] = [];
  for (const [i, include] of (source.spec.include ?? []).entries()) {
    const name = include.repository.name;
    const included = config.get('GitRepository', source.metadata.namespace, name);
    if (!included) {
      throw new TerminalError(
        `${objectKey(source)}: spec.include[${i}].repository: GitRepository ${source.metadata.namespace}/${name} does not exist`,
        { data: { reason: 'IncludeUnavailable', field: `spec.include[${i}].repository` } },
      );
    }
    const repo = await openSourceRepository(included, config, gitCacheDir, log);
    const { commit } = await resolveSourceRef(repo, included.spec.ref);
    includes.push({
      repo,
      commit,
      ignore: included.spec.ignore,
      fromPath: include.fromPath,
      toPath: include.toPath ?? name,
    });
  }
  return includes;
}
