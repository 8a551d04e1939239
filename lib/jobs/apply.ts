/**
 * The apply job of a Kustomization: wait for its dependencies, build the source's files at the
 * current revision, server-side apply in stages, prune what the previous inventory had and this one
 * has not, then check health — re-checking later as a delayed job, never sleeping in a worker.
 * The revision is what the source's ref points to now: a pushed revision in the job is a hint.
 */

import type { ConfigSet, Kustomization } from '../config/index.ts';
import { objectKey, parseDuration } from '../config/index.ts';
import { TerminalError } from '../errors.ts';
import type { Cluster, Inventory, ObjectRef } from '../kube/index.ts';
import { applyObjects, checkHealth, inventoryOf, pruneObjects, refOf, staleObjects } from '../kube/index.ts';
import { requeue } from '../queue/index.ts';
import { readArtifact, resolveSourceRef } from '../source/index.ts';
import { changeSetEvent, finishedMessage } from './apply-events.ts';
import type { ClusterConnections } from './cluster-connections.ts';
import { firstUnreadyDependency } from './dependency-readiness.ts';
import type { ApplyJob } from './job.ts';
import { kustomizeObjects } from './kustomize-objects.ts';
import type { AppliedInventory } from './orphan-inventories.ts';
import { readBuildTree } from './read-build-tree.ts';
import type { JobContext, JobHandler } from './run-job.ts';
import { openIncludes, openSourceRepository } from './source-repository.ts';
import type { StatusSubject } from './status.ts';
import { conditionOf, setCondition } from './status.ts';

export interface ApplyServices {
  gitCacheDir: string;
  clusters: ClusterConnections;
  /** How soon a health check in progress looks again. */
  healthRecheckSeconds?: number;
  /** `--sync-tag`: the git tag moved to each revision applied, as Flux v1's `flux-sync`. */
  syncTag?: string | undefined;
}

interface HealthWait {
  revision: string;
  startedAt: string;
  /** Whether the apply changed anything, for the event the end of the wait sends. */
  changed?: boolean;
}

/** When the apply started and whether it changed anything: what its success event says. */
interface Attempt {
  startedAt: string;
  changed: boolean;
}

export function applyHandler(services: ApplyServices): JobHandler<'apply'> {
  return async (job, ctx) => {
    const config = ctx.config();
    const startedAt = ctx.now().toISOString();
    const k = config.get('Kustomization', job.kustomization.namespace, job.kustomization.name);
    if (!k) return undefined;
    const subject = { kind: 'Kustomization', namespace: k.metadata.namespace, name: k.metadata.name };

    // A dependency not Ready blocks without a fetch; one behind this revision is seen after it.
    const notReady = await firstUnreadyDependency(k, ctx);
    if (notReady) return await waitForDependency(subject, notReady, ctx);
    const { repo, source, include } = await openSource(k, config, services, ctx);
    const { commit, revision } = await resolveSourceRef(repo, source.spec.ref);
    const behind = await firstUnreadyDependency(k, ctx, revision);
    if (behind) return await waitForDependency(subject, behind, ctx);

    const waitKey = `health/${k.metadata.namespace}/${k.metadata.name}`;
    const cluster = services.clusters.for(k, config);
    const pending = (await ctx.state.get<HealthWait>(waitKey))?.value;
    if (pending?.revision === revision && job.revision === `health:${revision}`) {
      return await healthStep(k, job, revision, pending, cluster, ctx, services);
    }

    const files = await readBuildTree(k.spec.path, (paths, optionalPaths) =>
      readArtifact({ repo, commit, ignore: source.spec.ignore, paths, optionalPaths, include }),
    );
    const objects = kustomizeObjects(k, files, config);
    const changes = await applyObjects(cluster, objects, { force: k.spec.force });
    const inventory = inventoryOf(objects);
    const inventoryKey = `inventory/${k.metadata.namespace}/${k.metadata.name}`;
    const previous = (await ctx.state.get<Inventory>(inventoryKey))?.value;
    const pruned = k.spec.prune
      ? await pruneObjects(cluster, staleObjects(previous, inventory), { owner: k.metadata })
      : undefined;
    await ctx.state.put(inventoryKey, { ...inventory, prune: k.spec.prune } satisfies AppliedInventory);

    const changeSet = changeSetEvent(changes, pruned);
    if (changeSet) {
      await ctx.events.publish(
        ctx.events.event(subject, 'info', 'Progressing', changeSet.message, {
          revision,
          ...changeSet.metadata,
        }),
      );
    }
    const attempt = { startedAt, changed: changeSet !== undefined };
    await ctx.status.update(subject, (s) => ({ ...s, lastAttemptedRevision: revision, inventory }));

    const refs = healthRefs(
      k,
      objects.map((o) => refOf(o as Parameters<typeof refOf>[0])),
    );
    if (refs.length === 0) return await applied(k, revision, inventory, attempt, ctx, services);
    const wait = { revision, ...attempt };
    await ctx.state.put(waitKey, wait);
    return await healthStep(k, job, revision, wait, cluster, ctx, services);
  };
}

