/**
 * Turns a GitRepository's `spec.ref` into the commit to read and the revision Flux writes for it,
 * fetching that commit into the repository's object cache on the way. Precedence as Flux's: `commit`
 * (with `branch`, the commit must lie on it), then `name`, `semver`, `tag`, and `branch` — `master`
 * when nothing is named.
 */
import type { GitRepositoryRef } from '../config/index.ts';
import type { GitRepository } from '../git/index.ts';
import { createPolicy } from '../policy/index.ts';
import { SourceRefError } from './source-errors.ts';

/** The commit a ref resolved to and its revision: `main@sha1:…`, `v1.0.0@sha1:…`, `sha1:…`. */
export type SourceRevision = { commit: string; revision: string };

const TAGS = 'refs/tags/';

export async function resolveSourceRef(
  repo: GitRepository,
  ref: GitRepositoryRef | undefined,
): Promise<SourceRevision> {
  const { branch, tag, semver, name, commit } = ref ?? {};
  if (commit) {
    const resolved = await repo.fetchCommit(commit, { branch: branch || undefined });
    return { commit: resolved, revision: branch ? revision(branch, resolved) : `sha1:${resolved}` };
  }
  if (name) {
    const resolved = await repo.fetchRef(name);
    return { commit: resolved, revision: revision(name, resolved) };
  }
  if (semver) {
    const remote = await repo.listRemoteRefs([TAGS]);
    const tags = [...remote.refs.keys()]
      .filter((ref) => ref.startsWith(TAGS))
      .map((ref) => ref.slice(TAGS.length));
    const latest = createPolicy({ semver: { range: semver } }).latest(tags);
    if (latest === undefined) {
      throw new SourceRefError(`no tag of ${repo.url} satisfies ${semver}`, {
        data: { url: repo.url, semver, tags: tags.length },
      });
    }
    const resolved = await repo.fetchRef(`${TAGS}${latest}`, remote);
    return { commit: resolved, revision: revision(latest, resolved) };
  }
  if (tag) {
    const resolved = await repo.fetchRef(`${TAGS}${tag}`);
    return { commit: resolved, revision: revision(tag, resolved) };
  }
  const head = branch || 'master';
  const resolved = await repo.fetchRef(`refs/heads/${head}`);
  return { commit: resolved, revision: revision(head, resolved) };
}

/** Flux v1's `<name>@sha1:<sha>`. */
function revision(name: string, commit: string): string {
  return `${name}@sha1:${commit}`;
}
