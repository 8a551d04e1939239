/**
 * What a git push asks for, whoever sent it: a `sync-source` job for each GitRepository among the
 * Receiver's resources that fetches the pushed repository and follows the pushed ref. Senders only
 * read their payload into `GitPush`es; the rules of which GitRepository a push wakes live here once.
 *
 * A GitRepository the Receiver names explicitly is synced whatever its URL, as Flux reconciles every
 * listed resource (a mirror, or an https URL for a repository the sender reports by another name);
 * one selected by `*` must fetch the pushed repository, so that one Receiver can serve a namespace
 * of many repositories. Either way it must follow the pushed ref: a push to a branch nobody follows
 * changes nothing.
 */
import type { GitRepository, GitRepositoryRef, Receiver } from '../config/index.ts';
import type { SyncSourceJob } from '../jobs/job.ts';
import type { ReceiverOutcome, ReceiverRequest } from './receiver-handler.ts';
import { ReceiverPayloadError } from './receiver-handler.ts';
import { resolveResources } from './resources.ts';

export interface GitPush {
  /** Every address the sender gives for the repository: clone URLs (https, ssh, scp-like) and web. */
  repositoryUrls: string[];
  /** The full ref name: `refs/heads/main`, `refs/tags/v1.2.3`. */
  ref: string;
  /** The commit the ref points to after the push; absent or all zeros when the ref was deleted. */
  sha?: string | null;
}

/**
 * The address of a repository as `host/path`, lower case, without scheme, user, port or `.git`,
 * so that the https, ssh and scp-like forms of one repository compare equal. Paths are lowered too:
 * GitHub, GitLab, Bitbucket and Gitea all route repository paths without regard to case.
 */
export function normaliseGitUrl(url: string): string | undefined {
  const value = url.trim();
  const scp = /^(?:[^@/\s]+@)?([^:/\s]+):(?!\/\/)(.+)$/.exec(value);
  let host: string;
  let path: string;
  if (scp && !/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
    [, host = '', path = ''] = scp;
  } else {
    try {
      const parsed = new URL(value);
      host = parsed.hostname;
      path = decodeURIComponent(parsed.pathname);
    } catch {
      return undefined;
    }
  }
  const trimmed = path
    .replace(/^\/+|\/+$/g, '')
    .replace(/\.git$/i, '')
    .replace(/\/+$/, '');
  if (host === '' || trimmed === '') return undefined;
  return `${host}/${trimmed}`.toLowerCase();
}

/** A sha of all zeros is how every sender reports a deleted ref. */
export function isDeletion(sha: string | null | undefined): boolean {
  return sha === undefined || sha === null || sha === '' || /^0+$/.test(sha);
}

/**
 * Whether a GitRepository with this `ref` follows a push of `pushedRef`, in Flux's precedence:
 * a commit pins it (no push moves it), a full `name` compares exactly, any tag push may change a
 * semver range's pick, a tag compares by name, and a branch (`master` when none is set) by name.
 * Returns the revision's name part as Flux writes it, or undefined when the push is not followed.
 */
export function followedRef(ref: GitRepositoryRef | undefined, pushedRef: string): string | undefined {
  const tag = pushedRef.startsWith('refs/tags/') ? pushedRef.slice('refs/tags/'.length) : undefined;
  const branch = pushedRef.startsWith('refs/heads/') ? pushedRef.slice('refs/heads/'.length) : undefined;
  if (ref?.commit) return undefined;
  if (ref?.name) return ref.name === pushedRef ? pushedRef : undefined;
  if (ref?.semver) return tag;
  if (ref?.tag) return ref.tag === tag ? tag : undefined;
  const followed = ref?.branch || 'master';
  return followed === branch ? branch : undefined;
}

/** Flux's revision form, `<ref>@sha1:<sha>` (`sha256` for a SHA-256 repository). */
export function revisionOf(name: string, sha: string): string {
  return `${name}@${sha.length === 64 ? 'sha256' : 'sha1'}:${sha.toLowerCase()}`;
}

/**
 * Refuses an event the Receiver's `events` does not list, as Flux does; names compare without
 * regard to case. An empty list accepts every event.
 */
export function requireListedEvent(receiver: Receiver, event: string, sender: string): void {
  const accepted = receiver.spec.events ?? [];
  if (accepted.length > 0 && !accepted.some((e) => e.toLowerCase() === event.toLowerCase())) {
    throw new ReceiverPayloadError(`${sender}: the event ${event} is not among the Receiver's events`, {
      data: { sender, event },
    });
  }
}

/** The sync jobs a sender's pushes ask for, with the answer for its delivery log. */
export function gitPushOutcome(
  request: Pick<ReceiverRequest, 'receiver' | 'config'>,
  pushes: readonly GitPush[],
): ReceiverOutcome {
  if (pushes.length === 0) return { jobs: [], message: 'nothing to sync: the push changed no ref' };
  const live = pushes.filter((p) => !isDeletion(p.sha));
  const refs = pushes.map((p) => p.ref).join(', ');
  if (live.length === 0) return { jobs: [], message: `nothing to sync: ${refs} deleted` };
  const revisions = new Map<string, { repository: GitRepository; revisions: string[] }>();
  for (const { repository, explicit } of gitRepositoriesOf(request)) {
    const key = `${repository.metadata.namespace}/${repository.metadata.name}`;
    const fetched = normaliseGitUrl(repository.spec.url);
    for (const push of live) {
      const sameRepository = push.repositoryUrls.some((u) => normaliseGitUrl(u) === fetched);
      if (!explicit && !sameRepository) continue;
      const name = followedRef(repository.spec.ref, push.ref);
      if (name === undefined) continue;
      const entry = revisions.get(key) ?? { repository, revisions: [] };
      entry.revisions.push(revisionOf(name, push.sha!));
      revisions.set(key, entry);
    }
  }
  const jobs: SyncSourceJob[] = [...revisions.values()].map(({ repository, revisions: r }) => ({
    kind: 'sync-source',
    gitRepository: { namespace: repository.metadata.namespace, name: repository.metadata.name },
    // Two refs of one push for one GitRepository (tags under a semver range): no single hint is right.
    ...(r.length === 1 ? { revision: r[0] } : {}),
  }));
  if (jobs.length === 0) return { jobs, message: `nothing to sync: no GitRepository follows ${refs}` };
  const names = [...revisions.keys()].join(', ');
  return { jobs, message: `sync requested for ${jobs.length} GitRepository(ies): ${names}` };
}

/** The Receiver's GitRepositories, each once, marked when some resource names it explicitly. */
function gitRepositoriesOf({ receiver, config }: Pick<ReceiverRequest, 'receiver' | 'config'>) {
  const found = new Map<string, { repository: GitRepository; explicit: boolean }>();
  for (const resource of receiver.spec.resources) {
    if (resource.kind !== 'GitRepository') continue;
    const one = { ...receiver, spec: { ...receiver.spec, resources: [resource] } };
    for (const o of resolveResources(one, config).objects) {
      if (o.kind !== 'GitRepository') continue;
      const key = `${o.metadata.namespace}/${o.metadata.name}`;
      const explicit = resource.name !== '*' || (found.get(key)?.explicit ?? false);
      found.set(key, { repository: o, explicit });
    }
  }
  return found.values();
}
