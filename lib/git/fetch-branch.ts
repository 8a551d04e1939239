/**
 * Brings one branch's head into the object cache: a shallow (depth 1) fetch the first time, then only
 * the objects the cache lacks, the heads fetched or pushed before serving as haves. Nothing is checked
 * out. A head the cache already holds costs one ref advertisement and no pack at all.
 *
 * Only the first fetch asks for a depth: a `deepen` makes the server send the new head's whole tree
 * whatever we have (measured: 369 KB again for a one-file change of a 3,000-file repository), while
 * haves alone get exactly the commits since and what they changed. The price is a branch rewritten to
 * unrelated history, which arrives with its full history.
 */
import type { Logger } from '../observe/logger.ts';
import { GitProtocolError, GitRefNotFoundError } from './git-errors.ts';
import { parseCommit } from './git-objects.ts';
import type { ObjectCache } from './object-cache.ts';
import type { SmartHttp } from './smart-http.ts';
import { parseUploadPackResponse, uploadPackRequest } from './upload-pack.ts';

/** Every fetch adds a pack; past this many the cache starts over rather than slow every lookup. */
export const MAX_PACKS = 32;

export type FetchContext = { url: string; http: SmartHttp; cache: ObjectCache; log?: Logger | undefined };

/** Fetches `branch` and returns its head commit; throws GitRefNotFoundError when the remote lacks it. */
export async function fetchBranch(context: FetchContext, branch: string): Promise<string> {
  const { url, http, cache, log } = context;
  const started = performance.now();
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
  if (cache.packCount >= MAX_PACKS) await cache.reset();

  const haves = (await cache.refOids()).filter((have) => cache.has(have));
  const request = uploadPackRequest({
    want: oid,
    haves,
    shallow: [...(await cache.shallow())],
    depth: haves.length === 0 ? 1 : undefined,
    serverCapabilities: advertised.capabilities,
  });
  const response = await http.post('git-upload-pack', request);
  const { pack, shallow, unshallow } = parseUploadPackResponse(response);
  let objects = 0;
  if (pack) {
    try {
      objects = await cache.addPack(pack);
    } catch (cause) {
      throw new GitProtocolError(`${url} sent a pack that does not index: ${(cause as Error).message}`, {
        cause,
        data: { url, branch },
      });
    }
  }
  if (!cache.has(oid)) throw new GitProtocolError(`${url} sent no ${oid}`, { data: { url, branch } });
  // Like git, a commit is only shallow when the cache lacks one of its parents.
  const boundary: string[] = [];
  for (const commit of shallow) {
    const parents = cache.has(commit) ? parseCommit((await cache.read(commit)).data).parents : [];
    if (parents.some((parent) => !cache.has(parent))) boundary.push(commit);
  }
  await cache.updateShallow(boundary, unshallow);
  await cache.writeRef(tracking, oid);
  log?.info(
    {
      url,
      branch,
      commit: oid,
      objects,
      bytes: response.length,
      ms: Math.round(performance.now() - started),
    },
    'git fetch',
  );
  return oid;
}
