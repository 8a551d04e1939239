/**
 * The repository a commit-status Provider points at, from its address the way Flux reads it: an
 * https clone URL, an ssh URL or scp-like `git@host:org/repo.git` (both mean the host's https API),
 * `.git` dropped. Pure.
 */
export interface GitAddress {
  /** `https://host[:port]`: where the host's API lives. */
  origin: string;
  /** The repository path: `org/repo`, or `group/subgroup/project` on GitLab. */
  path: string;
}

const SCP_LIKE = /^(?:[^@/]+@)?([^:/]+):(?!\/\/)(.+)$/;

/** Undefined when the address names no host or no repository path. */
export function parseGitAddress(address: string): GitAddress | undefined {
  const scp = /^[a-z][a-z0-9+.-]*:\/\//i.test(address) ? null : SCP_LIKE.exec(address);
  let origin: string;
  let rawPath: string;
  if (scp) {
    origin = `https://${scp[1] ?? ''}`;
    rawPath = scp[2] ?? '';
  } else {
    let url: URL;
    try {
      url = new URL(address);
    } catch {
      return undefined;
    }
    if (url.hostname === '') return undefined;
    if (url.protocol === 'ssh:') origin = `https://${url.hostname}`;
    else if (url.protocol === 'http:' || url.protocol === 'https:') origin = url.origin;
    else return undefined;
    rawPath = decodeURIComponent(url.pathname);
  }
  const path = rawPath
    .replace(/^\/+|\/+$/g, '')
    .replace(/\.git$/, '')
    .replace(/\/+$/, '');
  return path === '' ? undefined : { origin, path };
}
