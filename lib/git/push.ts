/**
 * Pushes a commit as `git push` would, minus the working tree: learn where the remote's refs are, refuse
 * locally what would not fast-forward (as git's "fetch first"), send a pack of only the objects ferry
 * wrote (as deltas against their previous versions where that is smaller: a thin pack, like git's), and
 * let the remote compare-and-swap each ref against the oid we saw. A race lost at any point
 * is a NonFastForwardError, so the caller re-fetches and re-applies; nothing is forced unless asked.
 */
import type { Logger } from '../observe/logger.ts';
import { GitConfigError, GitProtocolError, GitPushRejectedError, NonFastForwardError } from './git-errors.ts';
import { isTree, parseCommit } from './git-objects.ts';
import type { ObjectCache } from './object-cache.ts';
import type { PackEntry } from './pack-writer.ts';
import { writePack } from './pack-writer.ts';
import { commitTree, readTreeEntries } from './read-tree.ts';
import type { RefUpdate } from './receive-pack.ts';
import { parseReceivePackResponse, receivePackRequest, ZERO_OID } from './receive-pack.ts';
import type { SmartHttp } from './smart-http.ts';

export type PushOptions = {
  commit: string;
  /** The branch to update, created when the remote does not have it. */
  branch: string;
  /**
   * Pushed in the same request, as Flux pushes `spec.git.push.refspec` besides the branch:
   * `HEAD:refs/for/main`, `refs/heads/main:refs/heads/auto-update`. `HEAD` and `branch` name `commit`;
   * another branch names the head we last fetched of it. A leading `+` forces that ref.
   */
  refspec?: string | undefined;
  /** Overwrite the branch even when it does not fast-forward; the oid we saw still guards the swap. */
  force?: boolean | undefined;
};

export type PushContext = {
  url: string;
  http: SmartHttp;
  cache: ObjectCache;
  log?: Logger | undefined;
  /** The head we last fetched of a branch, for a refspec whose source names another branch. */
  fetchedHead(branch: string): Promise<string | undefined>;
};

/** Reasons receive-pack gives when the ref was not where we expected: a race, worth a re-fetch. */
const RACE =
  /non-fast-forward|fetch first|stale info|failed to (update|lock)|cannot lock|atomic transaction|already exists|incorrect old value/i;

export async function pushCommit(context: PushContext, options: PushOptions): Promise<void> {
  const { url, http, cache, log } = context;
  const started = performance.now();
  const advertised = await http.advertise('git-receive-pack');
  const wanted = [
    { ref: `refs/heads/${options.branch}`, oid: options.commit, force: options.force === true },
  ];
  if (options.refspec) wanted.push(await resolveRefspec(context, options));

  const updates: RefUpdate[] = [];
  for (const { ref, oid, force } of wanted) {
    const old = advertised.refs.get(ref) ?? ZERO_OID;
    if (old === oid || updates.some((u) => u.ref === ref)) continue;
    if (!force && old !== ZERO_OID && !(await isAncestor(cache, old, oid))) {
      throw new NonFastForwardError(
        `${ref} on ${url} moved to ${old.slice(0, 12)}; ${oid.slice(0, 12)} does not descend from it`,
        {
          data: { url, ref, remote: old, commit: oid },
        },
      );
    }
    updates.push({ ref, old, new: oid });
  }
  if (updates.length === 0) {
    log?.debug({ url, branch: options.branch }, 'git push: the remote is up to date');
    return;
  }
  await sendUpdates(context, advertised, updates, started);
}

/**
 * Points `refs/tags/<tag>` at `commit`, a commit the remote already has, wherever the tag was: the
 * sync marker of Flux v1 (`flux-sync`), which records the last revision applied.
 */
export async function moveTag(context: PushContext, tag: string, commit: string): Promise<void> {
  const started = performance.now();
  const advertised = await context.http.advertise('git-receive-pack');
  const ref = `refs/tags/${tag}`;
  const old = advertised.refs.get(ref) ?? ZERO_OID;
  if (old === commit) return;
  await sendUpdates(context, advertised, [{ ref, old, new: commit }], started);
}

type Advertised = Awaited<ReturnType<SmartHttp['advertise']>>;

