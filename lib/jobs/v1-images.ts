/**
 * Flux v1 automated workloads: each container's tag filter resolved against the stored tags of its
 * image. An image ferry has no tags for yet is registered as watched by the automation and scanned;
 * the scan comes back with an update job once it has tags. glob/regex filters pick the newest image
 * by creation time, as fluxd did, so those times are read from the registry once per tag and kept.
 */
import { v1TagFilter } from '../policy/index.ts';
import type { RegistryClient } from '../registry/index.ts';
import { parseImageReference } from '../registry/index.ts';
import type { V1Target } from '../update/index.ts';
import { registryAccessFor } from './image-access.ts';
import { addImageWatcher, readImageTags } from './image-state.ts';
import type { JobContext } from './run-job.ts';

export interface V1Resolution {
  /** Target key → the new image reference, for `updateFiles`. */
  references: Map<string, string>;
  /** Canonical images that have no tags yet; a scan was requested for each. */
  pending: string[];
}

const createdKey = (image: string) => `created/${image}`;

/**
 * `rescanAfterMs`: stored tags older than this are refreshed by a scan (the automation's interval),
 * which is how images with no ImageRepository get their scheduled scan.
 */
export async function resolveV1Targets(
  targets: readonly V1Target[],
  automation: string,
  registry: RegistryClient,
  ctx: JobContext,
  rescanAfterMs = Number.POSITIVE_INFINITY,
): Promise<V1Resolution> {
  const references = new Map<string, string>();
  const pending = new Set<string>();
  const stale = new Set<string>();
  for (const target of targets) {
    if (target.locked) continue;
    const reference = parseImageReference(target.image);
    await addImageWatcher(ctx.state, reference.canonical, automation);
    const stored = await readImageTags(ctx.state, reference.canonical);
    if (!stored) {
      pending.add(reference.canonical);
      continue;
    }
    if (ctx.now().getTime() - Date.parse(stored.listedAt) >= rescanAfterMs) stale.add(reference.canonical);
    const filter = v1TagFilter(target.tagFilter);
    const matching = stored.tags.filter((t) => filter.matches(t));
    const created =
      target.filter.kind === 'semver'
        ? {}
        : await creationTimes(reference.canonical, matching, registry, ctx);
    const tag = filter.latest(
      matching.map((t) => ({ tag: t, ...(created[t] ? { createdAt: created[t] } : {}) })),
    );
    if (tag !== undefined && tag !== reference.tag)
      references.set(target.key, `${withoutTag(target.image)}:${tag}`);
  }
  for (const image of [...pending, ...stale]) {
    await ctx.enqueuer.enqueue(
      { kind: 'scan-image', image },
      { salt: `v1:${automation}:${ctx.now().getTime()}` },
    );
  }
  return { references, pending: [...pending] };
}

/** The reference as written, less its tag and digest: the name stays in the user's spelling. */
export function withoutTag(image: string): string {
  const name = image.replace(/@.*$/, '');
  const colon = name.lastIndexOf(':');
  return colon > name.lastIndexOf('/') ? name.slice(0, colon) : name;
}

async function creationTimes(
  image: string,
  tags: readonly string[],
  registry: RegistryClient,
  ctx: JobContext,
): Promise<Record<string, string>> {
  const stored = (await ctx.state.get<Record<string, string>>(createdKey(image)))?.value ?? {};
  const missing = tags.filter((t) => stored[t] === undefined);
  if (missing.length === 0) return stored;
  const access = await registryAccessFor(image, ctx.config());
  const request = {
    insecure: access.insecure,
    ...(access.credentials ? { credentials: access.credentials } : {}),
  };
  const next = { ...stored };
  for (const tag of missing) {
    const created = await registry.imageCreatedAt(access.image, tag, request);
    if (created) next[tag] = created.toISOString();
  }
  await ctx.state.put(createdKey(image), next);
  return next;
}
