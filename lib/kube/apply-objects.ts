import type { KubernetesObject } from '@kubernetes/client-node';
import { PatchStrategy } from '@kubernetes/client-node';
import { forceEnabled, ssaPolicyOf } from './annotations.ts';
import { applyStages, isCrd } from './apply-stages.ts';
import type { ChangeAction, ChangeEntry, ChangeSet } from './change-set.ts';
import { changeSetOf } from './change-set.ts';
import type { Cluster } from './connect-cluster.ts';
import { waitForEstablished } from './crd-established.ts';
import { isImmutableFieldError, kubeErrorFor } from './kube-errors.ts';
import { LiveObjects } from './live-objects.ts';
import { settleLimited, valuesOrThrow } from './map-limit.ts';
import { describeRef, headerOf, refOf } from './object-ref.ts';

export interface ApplyOptions {
  /** The field manager ferry applies as; Flux's controller uses its own name the same way. */
  fieldManager?: string;
  /** Take fields other managers own, and recreate objects whose immutable fields changed. */
  force?: boolean;
  /**
   * Ask the server what would change without changing anything. CRDs are not created, so custom
   * resources of a CRD new in this batch fail as unknown kinds.
   */
  dryRun?: boolean;
  /** Requests in flight at once. */
  concurrency?: number;
  /** How long CRDs of the first stage may take to become Established. */
  crdTimeoutMs?: number;
}

/** Server fields that change without the object changing, left out when comparing a dry run. */
const VOLATILE_META = ['resourceVersion', 'managedFields', 'generation', 'creationTimestamp', 'uid'];

function comparable(object: KubernetesObject): string {
  const { metadata, status: _status, ...rest } = object as KubernetesObject & { status?: unknown };
  const meta: Record<string, unknown> = { ...metadata };
  for (const key of VOLATILE_META) delete meta[key];
  return JSON.stringify({ ...rest, metadata: meta }, (_key, value) =>
    value && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date)
      ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)))
      : value,
  );
}

/** A copy client-node may fill in (it sets the default namespace on the spec it is given). */
function copyOf(object: KubernetesObject): KubernetesObject {
  return { ...object, metadata: { ...object.metadata } };
}

async function applyOne(
  cluster: Cluster,
  liveObjects: LiveObjects,
  object: KubernetesObject,
  options: Required<Omit<ApplyOptions, 'concurrency' | 'crdTimeoutMs'>>,
): Promise<ChangeEntry> {
  const policy = ssaPolicyOf(object);
  const ref = refOf(object);
  const entry = (action: ChangeAction, from?: KubernetesObject): ChangeEntry => ({
    ...ref,
    namespace: from?.metadata?.namespace ?? ref.namespace,
    action,
  });
  if (policy === 'Ignore') return entry('skipped');
  const live = await liveObjects.get(ref);
  if (live && (policy === 'IfNotPresent' || ssaPolicyOf(live) === 'Ignore')) return entry('skipped', live);
  const force = options.force || forceEnabled(object);
  const dryRun = options.dryRun ? 'All' : undefined;
  const apply = () =>
    cluster.api.patch(
      copyOf(object),
      undefined,
      dryRun,
      options.fieldManager,
      force,
      PatchStrategy.ServerSideApply,
    );
  let applied: KubernetesObject;
  try {
    applied = await apply();
  } catch (error) {
    if (!(force && live && isImmutableFieldError(error))) throw kubeErrorFor(error, ref, 'apply');
    if (dryRun) return entry('created', live);
    try {
      await cluster.api.delete(
        headerOf(refOf(live)),
        undefined,
        undefined,
        undefined,
        undefined,
        'Background',
      );
      applied = await apply();
    } catch (recreateError) {
      throw kubeErrorFor(recreateError, ref, 'recreate');
    }
    return entry('created', applied);
  }
  if (!live) return entry('created', applied);
  const same = dryRun
    ? comparable(applied) === comparable(live)
    : applied.metadata?.resourceVersion === live.metadata?.resourceVersion;
  return entry(same ? 'unchanged' : 'configured', applied);
}

/**
 * Server-side applies the objects in Flux's stages, waiting for CRDs to be Established between the
 * first stage and the rest. Unchanged is told by the resourceVersion, which the API server keeps
 * on a no-op apply (by content in a dry run, where nothing is written). Within a stage objects are
 * applied concurrently and all of them are tried; the first failure is thrown after the stage,
 * naming the object, and the later stages are not applied.
 */
export async function applyObjects(
  cluster: Cluster,
  objects: readonly KubernetesObject[],
  options: ApplyOptions = {},
): Promise<ChangeSet> {
  const settings = {
    fieldManager: options.fieldManager ?? 'ferry',
    force: options.force ?? false,
    dryRun: options.dryRun ?? false,
  };
  const entries: ChangeEntry[] = [];
  for (const stage of applyStages(objects)) {
    const live = new LiveObjects(cluster);
    await live.prefetch(stage.objects.filter((o) => ssaPolicyOf(o) !== 'Ignore'));
    const settled = await settleLimited(stage.objects, options.concurrency ?? 16, (o) =>
      applyOne(cluster, live, o, settings),
    );
    const done = valuesOrThrow(settled, (i) => describeRef(refOf(stage.objects[i] as KubernetesObject)));
    entries.push(...done);
    const crds = stage.objects.filter((o, i) => isCrd(o) && done[i]?.action !== 'skipped').map(refOf);
    if (crds.length > 0 && !settings.dryRun)
      await waitForEstablished(cluster, crds, options.crdTimeoutMs ?? 30_000);
  }
  return changeSetOf(entries);
}
