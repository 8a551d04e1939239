/**
 * Brings one object (a commit, or a tag object and its commit) into the object cache: a shallow
 * (depth 1) fetch the first time, then only the objects the cache lacks, every ref fetched or pushed
 * before serving as a have. Nothing is checked out. v0 or v2, as the remote listing said.
 *
 * Only the first fetch asks for a depth: a `deepen` makes the server send the new head's whole tree
 * whatever we have (measured: 369 KB again for a one-file change of a 3,000-file repository), while
 * haves alone get exactly the commits since and what they changed. The price is a branch rewritten to
 * unrelated history, which arrives with its full history.
 */
import type { Logger } from '../observe/logger.ts';
import { GitProtocolError } from './git-errors.ts';
import { parseCommit } from './git-objects.ts';
import type { ObjectCache } from './object-cache.ts';
import { fetchRequestV2, parseFetchResponseV2 } from './protocol-v2.ts';
import type { RemoteRefs } from './remote-refs.ts';
import type { SmartHttp } from './smart-http.ts';
import { parseUploadPackResponse, uploadPackRequest } from './upload-pack.ts';

/** Every fetch adds a pack; past this many the cache starts over rather than slow every lookup. */
export const MAX_PACKS = 32;

/** A depth git reads as "all of it" (`git fetch --unshallow` sends the same). */
const UNSHALLOW = 2_147_483_647;

export type FetchContext = { url: string; http: SmartHttp; cache: ObjectCache; log?: Logger | undefined };

export type FetchWantOptions = {
  /** What the log line names (`{ branch }`, `{ tag }`, `{ commit }`). */
  subject: Record<string, string>;
  /** Fetch the whole history behind `want`, even when the cache has `want` itself. */
  unshallow?: boolean;
};

/** Fetches `want` unless the cache has it; returns how many objects arrived. */
export async function fetchWant(
  context: FetchContext,
  remote: Pick<RemoteRefs, 'protocol' | 'capabilities'>,
  want: string,
  options: FetchWantOptions,
): Promise<number> {
  const { url, http, cache, log } = context;
  if (cache.has(want) && !options.unshallow) return 0;
  const started = performance.now();
  if (cache.packCount >= MAX_PACKS) await cache.reset();

  const haves = (await cache.refOids()).filter((have) => cache.has(have));
  const request = {
    want,
    haves,
    shallow: [...(await cache.shallow())],
    depth: options.unshallow ? UNSHALLOW : haves.length === 0 ? 1 : undefined,
    serverCapabilities: remote.capabilities,
  };
  const v2 = remote.protocol === 2;
  const response = await http.post(
    'git-upload-pack',
    v2 ? fetchRequestV2(request) : uploadPackRequest(request),
    { protocolV2: v2 },
  );
  const { pack, shallow, unshallow } = v2
    ? parseFetchResponseV2(response)
    : parseUploadPackResponse(response);
  let objects = 0;
  if (pack) {
    try {
      objects = await cache.addPack(pack);
    } catch (cause) {
      throw new GitProtocolError(`${url} sent a pack that does not index: ${(cause as Error).message}`, {
        cause,
        data: { url, ...options.subject },
      });
    }
  }
  if (!cache.has(want))
    throw new GitProtocolError(`${url} sent no ${want}`, { data: { url, ...options.subject } });
  // Like git, a commit is only shallow when the cache lacks one of its parents.
  const boundary: string[] = [];
  for (const commit of shallow) {
    const parents = cache.has(commit) ? parseCommit((await cache.read(commit)).data).parents : [];
    if (parents.some((parent) => !cache.has(parent))) boundary.push(commit);
  }
  await cache.updateShallow(boundary, unshallow);
  log?.info(
    {
      url,
      ...options.subject,
      want,
      protocol: remote.protocol,
      objects,
      bytes: response.length,
      ms: Math.round(performance.now() - started),
    },
    'git fetch',
  );
  return objects;
}
