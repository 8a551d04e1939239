/**
 * Brings one branch's head into the object cache (see fetch-want.ts for how little crosses the wire).
 * A head the cache already holds costs one ref advertisement and no pack at all. The head is kept as
 * `refs/remotes/origin/<branch>`: the next fetch offers it as a have, and a push starts from it.
 */

import type { FetchContext } from './fetch-want.ts';
import { fetchWant } from './fetch-want.ts';
import { GitRefNotFoundError } from './git-errors.ts';

export { type FetchContext, MAX_PACKS } from './fetch-want.ts';

/** Fetches `branch` and returns its head commit; throws GitRefNotFoundError when the remote lacks it. */
export async function fetchBranch(context: FetchContext, branch: string): Promise<string> {
  const { url, http, cache, log } = context;
  const advertised = await http.advertise('git-upload-pack');
  const oid = advertised.refs.get(`refs/heads/${branch}`);
  if (!oid) {
    throw new GitRefNotFoundError(`branch ${branch} does not exist on ${url}`, { data: { url, branch } });
  }
  const tracking = `refs/remotes/origin/${branch}`;
  if (cache.has(oid)) {
    await cache.writeRef(tracking, oid);
    log?.debug({ url, branch, commit: oid }, 'git fetch: the cache has the head');
    return oid;
  }
  await fetchWant(context, { protocol: 0, capabilities: advertised.capabilities }, oid, {
    subject: { branch },
  });
  await cache.writeRef(tracking, oid);
  return oid;
}