/**
 * Not applied until the dependency is ready. No requeue: a delayed job would hold this
 * Kustomization's queue group. The dependency wakes this one when it turns ready; the schedule is
 * the fallback.
 */
async function waitForDependency(subject: StatusSubject, dependency: string, ctx: JobContext) {
  const message = `dependency '${dependency}' is not ready`;
  await ctx.status.markFailed(subject, 'DependencyNotReady', message);
  await ctx.events.publish(ctx.events.event(subject, 'info', 'DependencyNotReady', message));
  return undefined;
}

async function healthStep(
  k: Kustomization,
  job: ApplyJob,
  revision: string,
  wait: HealthWait,
  cluster: Cluster,
  ctx: JobContext,
  services: ApplyServices,
) {
  const subject = { kind: 'Kustomization', namespace: k.metadata.namespace, name: k.metadata.name };
  const objects = (await ctx.status.read(subject)) as { inventory?: Inventory } | undefined;
  const all = (objects?.inventory?.entries ?? []).map((e) => refOfInventory(e.id, e.v));
  const results = await checkHealth(cluster, healthRefs(k, all));
  const failed = results.find((r) => r.status === 'failed');
  const progressing = results.find((r) => r.status === 'progressing');
  const timeoutMs = healthTimeoutMs(k);
  const elapsed = ctx.now().getTime() - Date.parse(wait.startedAt);
  const waitKey = `health/${k.metadata.namespace}/${k.metadata.name}`;
  if (failed || (progressing && elapsed >= timeoutMs)) {
    const culprit = (failed ?? progressing) as (typeof results)[number];
    const message = `health check failed for ${culprit.kind}/${culprit.namespace}/${culprit.name}: ${
      failed ? culprit.reason : `timeout after ${Math.round(timeoutMs / 1000)}s: ${culprit.reason}`
    }`;
    await ctx.state.delete(waitKey);
    await ctx.status.markFailed(subject, 'HealthCheckFailed', message);
    await ctx.events.publish(ctx.events.event(subject, 'error', 'HealthCheckFailed', message, { revision }));
    return undefined;
  }
  if (progressing) {
    const message = `health check in progress: ${progressing.kind}/${progressing.name}: ${progressing.reason}`;
    await ctx.status.update(subject, (s, now) => ({
      ...s,
      conditions: setCondition(
        s.conditions,
        { type: 'Reconciling', status: 'True', reason: 'Progressing', message },
        now,
      ),
    }));
    return requeue(services.healthRecheckSeconds ?? 5, { ...job, revision: `health:${revision}` });
  }
  await ctx.state.delete(waitKey);
  const attempt = { startedAt: wait.startedAt, changed: wait.changed ?? false };
  return await applied(k, revision, objects?.inventory, attempt, ctx, services);
}

/**
 * Success: Ready recorded here rather than by runJob, because the Kustomizations waiting on this one
 * are woken next and must find it ready.
 */
