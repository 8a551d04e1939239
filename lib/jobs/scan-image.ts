/**
 * The scan-image job: tags of one image, then every policy that watches it, then the automations
 * whose images moved. A webhook's hint is confirmed with one manifest HEAD and added to the stored
 * tags, no full listing; a scheduled or first scan lists everything.
 */
import type { ImageRepository } from '../config/index.ts';
import { isSuspended, objectKey } from '../config/index.ts';
import type { EcrTokenSource, RegistryAccess, RegistryClient } from '../registry/index.ts';
import { automationsOf } from './automation-scope.ts';
import { registryAccessFor, repositoriesOf } from './image-access.ts';
import { evaluatePolicies, latestTags, repositoryTags } from './image-policies.ts';
import type { ImageTags } from './image-state.ts';
import { readImageTags, readImageWatchers, writeImageTags } from './image-state.ts';
import type { ScanImageJob } from './job.ts';
import type { JobContext, JobHandler } from './run-job.ts';
import { updateGroup } from './update-group.ts';

export interface ImageServices {
  registry: RegistryClient;
  ecr?: EcrTokenSource;
}

export function scanImageHandler(services: ImageServices): JobHandler<'scan-image'> {
  return async (job, ctx) => {
    const config = ctx.config();
    const repos = repositoriesOf(job.image, config);
    const watchers = await readImageWatchers(ctx.state, job.image);
    if (repos.length === 0 && watchers.length === 0) {
      ctx.log.info('nothing watches this image; scan skipped');
      return undefined;
    }
    const access = await registryAccessFor(job.image, config, services.ecr);
    const previous = await readImageTags(ctx.state, job.image);
    const tags = await scanTags(job, previous, access, services.registry, ctx);
    if (tags !== previous) await writeImageTags(ctx.state, tags);

    const kept = new Map(repos.map((repo) => [repo, repositoryTags(repo, tags.tags)]));
    await recordScans(kept, tags, ctx);
    const resolveDigest = async (tag: string) =>
      (await services.registry.resolveTag(access.image, tag, requestOf(access, ctx)))?.digest;
    const moved = await evaluatePolicies({ repos, tags, kept, resolveDigest }, ctx);

    const automations = new Map(automationsOf(moved, config).map((a) => [objectKey(a), a]));
    if (tags.tags.length !== (previous?.tags.length ?? 0)) {
      for (const key of watchers) {
        const [namespace = '', name = ''] = key.split('/');
        const automation = config.get('ImageUpdateAutomation', namespace, name);
        if (automation && !isSuspended(automation)) automations.set(objectKey(automation), automation);
      }
    }
    for (const automation of automations.values()) {
      const { namespace, name } = automation.metadata;
      await ctx.enqueuer.enqueue(
        { kind: 'update', automation: { namespace, name } },
        {
          group: updateGroup(automation, config),
          salt: `scan:${job.image}:${tags.listedAt}:${tags.tags.length}`,
        },
      );
    }
    ctx.log.info(
      { tags: tags.tags.length, policiesMoved: moved.length, updates: automations.size },
      'image scanned',
    );
    return undefined;
  };
}

function requestOf(access: RegistryAccess, ctx: JobContext) {
  return {
    insecure: access.insecure,
    signal: ctx.signal,
    ...(access.credentials ? { credentials: access.credentials } : {}),
  };
}

/** The stored tags with a confirmed hint added, or a full listing; the same object when nothing changed. */
async function scanTags(
  job: ScanImageJob,
  previous: ImageTags | undefined,
  access: RegistryAccess,
  registry: RegistryClient,
  ctx: JobContext,
): Promise<ImageTags> {
  const request = requestOf(access, ctx);
  if (job.hintTag !== undefined && previous) {
    const resolved = await registry.resolveTag(access.image, job.hintTag, request);
    if (!resolved) {
      ctx.log.warn({ tag: job.hintTag }, 'pushed tag not found in the registry; hint ignored');
      return previous;
    }
    if (previous.tags.includes(job.hintTag) && previous.digests[job.hintTag] === resolved.digest)
      return previous;
    return {
      ...previous,
      tags: previous.tags.includes(job.hintTag) ? previous.tags : [...previous.tags, job.hintTag],
      digests: { ...previous.digests, [job.hintTag]: resolved.digest },
    };
  }
  let pages = 0;
  const tags = await registry.listTags(access.image, {
    ...request,
    onProgress: (count) => {
      if (++pages % 10 === 0) ctx.log.info({ tags: count, pages }, 'listing tags');
    },
  });
  const listedAt = ctx.now().toISOString();
  // Digests of tags that are still there stay valid hints for digest reflection.
  const digests = Object.fromEntries(
    Object.entries(previous?.digests ?? {}).filter(([tag]) => tags.includes(tag)),
  );
  return { image: job.image, tags, digests, listedAt };
}

async function recordScans(
  keptTags: ReadonlyMap<ImageRepository, readonly string[]>,
  tags: ImageTags,
  ctx: JobContext,
): Promise<void> {
  const scanTime = ctx.now().toISOString();
  for (const [repo, kept] of keptTags) {
    const subject = { kind: 'ImageRepository', namespace: repo.metadata.namespace, name: repo.metadata.name };
    await ctx.status.markReady(subject, 'Succeeded', `successful scan: found ${kept.length} tags`, {
      canonicalImageName: tags.image,
      lastScanResult: { tagCount: kept.length, scanTime, latestTags: latestTags(kept) },
    });
  }
}