async function sendUpdates(
  context: PushContext,
  advertised: Advertised,
  updates: RefUpdate[],
  started: number,
): Promise<void> {
  const { url, http, cache, log } = context;
  const objects = await objectsToSend(
    cache,
    updates.map((u) => u.new),
    new Set(advertised.refs.values()),
  );
  // A server that advertises no-thin wants every object whole.
  const thin = !advertised.capabilities.has('no-thin');
  const pack = writePack(thin ? objects : objects.map((object) => ({ ...object, base: undefined })));
  const response = await http.post(
    'git-receive-pack',
    receivePackRequest(updates, pack, advertised.capabilities),
  );
  const report = parseReceivePackResponse(response, advertised.capabilities.has('side-band-64k'));
  if (report.unpack !== 'ok') {
    throw new GitProtocolError(`${url} could not unpack the push: ${report.unpack}`, { data: { url } });
  }
  if (report.rejected.size > 0) throw rejection(url, report.rejected, report.messages);

  for (const update of updates) {
    if (update.ref.startsWith('refs/heads/')) {
      await cache.writeRef(`refs/remotes/origin/${update.ref.slice('refs/heads/'.length)}`, update.new);
    }
  }
  log?.info(
    {
      url,
      refs: updates.map((u) => u.ref),
      objects: objects.length,
      bytes: pack.length,
      ms: Math.round(performance.now() - started),
    },
    'git push',
  );
}

async function resolveRefspec(
  context: PushContext,
  options: PushOptions,
): Promise<{ ref: string; oid: string; force: boolean }> {
  const spec = options.refspec!;
  const force = spec.startsWith('+');
  const [src = '', dst = src] = (force ? spec.slice(1) : spec).split(':');
  if (src === '' || dst === '') {
    throw new GitConfigError(
      `refspec ${JSON.stringify(spec)} has no source or destination (deletions are not supported)`,
    );
  }
  const shortSrc = src.replace(/^refs\/heads\//, '');
  const oid =
    src === 'HEAD' || shortSrc === options.branch ? options.commit : await context.fetchedHead(shortSrc);
  if (!oid)
    throw new GitConfigError(
      `refspec ${JSON.stringify(spec)}: ${src} is neither HEAD, the push branch nor a fetched branch`,
    );
  return { ref: dst.startsWith('refs/') ? dst : `refs/heads/${dst}`, oid, force };
}

/** Whether `ancestor` is `commit` or reachable from it within the history the cache holds. */
export async function isAncestor(cache: ObjectCache, ancestor: string, commit: string): Promise<boolean> {
  const queue = [commit];
  const seen = new Set<string>();
  while (queue.length > 0 && seen.size < 10_000) {
    const oid = queue.shift()!;
    if (oid === ancestor) return true;
    if (seen.has(oid) || !cache.has(oid)) continue;
    seen.add(oid);
    queue.push(...parseCommit((await cache.read(oid)).data).parents);
  }
  return false;
}

/**
 * The objects the remote lacks: every commit ferry wrote (local) that the remote does not advertise,
 * with the trees and blobs that differ from its first parent, each paired with its previous version at
 * the same path as a delta base. Walking stops at fetched commits.
 */
export async function objectsToSend(
  cache: ObjectCache,
  tips: readonly string[],
  remoteHas: ReadonlySet<string>,
): Promise<PackEntry[]> {
  const out = new Map<string, PackEntry>();
  const add = async (oid: string, base: string | undefined) => {
    if (out.has(oid)) return;
    const object = await cache.read(oid);
    out.set(oid, { ...object, base: base ? { oid: base, data: (await cache.read(base)).data } : undefined });
  };
  const newTrees = async (oid: string, base: string | undefined): Promise<void> => {
    if (oid === base || out.has(oid)) return;
    await add(oid, base);
    const before = new Map((base ? await readTreeEntries(cache, base) : []).map((e) => [e.name, e]));
    for (const entry of await readTreeEntries(cache, oid)) {
      const old = before.get(entry.name);
      if (old?.oid === entry.oid || entry.mode === '160000') continue;
      if (isTree(entry)) await newTrees(entry.oid, old && isTree(old) ? old.oid : undefined);
      else await add(entry.oid, old && !isTree(old) && old.mode !== '160000' ? old.oid : undefined);
    }
  };
  const queue = [...tips];
  const seen = new Set<string>();
  while (queue.length > 0) {
    const oid = queue.pop()!;
    if (seen.has(oid) || remoteHas.has(oid) || !cache.isLocal(oid)) continue;
    seen.add(oid);
    await add(oid, undefined);
    const { tree, parents } = parseCommit(out.get(oid)!.data);
    const parent = parents[0];
    await newTrees(tree, parent && cache.has(parent) ? await commitTree(cache, parent) : undefined);
    queue.push(...parents);
  }
  return [...out.values()];
}

function rejection(url: string, rejected: Map<string, string>, messages: string[]): Error {
  const refs = [...rejected].map(([ref, reason]) => `${ref} (${reason})`).join(', ');
  const data = {
    url,
    refs: [...rejected.keys()],
    reasons: [...rejected.values()],
    remote: messages.slice(0, 5),
  };
  if ([...rejected.values()].every((reason) => RACE.test(reason))) {
    return new NonFastForwardError(`${url} rejected the push, a ref moved: ${refs}`, { data });
  }
  return new GitPushRejectedError(`${url} rejected the push: ${refs}`, { data });
}