async function applied(
  k: Kustomization,
  revision: string,
  inventory: Inventory | undefined,
  attempt: Attempt,
  ctx: JobContext,
  services: ApplyServices,
) {
  const subject = { kind: 'Kustomization', namespace: k.metadata.namespace, name: k.metadata.name };
  const before = await ctx.status.read(subject);
  const news = attempt.changed || before?.lastAppliedRevision !== revision;
  await ctx.status.markReady(subject, 'ReconciliationSucceeded', `Applied revision: ${revision}`, {
    lastAppliedRevision: revision,
    lastAttemptedRevision: revision,
    ...(inventory ? { inventory } : {}),
  });
  if (news) {
    const elapsed = ctx.now().getTime() - Date.parse(attempt.startedAt);
    const message = finishedMessage(elapsed, parseDuration(k.spec.interval));
    await ctx.events.publish(
      ctx.events.event(subject, 'info', 'ReconciliationSucceeded', message, { revision }),
    );
  }
  if (services.syncTag) await moveSyncTag(k, revision, services.syncTag, ctx, services);
  for (const dependent of ctx.config().list('Kustomization')) {
    const waits = (dependent.spec.dependsOn ?? []).some(
      (d) =>
        d.name === k.metadata.name && (d.namespace ?? dependent.metadata.namespace) === k.metadata.namespace,
    );
    if (!waits) continue;
    const { namespace, name } = dependent.metadata;
    const ready = conditionOf(await ctx.status.read({ kind: 'Kustomization', namespace, name }), 'Ready');
    if (ready?.reason === 'DependencyNotReady') {
      await ctx.enqueuer.enqueue(
        { kind: 'apply', kustomization: { namespace, name } },
        { salt: `after:${revision}` },
      );
    }
  }
  return undefined;
}

/** Flux's default: the interval less 30 s, at least 30 s, unless `spec.timeout` says otherwise. */
function healthTimeoutMs(k: Kustomization): number {
  if (k.spec.timeout) return parseDuration(k.spec.timeout);
  return Math.max(30_000, parseDuration(k.spec.interval) - 30_000);
}

/** `wait: true` checks everything applied; `healthChecks` names objects; neither checks nothing. */
function healthRefs(k: Kustomization, applied: readonly ObjectRef[]): ObjectRef[] {
  if (k.spec.wait) return [...applied];
  return (k.spec.healthChecks ?? []).map((h) => ({
    apiVersion: h.apiVersion ?? 'v1',
    kind: h.kind,
    namespace: h.namespace ?? k.metadata.namespace,
    name: h.name,
  }));
}

function refOfInventory(id: string, version: string): ObjectRef {
  const [namespace = '', name = '', group = '', kind = ''] = id.split('_');
  return { apiVersion: group ? `${group}/${version}` : version, kind, namespace, name };
}

/** A marker that did not move is logged, not a failed apply: the cluster has the revision. */
async function moveSyncTag(
  k: Kustomization,
  revision: string,
  tag: string,
  ctx: JobContext,
  services: ApplyServices,
): Promise<void> {
  const commit = revision.slice(revision.lastIndexOf(':') + 1);
  try {
    const config = ctx.config();
    const repo = await openSourceRepository(sourceOf(k, config), config, services.gitCacheDir, ctx.log);
    await repo.moveTag(tag, commit);
  } catch (error) {
    ctx.log.warn({ err: error, kustomization: objectKey(k), tag }, 'the sync tag was not moved');
  }
}

function sourceOf(k: Kustomization, config: ConfigSet) {
  const ref = k.spec.sourceRef;
  const source = config.get('GitRepository', ref.namespace ?? k.metadata.namespace, ref.name);
  if (!source) {
    throw new TerminalError(`${objectKey(k)}: its GitRepository ${ref.name} does not exist`, {
      data: { reason: 'ArtifactFailed' },
    });
  }
  return source;
}

async function openSource(k: Kustomization, config: ConfigSet, services: ApplyServices, ctx: JobContext) {
  const source = sourceOf(k, config);
  const repo = await openSourceRepository(source, config, services.gitCacheDir, ctx.log);
  const include = await openIncludes(source, config, services.gitCacheDir, ctx.log);
  return { repo, source, include };
}
