/**
 * After a scan: the tags each ImageRepository keeps (its exclusionList applied), then every
 * ImagePolicy of those repositories evaluated, its status recorded as Flux records it (latestRef,
 * observedPreviousRef) and an event when the latest image moved. A policy that cannot decide fails
 * alone; the others of the image still count.
 */
import { RE2JS } from 're2js';
import type { ConfigSet, ImagePolicy, ImageRepository } from '../config/index.ts';
import { DEFAULT_EXCLUSION_LIST, objectKey } from '../config/index.ts';
import { createPolicy, PolicyError, shouldReflectDigest } from '../policy/index.ts';
import type { ImageTags } from './image-state.ts';
import type { JobContext } from './run-job.ts';
import type { ObjectStatus } from './status.ts';

export interface LatestRef {
  name: string;
  tag: string;
  digest?: string;
}

/** The tags of an image an ImageRepository keeps, in listing order. */
export function repositoryTags(repo: ImageRepository, tags: readonly string[]): string[] {
  const exclusions = (repo.spec.exclusionList ?? DEFAULT_EXCLUSION_LIST).map((p) => RE2JS.compile(p));
  return tags.filter((tag) => !exclusions.some((re) => re.matcher(tag).find()));
}

/** Flux's lastScanResult.latestTags: the ten highest tags in reverse string order. */
export function latestTags(tags: readonly string[]): string[] {
  return [...tags].sort((a, b) => (a < b ? 1 : a > b ? -1 : 0)).slice(0, 10);
}

export function policiesOfRepositories(repos: readonly ImageRepository[], config: ConfigSet): ImagePolicy[] {
  const keys = new Set(repos.map(objectKey));
  return config.list('ImagePolicy').filter((p) => {
    const ref = p.spec.imageRepositoryRef;
    return keys.has(`ImageRepository/${ref.namespace ?? p.metadata.namespace}/${ref.name}`);
  });
}

export interface EvaluateInput {
  repos: readonly ImageRepository[];
  tags: ImageTags;
  /** Each repository's tags after its exclusionList (repositoryTags), computed once per scan. */
  kept: ReadonlyMap<ImageRepository, readonly string[]>;
  /** One manifest HEAD for a tag's digest, when digest reflection asks for it. */
  resolveDigest: (tag: string) => Promise<string | undefined>;
}

/** Evaluates the policies of the repositories; returns those whose latest image changed. */
export async function evaluatePolicies(input: EvaluateInput, ctx: JobContext): Promise<ImagePolicy[]> {
  const config = ctx.config();
  const changed: ImagePolicy[] = [];
  for (const policy of policiesOfRepositories(input.repos, config)) {
    if (policy.spec.suspend) continue;
    const ref = policy.spec.imageRepositoryRef;
    const repo = input.repos.find(
      (r) =>
        r.metadata.name === ref.name && r.metadata.namespace === (ref.namespace ?? policy.metadata.namespace),
    ) as ImageRepository;
    const subject = { kind: 'ImagePolicy', namespace: policy.metadata.namespace, name: policy.metadata.name };
    const involved = { kind: 'ImagePolicy', namespace: subject.namespace, name: subject.name };
    const previous = (await ctx.status.read(subject)) as
      | (ObjectStatus & { latestRef?: LatestRef })
      | undefined;
    let tag: string | undefined;
    try {
      tag = createPolicy(policy.spec.policy, policy.spec.filterTags).latest(input.kept.get(repo) ?? []);
    } catch (error) {
      if (!(error instanceof PolicyError)) throw error;
      await ctx.status.markStalled(subject, 'InvalidPolicy', error.message);
      await ctx.events.publish(ctx.events.event(involved, 'error', 'InvalidPolicy', error.message));
      continue;
    }
    if (tag === undefined) {
      const message = `no tag of ${repo.spec.image} matches the policy (${input.tags.tags.length} tags scanned)`;
      await ctx.status.markFailed(subject, 'ReconciliationFailed', message);
      continue;
    }
    const name = repo.spec.image;
    const before = previous?.latestRef?.name === name ? previous.latestRef : undefined;
    let digest: string | undefined;
    if (shouldReflectDigest(policy.spec.digestReflectionPolicy, before, tag)) {
      digest = input.tags.digests[tag] ?? (await input.resolveDigest(tag));
    } else if (policy.spec.digestReflectionPolicy !== 'Never') {
      digest = before?.digest;
    }
    const latestRef: LatestRef = { name, tag, ...(digest ? { digest } : {}) };
    const moved = JSON.stringify(latestRef) !== JSON.stringify(previous?.latestRef);
    const fields = {
      latestRef,
      ...(moved && previous?.latestRef ? { observedPreviousRef: previous.latestRef } : {}),
    };
    await ctx.status.markReady(
      subject,
      'Succeeded',
      `Latest image tag for ${name} resolved to ${tag}`,
      fields,
    );
    if (moved) {
      changed.push(policy);
      const from = previous?.latestRef ? ` from ${previous.latestRef.tag}` : '';
      const message = `Latest image tag for '${name}' updated${from} to ${tag}`;
      await ctx.events.publish(
        ctx.events.event(involved, 'info', 'Succeeded', message, { tag, image: name }),
      );
    }
  }
  return changed;
}
