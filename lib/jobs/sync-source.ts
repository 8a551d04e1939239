/**
 * The sync-source job of a GitRepository: resolve its ref to a commit (Flux's precedence), record
 * the artifact revision, and when it moved, ask every Kustomization of the source to apply it, in
 * dependsOn order. A pushed sha in the job is only a hint: what the ref points to now is what counts.
 */
import type { ConfigSet, GitRepository } from '../config/index.ts';
import { isSuspended } from '../config/index.ts';
import { resolveSourceRef } from '../source/index.ts';
import { dependencyOrder } from './dependency-order.ts';
import type { JobHandler } from './run-job.ts';
import { openSourceRepository } from './source-repository.ts';
import type { ObjectStatus } from './status.ts';

export interface SourceServices {
  /** Where git object caches live (under the state directory, or /tmp in Lambda). */
  gitCacheDir: string;
}

export interface Artifact {
  revision: string;
  lastUpdateTime: string;
}

export function syncSourceHandler(services: SourceServices): JobHandler<'sync-source'> {
  return async (job, ctx) => {
    const config = ctx.config();
    const source = config.get('GitRepository', job.gitRepository.namespace, job.gitRepository.name);
    if (!source) return undefined;
    const repo = await openSourceRepository(source, config, services.gitCacheDir, ctx.log);
    const { revision } = await resolveSourceRef(repo, source.spec.ref);
    const subject = {
      kind: 'GitRepository',
      namespace: source.metadata.namespace,
      name: source.metadata.name,
    };
    const previous = (await ctx.status.read(subject)) as (ObjectStatus & { artifact?: Artifact }) | undefined;
    const moved = previous?.artifact?.revision !== revision;
    const artifact = moved ? { revision, lastUpdateTime: ctx.now().toISOString() } : previous?.artifact;
    const message = `stored artifact for revision '${revision}'`;
    if (!moved) {
      const upToDate = `artifact up-to-date with remote revision: '${revision}'`;
      await ctx.events.record(ctx.events.event(subject, 'info', 'ArtifactUpToDate', upToDate, { revision }));
    }
    if (moved) {
      await ctx.events.publish(ctx.events.event(subject, 'info', 'NewArtifact', message, { revision }));
      for (const kustomization of kustomizationsOf(source, config)) {
        const { namespace, name } = kustomization.metadata;
        await ctx.enqueuer.enqueue({ kind: 'apply', kustomization: { namespace, name }, revision });
      }
    }
    return { reason: 'Succeeded', message, status: { artifact } };
  };
}

/**
 * The Kustomizations that apply this source, or a source that includes it (its files are part of
 * theirs), dependencies first.
 */
function kustomizationsOf(source: GitRepository, config: ConfigSet) {
  const { namespace } = source.metadata;
  const sources = new Set([
    source.metadata.name,
    ...config
      .list('GitRepository')
      .filter(
        (g) =>
          g.metadata.namespace === namespace &&
          (g.spec.include ?? []).some((i) => i.repository.name === source.metadata.name),
      )
      .map((g) => g.metadata.name),
  ]);
  return dependencyOrder(
    config
      .list('Kustomization')
      .filter(
        (k) =>
          !isSuspended(k) &&
          sources.has(k.spec.sourceRef.name) &&
          (k.spec.sourceRef.namespace ?? k.metadata.namespace) === namespace,
      ),
  );
}
