/**
 * Fetches what a GitRepository's `ref` names other than a branch head: any full ref (a tag, a pull
 * request head), or a commit by SHA, optionally required to lie on a branch. Annotated tags are peeled
 * to their commit. Each fetched commit is kept under `refs/fetched/…` so the next fetch offers it as a
 * have and stays incremental.
 */

import type { FetchContext } from './fetch-want.ts';
import { fetchWant } from './fetch-want.ts';
import { GitConfigError, GitProtocolError, GitRefNotFoundError } from './git-errors.ts';
import { parseCommit } from './git-objects.ts';
import type { ObjectCache } from './object-cache.ts';
import type { RemoteRefs } from './remote-refs.ts';
import { listRemoteRefs } from './remote-refs.ts';

const SHA = /^[0-9a-f]{40}$/;

/**
 * Fetches the full ref `name` (`refs/tags/v1.0.0`, `refs/pull/1/head`; a `^{}` suffix is allowed) and
 * returns the commit it peels to. `remote` saves a second listing when the caller has one.
 */
export async function fetchRef(context: FetchContext, name: string, remote?: RemoteRefs): Promise<string> {
  const { url, cache } = context;
  const refName = name.endsWith('^{}') ? name.slice(0, -3) : name;
  if (!refName.startsWith('refs/')) {
    throw new GitConfigError(`${name} is not a full ref name (refs/…)`, { data: { url, ref: name } });
  }
  const listed = remote ?? (await listRemoteRefs(context.http, url, [refName]));
  const oid = listed.refs.get(refName);
  if (!oid)
    throw new GitRefNotFoundError(`${refName} does not exist on ${url}`, { data: { url, ref: refName } });
  await fetchWant(context, listed, oid, { subject: { ref: refName } });
  const commit = await peel(cache, oid, refName);
  await cache.writeRef(trackingRef(refName), commit);
  return commit;
}

/**
 * Fetches `commit` by SHA. With `branch`, the commit must be reachable from that branch's head: the
 * branch is fetched too, and when the cached history stops short of deciding, deepened to the full
 * history. A commit that is not there is terminal, as in Flux.
 */
export async function fetchCommit(
  context: FetchContext,
  commit: string,
  options: { branch?: string | undefined } = {},
): Promise<string> {
  const { url, cache } = context;
  const { branch } = options;
  if (!SHA.test(commit)) {
    throw new GitConfigError(`${commit} is not a full commit SHA`, { data: { url, commit } });
  }
  const remote = await listRemoteRefs(context.http, url, branch ? [`refs/heads/${branch}`] : []);
  const head = branch ? await fetchRef(context, `refs/heads/${branch}`, remote) : undefined;
  try {
    await fetchWant(context, remote, commit, { subject: { commit } });
  } catch (error) {
    // The server answers a want it does not have (or will not serve) with an ERR line.
    if (!(error instanceof GitProtocolError) || error.data.refused !== true) throw error;
    throw new GitRefNotFoundError(`commit ${commit} is not on ${url}`, {
      cause: error,
      data: { url, commit },
    });
  }
  const found = await cache.read(commit);
  if (found.type !== 'commit')
    throw new GitConfigError(`${commit} is a ${found.type}, not a commit`, { data: { url, commit } });
  if (branch && head) {
    let reachable = await reaches(cache, head, commit);
    if (reachable === 'unknown') {
      await fetchWant(context, remote, head, { subject: { branch }, unshallow: true });
      reachable = await reaches(cache, head, commit);
    }
    if (reachable !== 'yes') {
      throw new GitRefNotFoundError(`commit ${commit} is not on branch ${branch} of ${url}`, {
        data: { url, branch, commit },
      });
    }
  }
  await cache.writeRef('refs/fetched/commit', commit);
  return commit;
}

/** Where a fetched ref is kept: branches as git keeps them, anything else under `refs/fetched/`. */
function trackingRef(name: string): string {
  return name.startsWith('refs/heads/')
    ? `refs/remotes/origin/${name.slice(11)}`
    : `refs/fetched/${name.slice(5)}`;
}

async function peel(cache: ObjectCache, oid: string, name: string): Promise<string> {
  let current = oid;
  for (let depth = 0; depth < 10; depth++) {
    const object = await cache.read(current);
    if (object.type === 'commit') return current;
    if (object.type !== 'tag') break;
    const target = /^object ([0-9a-f]{40})$/m.exec(object.data.toString('utf8'))?.[1];
    if (!target) break;
    current = target;
  }
  throw new GitConfigError(`${name} does not point to a commit`, { data: { ref: name } });
}

/**
 * Whether `target` is `head` or one of its ancestors, walking the cached history only: `unknown` when
 * the walk reached commits whose parents the (shallow) cache lacks without meeting `target`.
 */
async function reaches(cache: ObjectCache, head: string, target: string): Promise<'yes' | 'no' | 'unknown'> {
  const seen = new Set<string>([head]);
  const queue = [head];
  let cut = false;
  while (queue.length > 0) {
    const oid = queue.pop() as string;
    if (oid === target) return 'yes';
    if (!cache.has(oid)) {
      cut = true;
      continue;
    }
    for (const parent of parseCommit((await cache.read(oid)).data).parents) {
      if (!seen.has(parent)) {
        seen.add(parent);
        queue.push(parent);
      }
    }
  }
  return cut ? 'unknown' : 'no';
}
